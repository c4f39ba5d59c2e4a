package io.netform.ipam;

import io.netform.net.Cidr;
import io.netform.net.IpAddress;
import java.util.Optional;

/**
 * A network's resolved subnet: the canonical subnet, its gateway (defaulted when not given) and
 * the range dynamic addresses come from ({@code ipRange}, else the subnet).
 */
public record PoolAllocation(Cidr subnet, IpAddress gateway, Optional<Cidr> ipRange) {

  /** The gateway with the subnet's prefix, as it is put on the bridge. */
  public Cidr gatewayCidr() {
    return subnet.withAddress(gateway);
  }
}
