package io.netform.model;

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
 */
public record FirewallRule(FirewallTable table, String chain, String spec, int tier, Owner owner)
    implements KernelObject {

  @Override
  public String key() {
    return "rule/" + table.text() + "/" + chain + "/" + id();
  }

  /** Stable identity derived from where the rule is and what it does (like Felix's rule hashes). */
  public String id() {
    return hash(table.text() + "\0" + chain + "\0" + spec);
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
    return table.text() + " " + chain + " " + spec;
  }

  @Override
  public Map<String, String> attributes() {
    Map<String, String> a = new LinkedHashMap<>();
    a.put("tier", Integer.toString(tier));
    return a;
  }

  @Override
  public Set<String> dependsOn() {
    return chain.startsWith("NETFORM") ? Set.of("chain/" + table.text() + "/" + chain) : Set.of();
  }

  @Override
  public int rank() {
    return 6;
  }
}
