package io.netform.ipam;

import io.netform.model.ForeignObjects;
import io.netform.net.Cidr;
import java.util.List;
import java.util.Optional;

/**
 * The routes and addresses a host already has that netform does not own, as data for the
 * allocator: a default pool that overlaps one of them is skipped, as Docker's
 * FindAvailableNetwork skips it, so a host whose LAN or VPN uses 172.18.0.0/16 still gets a
 * network. The test is the one the plan applies to a new subnet (plan/HostConflicts), so a pool
 * chosen here never blocks the plan. Unknown (an offline plan against an empty host): nothing.
 */
public record HostAddressSpace(List<Cidr> routes, List<Cidr> addresses) {

  public HostAddressSpace {
    routes = List.copyOf(routes);
    addresses = List.copyOf(addresses);
  }

  public static HostAddressSpace none() {
    return new HostAddressSpace(List.of(), List.of());
  }

  public static HostAddressSpace of(ForeignObjects foreign) {
    return new HostAddressSpace(foreign.hostRoutes(), foreign.hostAddresses());
  }

  /** The host route or address that {@code pool} collides with, if any; a default route collides with nothing. */
  public Optional<Cidr> collision(Cidr pool) {
    Optional<Cidr> route = routes.stream().filter(r -> r.prefix() > 0 && r.overlaps(pool)).findFirst();
    return route.or(() -> addresses.stream().filter(a -> pool.contains(a.address())).findFirst());
  }
}
