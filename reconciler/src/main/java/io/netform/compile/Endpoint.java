package io.netform.compile;

import io.netform.desired.Container;
import io.netform.desired.Network;
import io.netform.ipam.EndpointAllocation;
import io.netform.ipam.PoolAllocation;
import java.util.Optional;

/** One container attachment with everything compiled from it: network, allocation, kernel device name. */
record Endpoint(Container container, Network network, EndpointAllocation allocation, Optional<PoolAllocation> ipv4Pool,
    Optional<PoolAllocation> ipv6Pool, int gwPriority) {

  String device() {
    return allocation.interfaceName();
  }
}
