package io.netform.dns;

import io.netform.kernel.netns.NamedNamespaces;
import io.netform.kernel.netns.NamespaceHopper;
import io.netform.names.NameScope;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's sockets inside container namespaces: UDP and TCP on 127.0.0.11:53, bound there
 * directly (a socket belongs to the namespace of the thread that made it), so that no NAT rule is
 * needed and no firewall flush can take names away. A namespace's loopback holds all of
 * 127.0.0.0/8, so the address is local in every namespace whose loopback is up.
 */
final class NamespaceSockets {

  private static final Logger LOG = LoggerFactory.getLogger(NamespaceSockets.class);
  static final int PORT = 53;
  private static final int BACKLOG = 64;

  private NamespaceSockets() {}

  /** One container's bound sockets, and the namespace they are in (its inode: a new namespace of that name is another). */
  record Bound(String container, long inode, DatagramChannel udp, ServerSocketChannel tcp) {

    void close() {
      closeQuietly(udp);
      closeQuietly(tcp);
    }
  }

  /** A container to serve: its name and its namespace file. */
  record Wanted(String container, Path namespace) {}

  /**
   * Binds the sockets in each namespace, a few threads hopping from namespace to namespace. A
   * namespace that is gone, or where the address is taken (something else serves there), is
   * skipped with a log line; the next change or check tries again.
   */
  static List<Bound> open(List<Wanted> wanted) {
    List<Optional<Bound>> opened = NamespaceHopper.map(wanted, Wanted::namespace, NamespaceSockets::bind, true);
    List<Bound> out = new ArrayList<>();
    opened.forEach(o -> o.ifPresent(out::add));
    return out;
  }

  private static Optional<Bound> bind(Wanted w) {
    InetSocketAddress at = new InetSocketAddress(NameScope.SERVER_ADDRESS, PORT);
    DatagramChannel udp = null;
    ServerSocketChannel tcp = null;
    try {
      udp = DatagramChannel.open(StandardProtocolFamily.INET);
      udp.bind(at);
      udp.configureBlocking(false);
      tcp = ServerSocketChannel.open(StandardProtocolFamily.INET);
      tcp.bind(at, BACKLOG);
      tcp.configureBlocking(false);
      return Optional.of(new Bound(w.container(), NamedNamespaces.inode(Path.of("/proc/thread-self/ns/net")), udp, tcp));
    } catch (IOException e) {
      LOG.warn("cannot serve names in {} ({}): {}", w.container(), w.namespace(), e.getMessage());
      closeQuietly(udp);
      closeQuietly(tcp);
      return Optional.empty();
    }
  }

  static void closeQuietly(java.nio.channels.Channel c) {
    if (c != null) {
      try {
        c.close();
      } catch (IOException ignored) {
        // closing a socket cannot fail in a way that matters here
      }
    }
  }
}
