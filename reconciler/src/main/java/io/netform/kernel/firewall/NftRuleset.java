package io.netform.kernel.firewall;

import io.netform.kernel.firewall.IptablesSave.Slot;
import io.netform.model.FirewallChain;
import io.netform.model.FirewallRule;
import io.netform.model.ForeignRule;
import io.netform.model.Owner;
import io.netform.net.IpAddress.Family;
import io.netform.util.Json;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Parses {@code nft -j list ruleset}: netform's chains and (comment-marked) rules in its own tables,
 * the rules there without netform's mark, each rule's handle and place, and the chains named
 * {@code NETFORM-*} in any other table (iptables-nft's tables: rules made by the iptables backend).
 */
record NftRuleset(List<FirewallChain> chains, List<FirewallRule> rules, List<ForeignRule> foreign,
    Map<String, List<Placed>> layout, Map<String, List<Long>> handles, Set<Family> tables, Map<Family, Integer> contents,
    List<String> iptablesChains) {

  // layout: every rule of each of netform's nft chains in order, keyed FAMILY/CHAIN; handles: by rule key;
  // tables: the families whose table exists; contents: per family, its rules and the chains other than its base chains.

  /** A rule's place in an nft chain: its handle and its tier (a foreign rule's is the highest). */
  record Placed(long handle, Slot slot) {}

  static NftRuleset parse(String json) {
    JsonNode root;
    try {
      root = Json.MAPPER.readTree(json);
    } catch (JacksonException e) {
      throw new FirewallException("nft printed what is not JSON: " + e.getOriginalMessage());
    }
    JsonNode items = root.path("nftables");
    if (!items.isArray()) {
      throw new FirewallException("nft printed JSON without an \"nftables\" list");
    }
    List<FirewallChain> chains = new ArrayList<>();
    List<FirewallRule> rules = new ArrayList<>();
    List<ForeignRule> foreign = new ArrayList<>();
    Map<String, List<Placed>> layout = new LinkedHashMap<>();
    Map<String, List<Long>> handles = new HashMap<>();
    Set<Family> tables = new LinkedHashSet<>();
    Map<Family, Integer> contents = new HashMap<>();
    List<String> iptablesChains = new ArrayList<>();
    for (JsonNode item : items) {
      if (item.has("table")) {
        JsonNode t = item.get("table");
        ours(t, "name").ifPresent(tables::add);
      } else if (item.has("chain")) {
        JsonNode c = item.get("chain");
        String name = c.path("name").asString("");
        Optional<Family> family = ours(c, "table");
        if (family.isEmpty()) {
          if (name.startsWith("NETFORM-")) {
            iptablesChains.add(c.path("family").asString("") + " " + c.path("table").asString("") + " " + name);
          }
          continue;
        }
        layout.computeIfAbsent(layoutKey(family.get(), name), k -> new ArrayList<>());
        Optional<NftSyntax.TableChain> tc = NftSyntax.tableChain(name);
        boolean hooked = c.has("hook");
        if (tc.isPresent() && tc.get().chain().startsWith("NETFORM-") && !hooked) {
          chains.add(new FirewallChain(tc.get().table(), tc.get().chain(), Owner.HOST, family.get()));
        }
        // netform's base chains come and go with the table; any other chain keeps the table.
        if (!(hooked && tc.isPresent() && NftSyntax.baseChain(tc.get().table(), tc.get().chain()).isPresent())) {
          contents.merge(family.get(), 1, Integer::sum);
        }
      } else if (item.has("rule")) {
        JsonNode r = item.get("rule");
        Optional<Family> family = ours(r, "table");
        if (family.isEmpty()) {
          continue;
        }
        contents.merge(family.get(), 1, Integer::sum);
        String nftChain = r.path("chain").asString("");
        long handle = r.path("handle").asLong(-1);
        List<Placed> slots = layout.computeIfAbsent(layoutKey(family.get(), nftChain), k -> new ArrayList<>());
        Optional<NftSyntax.TableChain> tc = NftSyntax.tableChain(nftChain);
        Optional<RuleComment.Parsed> mark = Optional.ofNullable(r.get("comment")).filter(JsonNode::isString)
            .flatMap(c -> RuleComment.parse(c.asString()));
        String spec = tc.map(t -> text(r.get("expr"), t.table(), family.get())).orElse("");
        if (mark.isPresent() && tc.isPresent()) {
          FirewallRule rule = new FirewallRule(tc.get().table(), tc.get().chain(), spec, mark.get().tier(), mark.get().owner(),
              family.get());
          rules.add(rule);
          handles.computeIfAbsent(rule.key(), k -> new ArrayList<>()).add(handle);
          slots.add(new Placed(handle, new Slot(Optional.of(spec), mark.get().tier())));
        } else {
          slots.add(new Placed(handle, Slot.foreign()));
          if (tc.isPresent()) {
            ForeignRule rule = new ForeignRule(tc.get().table(), tc.get().chain(), spec, family.get(), handle);
            if (tc.get().chain().startsWith("NETFORM-") || rule.target().isPresent()) {
              foreign.add(rule);
            }
          }
        }
      }
    }
    return new NftRuleset(chains, rules, foreign, layout, handles, tables, contents, iptablesChains);
  }

  /** The family of one of netform's tables ({@code field} names the table), or empty for anyone else's. */
  private static Optional<Family> ours(JsonNode o, String field) {
    if (!o.path(field).asString("").equals(NftSyntax.TABLE)) {
      return Optional.empty();
    }
    return NftSyntax.family(o.path("family").asString(""));
  }

  /**
   * The rule's iptables text; an expression netform does not write is kept as {@code nft:JSON}, so
   * a changed rule reads as another rule (and is replaced), never as the one netform made.
   */
  private static String text(JsonNode expr, io.netform.model.FirewallTable table, Family family) {
    if (expr == null || !expr.isArray()) {
      return "nft:" + expr;
    }
    List<String> words = new ArrayList<>();
    for (JsonNode e : expr) {
      if (NftSyntax.counter(e)) {
        continue;
      }
      words.add(NftSyntax.spec(Json.MAPPER.createArrayNode().add(e), table, family).orElse("nft:" + e));
    }
    return String.join(" ", words);
  }

  static String layoutKey(Family family, String nftChain) {
    return NftSyntax.family(family) + "/" + nftChain;
  }
}
