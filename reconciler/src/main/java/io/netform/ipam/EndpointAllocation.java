package io.netform.ipam;

import io.netform.net.IpAddress;
import io.netform.net.MacAddress;
import java.util.Optional;

/**
 * What one attachment gets: the interface name inside the container (eth0, eth1, ... in
 * attachment order, kept when an earlier attachment goes away), its addresses and its MAC.
 */
public record EndpointAllocation(
    EndpointId id, String interfaceName, IpAddress ipv4, Optional<IpAddress> ipv6, MacAddress mac) {}
