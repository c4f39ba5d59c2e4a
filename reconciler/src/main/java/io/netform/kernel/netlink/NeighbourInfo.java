package io.netform.kernel.netlink;

import io.netform.net.IpAddress;
import io.netform.net.MacAddress;
import java.util.Optional;

/** A neighbour or bridge/VXLAN forwarding-database entry. */
public record NeighbourInfo(int family, int linkIndex, Optional<IpAddress> destination, Optional<MacAddress> lladdr, int state,
    int flags) {}
