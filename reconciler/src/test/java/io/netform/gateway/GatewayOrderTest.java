package io.netform.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
