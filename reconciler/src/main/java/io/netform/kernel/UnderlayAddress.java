package io.netform.kernel;

import io.netform.kernel.netns.NetnsHandle;
import io.netform.net.IpAddress;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;

/**
 * The address a host reaches the other hosts of its fleet from, as the kernel chooses it: the
 * source address of a UDP socket connected to one of them (connecting a UDP socket sends nothing).
 */
public final class UnderlayAddress {

  private UnderlayAddress() {}

  /** Towards the first of {@code peers} the host has a route to, in the namespace {@code root}; empty if none. */
  public static Optional<IpAddress> towards(NetnsHandle root, List<IpAddress> peers, int port) {
    for (IpAddress peer : peers) {
      Optional<IpAddress> source = root.call(() -> source(peer, port));
      if (source.isPresent()) {
        return source;
      }
    }
    return Optional.empty();
  }

  private static Optional<IpAddress> source(IpAddress peer, int port) {
    try (DatagramSocket socket = new DatagramSocket()) {
      socket.connect(new InetSocketAddress(InetAddress.getByName(peer.toString()), port));
      InetAddress local = socket.getLocalAddress();
      return local == null || local.isAnyLocalAddress() ? Optional.empty()
          : Optional.of(IpAddress.fromBytes(local.getAddress())).filter(IpAddress::isV4);
    } catch (IOException unreachable) {
      return Optional.empty(); // no route to it from here
    }
  }
}
