package io.netform.kernel.netlink;

import io.netform.net.Cidr;
import io.netform.net.IpAddress;
import java.util.Optional;

/** A main-table route as dumped from the kernel. */
public record RouteInfo(Cidr destination, Optional<IpAddress> gateway, int outputIndex, int protocol, int scope, int metric) {}
