package io.netform.model;

import io.netform.net.IpAddress;
import java.util.Optional;

/**
 * A firewall rule netform does not own (no netform comment) that touches netform's chains: it
 * lives inside one of them, or jumps to one, in iptables ({@code family} V4) or ip6tables (V6).
 * netform never changes it; a plan that would delete a chain it depends on is refused instead.
 */
public record ForeignRule(FirewallTable table, String chain, String spec, IpAddress.Family family, long nftHandle) {

  public ForeignRule {
    family = family == null ? IpAddress.Family.V4 : family;
  }

  /** A rule of iptables or ip6tables. */
  public ForeignRule(FirewallTable table, String chain, String spec, IpAddress.Family family) {
    this(table, chain, spec, family, -1);
  }

  /** Whether it is a rule in netform's nftables table (nftHandle is its handle there), not in iptables. */
  public boolean inNftables() {
    return nftHandle >= 0;
  }


  /** The command that deletes exactly this rule. */
  public String deleteCommand() {
    return inNftables() ? "nft delete rule " + NftNames.place(family, table, chain) + " handle " + nftHandle
        : program() + " -t " + table.text() + " -D " + chain + (spec.isEmpty() ? "" : " " + spec);
  }

  /** A rule of iptables (IPv4). */
  public ForeignRule(FirewallTable table, String chain, String spec) {
    this(table, chain, spec, IpAddress.Family.V4);
  }

  /** The rule as iptables-save (or ip6tables-save) prints it, for messages. */
  public String text() {
    if (inNftables()) {
      return "nft rule " + NftNames.place(family, table, chain) + " handle " + nftHandle + (spec.isEmpty() ? "" : " (" + spec + ")");
    }
    return "-t " + table.text() + " -A " + chain + (spec.isEmpty() ? "" : " " + spec);
  }

  /** The program that lists and changes it: {@code iptables} or {@code ip6tables}. */
  public String program() {
    return family == IpAddress.Family.V6 ? "ip6tables" : "iptables";
  }

  /** The netform chain this rule jumps or goes to, if any. */
  public Optional<String> target() {
    String[] words = spec.split(" ");
    for (int i = 0; i + 1 < words.length; i++) {
      if ((words[i].equals("-j") || words[i].equals("-g")) && words[i + 1].startsWith("NETFORM-")) {
        return Optional.of(words[i + 1]);
      }
    }
    return Optional.empty();
  }
}
