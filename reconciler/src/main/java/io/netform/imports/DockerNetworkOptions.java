package io.netform.imports;

import io.netform.desired.DockerOptionKeys;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A Docker network's {@code Options}, consumed key by key: whatever no setting took is left over,
 * and the import lists each leftover as left out (Docker stores options it does not know, so an
 * engine's output may hold anything).
 */
final class DockerNetworkOptions {

  static final String BRIDGE_NAME = DockerOptionKeys.BRIDGE_NAME;
  static final String ICC = DockerOptionKeys.ICC;
  static final String MASQUERADE = DockerOptionKeys.MASQUERADE;
  static final String HOST_BINDING = DockerOptionKeys.HOST_BINDING;
  static final String MTU = DockerOptionKeys.MTU;
  static final String DEFAULT_BRIDGE = DockerOptionKeys.DEFAULT_BRIDGE;
  static final String PARENT = DockerOptionKeys.PARENT;
  static final String MACVLAN_MODE = DockerOptionKeys.MACVLAN_MODE;
  static final String VXLAN_IDS = DockerOptionKeys.VXLAN_IDS;
  static final String ENABLE_IPV6 = DockerOptionKeys.ENABLE_IPV6;

  private final Map<String, String> remaining;

  DockerNetworkOptions(Map<String, JsonValue> options) {
    remaining = new TreeMap<>();
    options.forEach((k, v) -> remaining.put(k, v.text().orElse("")));
  }

  /** The option's value, taken out of what is left over. */
  Optional<String> take(String key) {
    return Optional.ofNullable(remaining.remove(key)).filter(v -> !v.isEmpty());
  }

  /** Docker's boolean option text ("true", "false"); anything else is the fallback. */
  boolean takeFlag(String key, boolean fallback) {
    return take(key).map(v -> v.equalsIgnoreCase("true") ? Boolean.TRUE : v.equalsIgnoreCase("false") ? Boolean.FALSE : null)
        .orElse(fallback);
  }

  /** The options no setting took, with their values. */
  Map<String, String> leftOver() {
    return Map.copyOf(remaining);
  }
}
