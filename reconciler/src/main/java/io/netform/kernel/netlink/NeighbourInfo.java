package io.netform.kernel.netlink;

import io.netform.net.IpAddress;
import io.netform.net.MacAddress;
import java.util.Optional;

/**
 * A neighbour or bridge/VXLAN forwarding-database entry; {@code port} is a VXLAN entry's
 * destination port where it differs from its device's.
 */
public record NeighbourInfo(int family, int linkIndex, Optional<IpAddress> destination, Optional<MacAddress> lladdr, int state,
    int flags, Optional<Integer> port) {

  public NeighbourInfo(int family, int linkIndex, Optional<IpAddress> destination, Optional<MacAddress> lladdr, int state,
      int flags) {
    this(family, linkIndex, destination, lladdr, state, flags, Optional.empty());
  }
}
