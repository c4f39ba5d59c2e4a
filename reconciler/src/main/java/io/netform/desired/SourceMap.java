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
  /** Paths by the name a network has on the host → the paths written under its key (Compose's name:). */
  private final Map<String, String> aliases;

  public SourceMap(Map<String, Location> values, Map<String, Location> keys) {
    this(values, keys, Map.of());
  }

  private SourceMap(Map<String, Location> values, Map<String, Location> keys, Map<String, String> aliases) {
    this.values = Collections.unmodifiableMap(new HashMap<>(values));
    this.keys = Collections.unmodifiableMap(new HashMap<>(keys));
    this.aliases = Collections.unmodifiableMap(new HashMap<>(aliases));
  }

  /**
   * The same map, where a path under a key of {@code aliases} is looked up under its value
   * instead: a network renamed to its name on the host is still found where its key was written.
   */
  public SourceMap withAliases(Map<String, String> more) {
    Map<String, String> all = new HashMap<>(aliases);
    all.putAll(more);
    return new SourceMap(values, keys, all);
  }

  private String written(String path) {
    if (aliases.isEmpty()) {
      return path;
    }
    for (Map.Entry<String, String> a : aliases.entrySet()) {
      String prefix = a.getKey();
      if (path.startsWith(prefix) && (path.length() == prefix.length() || path.charAt(prefix.length()) == '/')) {
        return a.getValue() + path.substring(prefix.length());
      }
    }
    return path;
  }

  public static SourceMap empty() {
    return new SourceMap(Map.of(), Map.of());
  }

  /** Location of the value at {@code path}, or of its nearest recorded ancestor. */
  public Location value(String path) {
    return nearest(values, written(path));
  }

  /** Whether a mapping key names {@code path}: it was written, even if what it holds was refused. */
  public boolean declares(String path) {
    return keys.containsKey(written(path));
  }

  /** Location of the mapping key that names {@code path}, falling back to its value. */
  public Location key(String path) {
    Location key = keys.get(written(path));
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
    Map<String, String> a = new HashMap<>(aliases);
    a.putAll(other.aliases);
    return new SourceMap(v, k, a);
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
