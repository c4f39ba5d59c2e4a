package io.netform.desired;

import io.netform.diagnostics.Location;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

/**
 * Where each part of the desired state was written. Paths are JSON pointers into the merged
 * document ({@code /networks/web/ipam/config/0/subnet}), the same form JSON Schema errors use,
 * so every finding can be traced back to a file, line and column.
 */
public final class SourceMap {

  private final Map<String, Location> values;
  private final Map<String, Location> keys;

  public SourceMap(Map<String, Location> values, Map<String, Location> keys) {
    this.values = Collections.unmodifiableMap(new HashMap<>(values));
    this.keys = Collections.unmodifiableMap(new HashMap<>(keys));
  }

  public static SourceMap empty() {
    return new SourceMap(Map.of(), Map.of());
  }

  /** Location of the value at {@code path}, or of its nearest recorded ancestor. */
  public Location value(String path) {
    return nearest(values, path);
  }

  /** Location of the mapping key that names {@code path}, falling back to its value. */
  public Location key(String path) {
    Location key = keys.get(path);
    return key != null ? key : value(path);
  }

  private Location nearest(Map<String, Location> map, String path) {
    String p = path;
    while (true) {
      Location l = map.get(p);
      if (l != null) {
        return l;
      }
      if (p.isEmpty()) {
        return new Location("<unknown>", 1, 1);
      }
      int slash = p.lastIndexOf('/');
      p = slash <= 0 ? "" : p.substring(0, slash);
    }
  }

  public SourceMap merge(SourceMap other) {
    Map<String, Location> v = new HashMap<>(values);
    v.putAll(other.values);
    Map<String, Location> k = new HashMap<>(keys);
    k.putAll(other.keys);
    return new SourceMap(v, k);
  }

  /** Path of one published port of a container, as recorded by the loader. */
  public static String portPath(String container, String mapping) {
    return "/containers/" + segment(container) + "/ports/" + segment(mapping);
  }

  /** Escapes one path segment the JSON Pointer way (RFC 6901). */
  public static String segment(String name) {
    return name.replace("~", "~0").replace("/", "~1");
  }
}
