package io.netform.model;

import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** A set of kernel objects indexed by key: the target of a desired state, or what a host holds. */
public record HostModel(Map<String, KernelObject> objects) {

  public HostModel {
    objects = Collections.unmodifiableMap(new TreeMap<>(objects)); // from a sorted map: a linear copy
  }

  public static HostModel empty() {
    return new HostModel(Map.of());
  }

  public static HostModel of(Collection<? extends KernelObject> objects) {
    return new HostModel(objects.stream().collect(Collectors.toMap(KernelObject::key, o -> o, (a, b) -> {
      throw new IllegalArgumentException("two objects with key " + a.key());
    }, TreeMap::new)));
  }

  public Optional<KernelObject> get(String key) {
    return Optional.ofNullable(objects.get(key));
  }

  public int size() {
    return objects.size();
  }
}
