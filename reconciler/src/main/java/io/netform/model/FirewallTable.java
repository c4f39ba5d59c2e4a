package io.netform.model;

import io.netform.net.IpAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

public enum FirewallTable {
  FILTER, NAT, RAW;

  public String text() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The table iptables names {@code text} ({@code filter}, {@code nat}, {@code raw}); empty for any other. */
  public static Optional<FirewallTable> of(String text) {
    return Arrays.stream(values()).filter(t -> t.text().equals(text)).findFirst();
  }

  /** The tables' names as iptables writes them, for messages: "filter, nat or raw". */
  public static String names() {
    List<String> all = Arrays.stream(values()).map(FirewallTable::text).toList();
    return String.join(", ", all.subList(0, all.size() - 1)) + " or " + all.get(all.size() - 1);
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
