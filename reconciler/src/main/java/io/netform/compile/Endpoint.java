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

  /**
   * Whether the container's interface has IPv6 on: on an IPv6 network (enable_ipv6), or with an
   * IPv6 address of its own (a static one on a network without enable_ipv6), as Docker decides it
   * by the interface's IPv6 address.
   */
  boolean hasIpv6() {
    return network.enableIpv6() || (allocation.ipv6().isPresent() && ipv6Pool.isPresent());
  }
}
