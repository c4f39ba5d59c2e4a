package io.netform.fleet;

import io.netform.net.Cidr;
import io.netform.net.IpAddress;
import io.netform.net.MacAddress;
import java.util.List;

/**
 * What one host wires for the overlay networks it has local containers on: per network its
 * VXLAN id, MTU and gateway, and every remote endpoint (address, MAC, aliases, the underlay address
 * and VXLAN port of its host); {@code port} is this host's VXLAN port, {@code peers} the other hosts'
 * underlay addresses, the only senders its firewall accepts VXLAN from.
 */
public record OverlayWiring(List<Segment> segments, int port, List<IpAddress> peers) {

  public static final OverlayWiring NONE = new OverlayWiring(List.of(), 0, List.of());

  public OverlayWiring {
    segments = List.copyOf(segments);
    peers = List.copyOf(peers);
  }

  /** One overlay network on this host. {@code gateway} carries the subnet's prefix. */
  public record Segment(String network, int vni, int mtu, Cidr gateway, List<Remote> remotes) {

    public Segment {
      remotes = List.copyOf(remotes);
    }
  }

  /**
   * A container of the network on another host, with its aliases there (the embedded DNS serves
   * them); {@code host} names that host (recorded for {@code show}).
   */
  public record Remote(String container, IpAddress address, MacAddress mac, List<String> aliases, String host,
      IpAddress hostAddress, int hostPort) {

    public Remote {
      aliases = List.copyOf(aliases);
    }
  }
}
