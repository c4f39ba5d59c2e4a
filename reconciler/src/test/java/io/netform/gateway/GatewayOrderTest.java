package io.netform.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netform.desired.Attachment;
import io.netform.desired.DesiredState;
import io.netform.testing.Hosts;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Docker's endpoint order: the higher gw_priority first, whatever the numbers. */
class GatewayOrderTest {

  static GatewayOrder.Facts endpoint(String network, int priority) {
    return new GatewayOrder.Facts(network, priority, false, true, false);
  }

  @Test
  void theLowestPossiblePriorityComesLast() {
    GatewayOrder.Facts gwbridge = endpoint("a-gateway-bridge", Integer.MIN_VALUE);
    GatewayOrder.Facts plain = endpoint("plain", 0);
    assertEquals(Optional.of(plain), GatewayOrder.gateway(List.of(gwbridge, plain), Function.identity(), false));
  }

  @Test
  void theHighestPriorityComesFirst() {
    GatewayOrder.Facts high = endpoint("z", Integer.MAX_VALUE);
    GatewayOrder.Facts low = endpoint("a", -5);
    assertEquals(Optional.of(high), GatewayOrder.gateway(List.of(low, high), Function.identity(), false));
  }

  @Test
  void anOverlayCarriesNoDefaultRouteWhateverItsName() {
    DesiredState state = Hosts.desired("""
        hosts: {docker2: {address: 10.10.10.102}}
        networks:
          a-overlay: {driver: overlay}
          z-bridge: {}
        containers:
          both: {networks: [a-overlay, z-bridge]}
          overlay-only: {networks: [a-overlay]}
        """);
    List<Attachment> both = state.containers().get("both").attachments();
    List<Attachment> overlayOnly = state.containers().get("overlay-only").attachments();
    assertEquals(Optional.of("z-bridge"), GatewayOrder.ipv4Gateway(state.networks(), both).map(Attachment::network));
    assertEquals(Optional.empty(), GatewayOrder.ipv4Gateway(state.networks(), overlayOnly));
    assertTrue(GatewayOrder.leavesThroughGatewayBridge(state.networks(), overlayOnly));
    assertFalse(GatewayOrder.leavesThroughGatewayBridge(state.networks(), both));
  }
}
