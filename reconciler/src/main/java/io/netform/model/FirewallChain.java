package io.netform.model;

import io.netform.net.IpAddress;
import java.util.Map;

/**
 * One of netform's own chains (always named {@code NETFORM-...}; built-in chains are never owned),
 * in the iptables of one address family: ip6tables has chains of the same names of its own.
 */
public record FirewallChain(FirewallTable table, String name, Owner owner, IpAddress.Family family) implements KernelObject {

  public FirewallChain {
    family = family == null ? IpAddress.Family.V4 : family; // snapshots written before IPv6 rules name no family
  }

  /** An IPv4 (iptables) chain. */
  public FirewallChain(FirewallTable table, String name, Owner owner) {
    this(table, name, owner, IpAddress.Family.V4);
  }

  @Override
  public String key() {
    return key(table, name, family);
  }

  static String key(FirewallTable table, String name, IpAddress.Family family) {
    return "chain/" + table.path(family) + "/" + name;
  }

  @Override
  public String kindLabel() {
    return "chain";
  }

  @Override
  public String displayName() {
    return table.label(family) + " " + name;
  }

  @Override
  public Map<String, String> attributes() {
    return Map.of();
  }

  @Override
  public int rank() {
    return 5;
  }
}
