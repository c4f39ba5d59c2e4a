package io.netform.model;

import java.util.Map;

/** One of netform's own chains (always named {@code NETFORM-...}; built-in chains are never owned). */
public record FirewallChain(FirewallTable table, String name, Owner owner) implements KernelObject {

  @Override
  public String key() {
    return "chain/" + table.text() + "/" + name;
  }

  @Override
  public String kindLabel() {
    return "chain";
  }

  @Override
  public String displayName() {
    return table.text() + " " + name;
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
