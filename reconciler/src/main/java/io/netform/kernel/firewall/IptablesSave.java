package io.netform.kernel.firewall;

import io.netform.model.FirewallChain;
import io.netform.model.FirewallRule;
import io.netform.model.FirewallTable;
import io.netform.model.ForeignRule;
import io.netform.model.Owner;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses iptables-save output into netform's chains and (comment-marked) rules; everything else is ignored. */
public final class IptablesSave {

  private static final Pattern COMMENT = Pattern.compile(" -m comment --comment (\"[^\"]*\"|\\S+)");

  private IptablesSave() {}

  /** All rules per table and chain in order, netform's or not (used for insert positions). */
  public record Parsed(List<FirewallChain> chains, List<FirewallRule> rules, Map<String, List<Optional<Integer>>> chainTiers,
      List<ForeignRule> foreign) {}

  public static Parsed parse(String save) {
    List<FirewallChain> chains = new ArrayList<>();
    List<FirewallRule> rules = new ArrayList<>();
    List<ForeignRule> foreign = new ArrayList<>();
    Map<String, List<Optional<Integer>>> tiers = new LinkedHashMap<>();
    FirewallTable table = null;
    for (String line : save.split("\n")) {
      if (line.startsWith("*")) {
        String name = line.substring(1).strip();
        table = name.equals("filter") ? FirewallTable.FILTER : name.equals("nat") ? FirewallTable.NAT : null;
      } else if (table != null && line.startsWith(":")) {
        String chain = line.substring(1).split(" ")[0];
        if (chain.startsWith("NETFORM-")) {
          chains.add(new FirewallChain(table, chain, Owner.HOST));
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
        tiers.computeIfAbsent(table.text() + "/" + chain, k -> new ArrayList<>()).add(mark.map(RuleComment.Parsed::tier));
        if (mark.isPresent()) {
          rules.add(new FirewallRule(table, chain, spec, mark.get().tier(), mark.get().owner()));
        } else {
          ForeignRule rule = new ForeignRule(table, chain, spec);
          if (chain.startsWith("NETFORM-") || rule.target().isPresent()) {
            foreign.add(rule);
          }
        }
      }
    }
    return new Parsed(chains, rules, tiers, foreign);
  }
}
