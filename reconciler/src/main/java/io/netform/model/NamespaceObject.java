package io.netform.model;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A container's network namespace. Without {@code path} it is the named namespace
 * {@code /run/netns/<name>} that netform creates and deletes; with a path it is an existing
 * namespace that netform wires but never deletes.
 */
public record NamespaceObject(String name, Optional<String> path, Owner owner) implements KernelObject {

  @Override
  public String key() {
    return KernelObject.namespaceKey(name);
  }

  @Override
  public String kindLabel() {
    return "namespace";
  }

  @Override
  public String displayName() {
    return name;
  }

  @Override
  public Map<String, String> attributes() {
    Map<String, String> a = new LinkedHashMap<>();
    a.put("path", path.orElse("/run/netns/" + name));
    return a;
  }

  @Override
  public Set<String> replaceAttributes() {
    return Set.of("path");
  }

  @Override
  public int rank() {
    return 0;
  }
}
