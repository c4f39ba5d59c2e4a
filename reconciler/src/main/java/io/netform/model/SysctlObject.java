package io.netform.model;

import java.util.Map;

/**
 * A sysctl netform needs (e.g. {@code net.ipv4.ip_forward=1}). netform sets it but never resets
 * it on delete: other software on the host may rely on it too.
 */
public record SysctlObject(String namespace, String name, String value, Owner owner) implements KernelObject {

  @Override
  public String key() {
    return "sysctl/" + KernelObject.nsLabel(namespace) + "/" + name;
  }

  @Override
  public String kindLabel() {
    return "sysctl";
  }

  @Override
  public String displayName() {
    return (namespace.isEmpty() ? "" : namespace + ": ") + name;
  }

  @Override
  public Map<String, String> attributes() {
    return Map.of("value", value);
  }

  @Override
  public int rank() {
    return 0;
  }
}
