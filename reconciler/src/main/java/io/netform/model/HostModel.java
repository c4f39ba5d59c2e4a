package io.netform.model;

import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** A set of kernel objects indexed by key: the target of a desired state, or what a host holds. */
public record HostModel(Map<String, KernelObject> objects) {

  public HostModel {
    objects = Collections.unmodifiableMap(new TreeMap<>(objects)); // from a sorted map: a linear copy
  }

  public static HostModel empty() {
    return new HostModel(Map.of());
  }

  /** The objects by key; two with one key are refused (IllegalArgumentException). */
  public static HostModel of(Collection<? extends KernelObject> objects) {
    return new HostModel(SortedByKey.uniqueKeys(objects));
  }

  public Optional<KernelObject> get(String key) {
    return Optional.ofNullable(objects.get(key));
  }

  public int size() {
    return objects.size();
  }
}
