package io.netform.desired;

import io.netform.net.IpAddress;

/**
 * A machine of the fleet (the top-level {@code hosts:}): its name, the underlay address other hosts
 * reach it at, and the UDP port its VXLAN devices listen on.
 */
public record Host(String name, IpAddress address, int vxlanPort) {

  /** IANA's VXLAN port, Docker's default. */
  public static final int DEFAULT_VXLAN_PORT = 4789;
}
