package io.netform.kernel.netlink;

import io.netform.net.Cidr;

/** An interface address as dumped from the kernel. */
public record AddressInfo(int linkIndex, Cidr address, int scope) {}
