package io.netform.kernel.netlink;

import io.netform.net.MacAddress;
import java.util.Optional;

/** A link as dumped from the kernel. {@code master} and {@code peerIndex} are 0 when absent. */
public record LinkInfo(int index, String name, String kind, int mtu, Optional<MacAddress> mac, boolean up, int master,
    Optional<String> alias, int peerIndex, int linkNetnsId) {}
