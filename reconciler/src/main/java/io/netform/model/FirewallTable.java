package io.netform.model;

import io.netform.net.IpAddress;
import java.util.Locale;

public enum FirewallTable {
  FILTER, NAT, RAW;

  public String text() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The table of one address family, as keys and plans name it: {@code nat} for iptables (as
   * before IPv6 rules existed, so IPv4 keys never changed), {@code ip6/nat} for ip6tables.
   */
  public String path(IpAddress.Family family) {
    return family == IpAddress.Family.V6 ? "ip6/" + text() : text();
  }

  /** The table of one family for people: {@code nat}, {@code ip6 nat} (nftables' name of the IPv6 family). */
  public String label(IpAddress.Family family) {
    return family == IpAddress.Family.V6 ? "ip6 " + text() : text();
  }
}
