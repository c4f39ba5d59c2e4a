package io.netform.kernel.firewall;

import io.netform.kernel.firewall.IptablesSave.Slot;
import io.netform.model.FirewallChain;
import io.netform.model.FirewallRule;
import io.netform.model.FirewallTable;
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
 * Parses {@code nft -j list table ip|ip6 netform}: netform's chains and (comment-marked) rules,
 * the rules there without netform's mark, each rule's handle and place, and the base chains that
 * are not as netform declares them. As with iptables ({@link IptablesSave}), a rule is netform's
 * only when its comment's id is the one its chain and text give: a comment copied onto another
 * rule, or a rule changed under its comment, makes a foreign rule, never deleted by netform.
 *
 * <ul>
 *   <li>{@code layout}: every rule of each chain in order, keyed {@code FAMILY/CHAIN};
 *   <li>{@code handles}: the handles of netform's rules, by rule key;
 *   <li>{@code contents}: per family, everything in the table but the table itself and netform's
 *       base chains (rules, chains, sets, maps, ...): the table is deleted only when that is none;
 *   <li>{@code changed}: base chains of netform whose type, hook, priority or policy someone
 *       changed (or that lost their hook), keyed as the layout: their rules are not read as
 *       netform's, so a plan makes them again, in the chain made again.
 * </ul>
 */
record NftRuleset(List<FirewallChain> chains, List<FirewallRule> rules, List<ForeignRule> foreign,
    Map<String, List<Placed>> layout, Map<String, List<Long>> handles, Map<Family, Integer> contents, Set<String> changed) {

  /** A rule's place in an nft chain: its handle and its tier (a foreign rule's is the highest). */
  record Placed(long handle, Slot slot) {}

  /** The JSON nft printed for each of netform's tables. */
  static NftRuleset parse(List<String> tables) {
    List<JsonNode> items = new ArrayList<>();
    for (String json : tables) {
      JsonNode root;
      try {
        root = Json.MAPPER.readTree(json);
      } catch (JacksonException e) {
        throw new FirewallException("nft printed what is not JSON: " + e.getOriginalMessage());
      }
      if (!root.path("nftables").isArray()) {
        throw new FirewallException("nft printed JSON without an \"nftables\" list");
      }
      root.path("nftables").forEach(items::add);
    }
    Builder b = new Builder();
    items.forEach(b::chain); // chains first: a rule's chain must be known as changed or not
    items.forEach(b::rule);
    return new NftRuleset(b.chains, b.rules, b.foreign, b.layout, b.handles, b.contents, b.changed);
  }

  private static final class Builder {
    final List<FirewallChain> chains = new ArrayList<>();
    final List<FirewallRule> rules = new ArrayList<>();
    final List<ForeignRule> foreign = new ArrayList<>();
    final Map<String, List<Placed>> layout = new LinkedHashMap<>();
    final Map<String, List<Long>> handles = new HashMap<>();
    final Map<Family, Integer> contents = new HashMap<>();
    final Set<String> changed = new LinkedHashSet<>();

    void chain(JsonNode item) {
      if (item.size() != 1) {
        return;
      }
      String kind = item.propertyNames().iterator().next();
      JsonNode o = item.get(kind);
      Optional<Family> family = ours(o, kind.equals("table") ? "name" : "table");
      if (family.isEmpty() || kind.equals("table") || kind.equals("rule") || kind.equals("metainfo")) {
        return;
      }
      if (!kind.equals("chain")) {
        contents.merge(family.get(), 1, Integer::sum); // a set, map, counter, flowtable...: someone else's, kept
        return;
      }
      String name = o.path("name").asString("");
      String key = layoutKey(family.get(), name);
      layout.computeIfAbsent(key, k -> new ArrayList<>());
      Optional<NftSyntax.TableChain> tc = NftSyntax.tableChain(name);
      Optional<NftSyntax.BaseChain> base = tc.flatMap(t -> NftSyntax.baseChain(t.table(), t.chain()));
      if (base.isPresent()) {
        if (!base.get().matches(o)) {
          changed.add(key);
        }
        return; // netform's base chains come and go with the table
      }
      if (tc.isPresent() && tc.get().chain().startsWith("NETFORM-") && !o.has("hook")) {
        chains.add(new FirewallChain(tc.get().table(), tc.get().chain(), Owner.HOST, family.get()));
      }
      contents.merge(family.get(), 1, Integer::sum);
    }

    void rule(JsonNode item) {
      JsonNode r = item.get("rule");
      Optional<Family> family = r == null ? Optional.empty() : ours(r, "table");
      if (family.isEmpty()) {
        return;
      }
      contents.merge(family.get(), 1, Integer::sum);
      String nftChain = r.path("chain").asString("");
      String key = layoutKey(family.get(), nftChain);
      long handle = r.path("handle").asLong(-1);
      List<Placed> slots = layout.computeIfAbsent(key, k -> new ArrayList<>());
      Optional<NftSyntax.TableChain> tc = NftSyntax.tableChain(nftChain);
      Optional<RuleComment.Parsed> mark = Optional.ofNullable(r.get("comment")).filter(JsonNode::isString)
          .flatMap(c -> RuleComment.parse(c.asString()));
      String spec = tc.map(t -> text(r.get("expr"), t.table(), family.get())).orElse("");
      Optional<FirewallRule> own = mark.flatMap(m -> tc.map(t -> new FirewallRule(t.table(), t.chain(), spec, m.tier(),
          m.owner(), family.get()))).filter(rule -> rule.id().equals(mark.get().id()));
      if (own.isPresent()) {
        slots.add(new Placed(handle, new Slot(Optional.of(spec), own.get().tier())));
        if (!changed.contains(key)) {
          rules.add(own.get());
          handles.computeIfAbsent(own.get().key(), k -> new ArrayList<>()).add(handle);
        }
        return;
      }
      slots.add(new Placed(handle, Slot.foreign()));
      if (tc.isPresent()) {
        ForeignRule rule = new ForeignRule(tc.get().table(), tc.get().chain(), spec, family.get(), handle);
        if (tc.get().chain().startsWith("NETFORM-") || rule.target().isPresent()) {
          foreign.add(rule);
        }
      }
    }
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
  private static String text(JsonNode expr, FirewallTable table, Family family) {
    if (expr == null || !expr.isArray()) {
      return "nft:" + expr;
    }
    List<String> words = new ArrayList<>();
    for (JsonNode e : expr) {
      if (NftSyntax.counter(e)) {
        continue;
      }
      words.add(NftSyntax.words(e, table, family).orElse("nft:" + e));
    }
    return String.join(" ", words);
  }

  static String layoutKey(Family family, String nftChain) {
    return NftSyntax.family(family) + "/" + nftChain;
  }

  /** Whether a chain of the layout holds a rule netform does not own. */
  boolean holdsForeign(String key) {
    return layout.getOrDefault(key, List.of()).stream().anyMatch(p -> p.slot().spec().isEmpty());
  }
}
