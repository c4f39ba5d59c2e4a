package io.netform.plan;

import io.netform.model.FirewallChain;
import io.netform.model.ForeignObjects;
import io.netform.model.ForeignRule;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * A plan that deletes one of netform's chains while a rule netform does not own lives in it or
 * jumps to it. iptables cannot delete a chain that is referenced or not empty, and netform never
 * removes a foreign rule, so such a plan is refused before anything changes: otherwise the links
 * would be gone before the firewall change failed. A rule living in the chain is refused too,
 * rather than the chain kept for it: without netform's jumps to the chain it would match nothing,
 * so moving it is the owner's decision.
 */
final class FirewallConflicts {

  private FirewallConflicts() {}

  static List<PlanConflict> of(Collection<Change> changes, ForeignObjects foreign) {
    List<PlanConflict> out = new ArrayList<>();
    for (Change c : changes) {
      if (c.action() == Action.DELETE && c.object() instanceof FirewallChain chain) {
        for (ForeignRule rule : foreign.firewallRules()) {
          if (rule.family() != chain.family() || rule.table() != chain.table()) {
            continue; // ip6tables and iptables have chains of the same names, each its own
          }
          if (rule.chain().equals(chain.name())) {
            out.add(new PlanConflict(chain.key(), "netform would delete its chain " + chain.displayName()
                + ", but it holds a rule netform does not own: " + rule.text(),
                "move that rule to a chain of your own, then run netform again; to remove it: " + rule.deleteCommand()));
          } else if (rule.target().filter(chain.name()::equals).isPresent()) {
            out.add(new PlanConflict(chain.key(), "netform would delete its chain " + chain.displayName()
                + ", but a rule netform does not own jumps to it: " + rule.text(),
                "remove that rule (" + rule.deleteCommand() + ") or point it elsewhere, then run netform again"));
          }
        }
      }
    }
    return out;
  }
}
