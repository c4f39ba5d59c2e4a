package io.netform.ipam;

import java.util.List;
import java.util.Optional;

/** The pools of one network: user-configured ones resolved, or one picked from the default pools. */
public record NetworkAllocation(String network, List<PoolAllocation> pools) {

  public NetworkAllocation {
    pools = List.copyOf(pools);
  }

  public Optional<PoolAllocation> ipv4() {
    return pools.stream().filter(p -> p.subnet().family().bits == 32).findFirst();
  }

  public Optional<PoolAllocation> ipv6() {
    return pools.stream().filter(p -> p.subnet().family().bits == 128).findFirst();
  }
}
