package io.netform.ipam;

import io.netform.net.Cidr;
import io.netform.net.IpAddress;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Free-address bookkeeping for one subnet during one allocation run. Addresses are only ever
 * taken within a run, so "first free" is a cursor that never moves back: allocating n addresses
 * costs O(n + reserved), not O(n²).
 */
final class AddressPool {

  private final PoolAllocation pool;
  private final Cidr range;
  private final Set<IpAddress> unavailable = new HashSet<>();
  private IpAddress cursor;
  private boolean exhausted;

  AddressPool(PoolAllocation pool) {
    this.pool = pool;
    this.range = pool.ipRange().orElse(pool.subnet());
    this.cursor = range.first();
    Cidr subnet = pool.subnet();
    if (subnet.address().isV4() && subnet.prefix() < 31) {
      unavailable.add(subnet.first());
      unavailable.add(subnet.last());
    } else if (!subnet.address().isV4()) {
      unavailable.add(subnet.first()); // the subnet-router anycast address
    }
    unavailable.add(pool.gateway());
  }

  PoolAllocation pool() {
    return pool;
  }

  boolean inSubnet(IpAddress ip) {
    return pool.subnet().contains(ip);
  }

  boolean inRange(IpAddress ip) {
    return range.contains(ip);
  }

  /** Marks an address as not to be handed out dynamically (aux, static); false if already so. */
  boolean reserve(IpAddress ip) {
    return unavailable.add(ip);
  }

  boolean isAvailable(IpAddress ip) {
    return !unavailable.contains(ip);
  }

  /** The first free address of the range, taken; empty when none is left. */
  Optional<IpAddress> takeNext() {
    if (exhausted) {
      return Optional.empty();
    }
    IpAddress last = range.last();
    while (cursor.compareTo(last) <= 0) {
      IpAddress candidate = cursor;
      boolean atEnd = candidate.equals(last);
      if (!atEnd) {
        cursor = cursor.plus(1);
      } else {
        exhausted = true;
      }
      if (unavailable.add(candidate)) {
        return Optional.of(candidate);
      }
      if (atEnd) {
        break;
      }
    }
    exhausted = true;
    return Optional.empty();
  }
}
