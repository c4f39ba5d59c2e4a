package io.netform.kernel.firewall;

import io.netform.model.FirewallChain;
import io.netform.model.FirewallRule;
import io.netform.model.FirewallTable;
import io.netform.model.ForeignRule;
import io.netform.model.Owner;
import io.netform.net.IpAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses iptables-save (or ip6tables-save) output into netform's chains and (comment-marked)
 * rules of that family; everything else is ignored.
 */
public final class IptablesSave {

  private static final Pattern COMMENT = Pattern.compile(" -m comment --comment (\"[^\"]*\"|\\S+)");

  private IptablesSave() {}

  /**
   * netform's chains and rules, the foreign rules that touch netform's chains, and every rule of
   * every chain in order, netform's or not, keyed {@code table/chain} (where a change goes).
   */
  public record Parsed(List<FirewallChain> chains, List<FirewallRule> rules, Map<String, List<Slot>> layout,
      List<ForeignRule> foreign) {}

  /** A rule's place in its chain: netform's (its spec without the comment, and its tier) or a foreign one. */
  public record Slot(Optional<String> spec, int tier) {

    /** A foreign rule counts as the last tier: netform's rules go before it. */
    static Slot foreign() {
      return new Slot(Optional.empty(), Integer.MAX_VALUE);
    }
  }

  /** iptables-save's output (IPv4). */
  public static Parsed parse(String save) {
    return parse(save, IpAddress.Family.V4);
  }

  /** The output of the save tool of {@code family}: iptables-save (V4) or ip6tables-save (V6). */
  public static Parsed parse(String save, IpAddress.Family family) {
    List<FirewallChain> chains = new ArrayList<>();
    List<FirewallRule> rules = new ArrayList<>();
    List<ForeignRule> foreign = new ArrayList<>();
    Map<String, List<Slot>> layout = new LinkedHashMap<>();
    FirewallTable table = null;
    for (String line : save.split("\n")) {
      if (line.startsWith("*")) {
        String name = line.substring(1).strip();
        table = FirewallTable.of(name).orElse(null);
      } else if (table != null && line.startsWith(":")) {
        String chain = line.substring(1).split(" ")[0];
        if (chain.startsWith("NETFORM-")) {
          chains.add(new FirewallChain(table, chain, Owner.HOST, family));
        }
      } else if (table != null && line.startsWith("-A ")) {
        String rest = line.substring(3);
        int space = rest.indexOf(' ');
        String chain = space < 0 ? rest : rest.substring(0, space);
        String spec = space < 0 ? "" : rest.substring(space + 1);
        Matcher m = COMMENT.matcher(" " + spec);
        Optional<RuleComment.Parsed> mark = Optional.empty();
        if (m.find()) {
          mark = RuleComment.parse(m.group(1).replace("\"", ""));
          if (mark.isPresent()) {
            spec = (" " + spec).replace(m.group(0), "").strip();
          }
        }
        List<Slot> slots = layout.computeIfAbsent(layoutKey(table, chain), k -> new ArrayList<>());
        if (mark.isPresent() && !isNetforms(table, chain, spec, family, mark.get())) {
          spec = rest.substring(space + 1); // the comment stays part of a foreign rule, as written
          mark = Optional.empty();
        }
        if (mark.isPresent()) {
          slots.add(new Slot(Optional.of(spec), mark.get().tier()));
          rules.add(new FirewallRule(table, chain, spec, mark.get().tier(), mark.get().owner(), family));
        } else {
          slots.add(Slot.foreign());
          ForeignRule rule = new ForeignRule(table, chain, spec, family);
          if (chain.startsWith("NETFORM-") || rule.target().isPresent()) {
            foreign.add(rule);
          }
        }
      }
    }
    return new Parsed(chains, rules, layout, foreign);
  }

  /**
   * Whether a rule with netform's comment is one netform made: its comment's id is the one its
   * table, chain and text give. A comment copied onto another rule (or a rule changed under it)
   * proves nothing: such a rule is foreign, never deleted by netform, which could not name it to
   * iptables-restore anyway (it writes a rule's comment from the rule).
   */
  private static boolean isNetforms(FirewallTable table, String chain, String spec, IpAddress.Family family,
      RuleComment.Parsed mark) {
    return new FirewallRule(table, chain, spec, mark.tier(), mark.owner(), family).id().equals(mark.id());
  }

  /** The key of a chain in the layout: the table's and the chain's names. */
  static String layoutKey(FirewallTable table, String chain) {
    return table.text() + "/" + chain;
  }
}
