package io.netform.model;

import io.netform.net.IpAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * One iptables rule owned by netform, in iptables-save syntax without {@code -A CHAIN} and
 * without the ownership comment (the backend adds {@code -m comment --comment "netform:<id>"}).
 *
 * <p>{@code tier} orders rules within a chain: every rule of a lower tier comes before every
 * rule of a higher one, and the order within a tier does not matter (those rules match disjoint
 * traffic or share a verdict). Unlike an index, a tier does not depend on the other rules, so
 * adding or removing one rule never moves another: untouched rules keep their counters.
 *
 * <p>{@code family} says whether the rule is iptables' (IPv4) or ip6tables' (IPv6): the same text
 * in both is two rules, with two keys and two ids (and so two comments).
 */
public record FirewallRule(FirewallTable table, String chain, String spec, int tier, Owner owner, IpAddress.Family family)
    implements KernelObject {

  public FirewallRule {
    family = family == null ? IpAddress.Family.V4 : family; // snapshots written before IPv6 rules name no family
  }

  /** An IPv4 (iptables) rule. */
  public FirewallRule(FirewallTable table, String chain, String spec, int tier, Owner owner) {
    this(table, chain, spec, tier, owner, IpAddress.Family.V4);
  }

  @Override
  public String key() {
    return "rule/" + table.path(family) + "/" + chain + "/" + id();
  }

  /**
   * Stable identity derived from where the rule is and what it does (like Felix's rule hashes). An
   * IPv4 rule's id is what it was before IPv6 rules existed, so rules already on a host keep theirs.
   */
  public String id() {
    return hash(table.path(family) + "\0" + chain + "\0" + spec);
  }

  static String hash(String text) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  @Override
  public String kindLabel() {
    return "rule";
  }

  @Override
  public String displayName() {
    return table.label(family) + " " + chain + " " + spec;
  }

  @Override
  public Map<String, String> attributes() {
    Map<String, String> a = new LinkedHashMap<>();
    a.put("tier", Integer.toString(tier));
    return a;
  }

  /** Its comment names the owner; an owner change takes the rule out and puts it back with the new comment. */
  @Override
  public boolean marksOwner() {
    return true;
  }

  @Override
  public Set<String> dependsOn() {
    return chain.startsWith("NETFORM") ? Set.of(FirewallChain.key(table, chain, family)) : Set.of();
  }

  @Override
  public int rank() {
    return 6;
  }
}
