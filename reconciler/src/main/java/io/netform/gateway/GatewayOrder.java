package io.netform.gateway;

import io.netform.desired.Attachment;
import io.netform.desired.Network;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Docker's order of a container's endpoints (libnetwork's {@code Endpoint.Less}), which decides
 * which network carries the default route: the higher {@code gw_priority} first; then an endpoint
 * on a non-internal network before one on an internal network; then one with both an IPv4 and an
 * IPv6 gateway before one with fewer; then the network name, ascending. The first endpoint with an
 * IPv4 gateway carries the IPv4 default route and the published ports; the first with an IPv6
 * gateway, the IPv6 default route. (libnetwork also sorts its own docker_gwbridge endpoints last;
 * netform's have the lowest priority there is, see fleet.LocalState.) Endpoints on internal and
 * overlay networks have no gateway in netform.
 */
public final class GatewayOrder {

  /** What the order looks at, for one endpoint. */
  public record Facts(String network, int priority, boolean internal, boolean gateway4, boolean gateway6) {

    int gateways() {
      return (gateway4 ? 1 : 0) + (gateway6 ? 1 : 0);
    }
  }

  // Descending by comparison, not by negation: -Integer.MIN_VALUE (the gateway bridge's "last") is itself.
  public static final Comparator<Facts> DOCKER = Comparator.comparing(Facts::priority, Comparator.reverseOrder())
      .thenComparing(Facts::internal)
      .thenComparingInt(f -> -f.gateways())
      .thenComparing(Facts::network);

  private GatewayOrder() {}

  /** The first of {@code items} in Docker's order that has an IPv4 ({@code ipv6} false) or IPv6 gateway. */
  public static <T> Optional<T> gateway(List<T> items, Function<T, Facts> facts, boolean ipv6) {
    return items.stream()
        .filter(i -> ipv6 ? facts.apply(i).gateway6() : facts.apply(i).gateway4())
        .min(Comparator.comparing(facts, DOCKER));
  }

  /**
   * The attachment that will carry a container's IPv4 default route and its published ports, as
   * far as the declaration tells (before addresses are allocated): a non-internal network has an
   * IPv4 gateway, and an IPv6 one too when it enables IPv6 with an IPv6 subnet.
   */
  public static Optional<Attachment> ipv4Gateway(Map<String, Network> networks, List<Attachment> attachments) {
    return gateway(attachments.stream().filter(a -> networks.containsKey(a.network())).toList(),
        a -> declared(networks.get(a.network()), a), false);
  }

  /** The attachment that will carry a container's IPv6 default route and its IPv6 published ports (see {@link #ipv4Gateway}). */
  public static Optional<Attachment> ipv6Gateway(Map<String, Network> networks, List<Attachment> attachments) {
    return gateway(attachments.stream().filter(a -> networks.containsKey(a.network())).toList(),
        a -> declared(networks.get(a.network()), a), true);
  }

  /**
   * An attachment gets an IPv6 address from an IPv6 subnet with enable_ipv6, or when it names one.
   * An overlay network has no way out, as an internal network has none: its members leave through
   * their host's gateway bridge ({@link #leavesThroughGatewayBridge}).
   */
  private static Facts declared(Network n, Attachment a) {
    boolean noWayOut = n.internal() || n.isOverlay();
    boolean v6 = (n.enableIpv6() || a.ipv6Address().isPresent()) && n.pools().stream().anyMatch(p -> !p.subnet().address().isV4());
    return new Facts(n.name(), a.gwPriority(), noWayOut, !noWayOut, !noWayOut && v6);
  }

  /**
   * Whether a container's default route and published ports go through its host's gateway bridge
   * (IPv4 only, no host_binding_ipv4): it has no network with a gateway, and a non-internal
   * overlay network.
   */
  public static boolean leavesThroughGatewayBridge(Map<String, Network> networks, List<Attachment> attachments) {
    return ipv4Gateway(networks, attachments).isEmpty() && onOverlayWithAWayOut(networks, attachments);
  }

  /** On a non-internal overlay network: a way out through the gateway bridge, unless another network gives one. */
  public static boolean onOverlayWithAWayOut(Map<String, Network> networks, List<Attachment> attachments) {
    return attachments.stream().map(a -> networks.get(a.network())).anyMatch(n -> n != null && n.isOverlay() && !n.internal());
  }
}
