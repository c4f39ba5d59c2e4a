package io.netform.model;

import java.util.Optional;

/**
 * A firewall rule netform does not own (no netform comment) that touches netform's chains: it
 * lives inside one of them, or jumps to one. netform never changes it; a plan that would delete a
 * chain it depends on is refused instead.
 */
public record ForeignRule(FirewallTable table, String chain, String spec) {

  /** The rule as iptables-save prints it, for messages. */
  public String text() {
    return "-t " + table.text() + " -A " + chain + (spec.isEmpty() ? "" : " " + spec);
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
