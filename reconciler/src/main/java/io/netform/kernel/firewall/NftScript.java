package io.netform.kernel.firewall;

import io.netform.kernel.firewall.NftRuleset.Placed;
import io.netform.model.FirewallChain;
import io.netform.model.FirewallRule;
import io.netform.net.IpAddress.Family;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The input of one {@code nft -f -}: both families' changes in one transaction (nft applies the
 * whole file or nothing). Per family: the table and the base chains the new rules need, new
 * chains, deletions by handle, insertions placed by tier, chain deletions; and the table itself
 * deleted when nothing is left in it. A rule goes before the first rule of a higher tier that
 * stays (a foreign rule counts as the highest), appended when there is none.
 */
final class NftScript {

  private NftScript() {}

  static String of(FirewallBackend.ChangeSet changes, NftRuleset current) {
    StringBuilder out = new StringBuilder();
    for (Family family : Family.values()) {
      FirewallBackend.ChangeSet part = changes.of(family);
      if (!part.isEmpty()) {
        family(out, family, part, current);
      }
    }
    return out.toString();
  }

  private static void family(StringBuilder out, Family family, FirewallBackend.ChangeSet changes, NftRuleset current) {
    String table = NftSyntax.family(family) + " " + NftSyntax.TABLE;
    out.append("add table ").append(table).append('\n');
    // A base chain someone changed (hook, priority, policy) is made again: its rules were read as not
    // netform's, so the changes make them again. One that holds someone else's rule is left as it is,
    // and a change that needs it is refused.
    Set<String> rebuilt = new LinkedHashSet<>();
    int flushed = 0;
    for (String key : current.changed()) {
      String chain = key.substring(key.indexOf('/') + 1);
      if (!key.startsWith(NftSyntax.family(family) + "/")) {
        continue;
      }
      if (current.holdsForeign(key)) {
        if (changes.createRules().stream().anyMatch(r -> NftSyntax.chain(r.table(), r.chain()).equals(chain))) {
          throw new FirewallException("netform's base chain " + table + " " + chain + " was changed (its type, hook, "
              + "priority or policy) and holds a rule netform does not own: move or delete that rule ('nft -a list chain "
              + table + " " + chain + "' shows it), then run netform again");
        }
        continue;
      }
      out.append("flush chain ").append(table).append(' ').append(chain).append('\n');
      out.append("delete chain ").append(table).append(' ').append(chain).append('\n');
      flushed += current.layout().getOrDefault(key, List.of()).size();
      rebuilt.add(chain);
    }
    Set<String> bases = new LinkedHashSet<>();
    for (FirewallRule r : changes.createRules()) {
      NftSyntax.baseChain(r.table(), r.chain()).ifPresent(base -> {
        String name = NftSyntax.chain(r.table(), r.chain());
        if (bases.add(name)) {
          out.append("add chain ").append(table).append(' ').append(name).append(' ').append(base.declaration()).append('\n');
        }
      });
    }
    for (FirewallChain c : changes.createChains()) {
      out.append("add chain ").append(table).append(' ').append(NftSyntax.chain(c.table(), c.name())).append('\n');
    }
    // Deletions by handle; what is left of each chain is where the new rules are placed.
    Map<String, Deque<Long>> handles = new HashMap<>();
    current.handles().forEach((key, list) -> handles.put(key, new ArrayDeque<>(list)));
    Set<Long> deleted = new java.util.HashSet<>();
    int removed = 0;
    for (FirewallRule r : changes.deleteRules()) {
      Long handle = handles.getOrDefault(r.key(), new ArrayDeque<>()).poll();
      if (handle != null) { // gone since it was read: nothing left to delete
        out.append("delete rule ").append(table).append(' ').append(NftSyntax.chain(r.table(), r.chain())).append(" handle ")
            .append(handle).append('\n');
        deleted.add(handle);
        removed++;
      }
    }
    Map<String, List<FirewallRule>> byChain = new TreeMap<>();
    changes.createRules().forEach(r -> byChain.computeIfAbsent(NftSyntax.chain(r.table(), r.chain()), k -> new ArrayList<>()).add(r));
    byChain.forEach((chain, rules) -> {
      List<Placed> left = rebuilt.contains(chain) ? List.of()
          : current.layout().getOrDefault(NftRuleset.layoutKey(family, chain), List.of()).stream()
              .filter(p -> !deleted.contains(p.handle())).toList();
      int next = 0;
      for (FirewallRule r : rules.stream().sorted(Comparator.comparingInt(FirewallRule::tier)).toList()) {
        while (next < left.size() && left.get(next).slot().tier() <= r.tier()) {
          next++;
        }
        out.append(next == left.size() ? "add rule " : "insert rule ").append(table).append(' ').append(chain);
        if (next < left.size()) {
          out.append(" position ").append(left.get(next).handle());
        }
        out.append(' ').append(NftSyntax.statement(r)).append(" comment \"").append(RuleComment.of(r)).append("\"\n");
      }
    });
    for (FirewallChain c : changes.deleteChains()) {
      out.append("delete chain ").append(table).append(' ').append(NftSyntax.chain(c.table(), c.name())).append('\n');
    }
    int remaining = current.contents().getOrDefault(family, 0) - removed - flushed - changes.deleteChains().size()
        + changes.createRules().size() + changes.createChains().size();
    if (remaining == 0) {
      out.append("delete table ").append(table).append('\n'); // with its base chains: netform leaves nothing behind
    }
  }
}
