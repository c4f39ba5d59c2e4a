package io.netform.compile;

import io.netform.gateway.GatewayOrder;
import java.util.List;
import java.util.Optional;

/**
 * The endpoints that carry a container's default routes, in Docker's order ({@link GatewayOrder}):
 * {@code ipv4} also carries its published ports. Internal networks never do (they have no way
 * out), nor do overlay networks (their members leave through their host's gateway bridge). When a gateway network is removed or loses priority, the next one takes over in the same
 * apply, as in Docker (seed 002).
 */
record PrimaryNetwork(Optional<Endpoint> ipv4, Optional<Endpoint> ipv6) {

  static PrimaryNetwork of(List<Endpoint> endpoints) {
    return new PrimaryNetwork(GatewayOrder.gateway(endpoints, PrimaryNetwork::facts, false),
        GatewayOrder.gateway(endpoints, PrimaryNetwork::facts, true));
  }

  private static GatewayOrder.Facts facts(Endpoint e) {
    // An overlay gives its members no way out: they leave through their host's gateway bridge.
    boolean internal = e.network().internal() || e.network().isOverlay();
    return new GatewayOrder.Facts(e.network().name(), e.gwPriority(), internal, !internal && e.ipv4Pool().isPresent(),
        !internal && e.ipv6Pool().isPresent());
  }
}
