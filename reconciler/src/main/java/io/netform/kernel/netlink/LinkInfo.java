package io.netform.kernel.netlink;

import io.netform.net.MacAddress;
import java.util.Optional;

/**
 * A link as dumped from the kernel. {@code master} and {@code peerIndex} are 0 when absent;
 * {@code hairpin} is a bridge port's hairpin mode (false for a link on no bridge); {@code ipv6}
 * whether IPv6 is enabled on it (false where the kernel has no IPv6 for it: no IPv6 in the kernel,
 * an MTU below IPv6's minimum); {@code multicastSnooping} a bridge's multicast snooping (true for
 * any other link, and where the kernel reports none: a kernel without snooping cannot turn it on).
 */
public record LinkInfo(int index, String name, String kind, int mtu, Optional<MacAddress> mac, boolean up, int master,
    Optional<String> alias, int peerIndex, int linkNetnsId, boolean hairpin, boolean ipv6, boolean multicastSnooping) {}
