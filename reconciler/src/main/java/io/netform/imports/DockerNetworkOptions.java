package io.netform.imports;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A Docker network's {@code Options}, consumed key by key: whatever no setting took is left over,
 * and the import lists each leftover as left out (Docker stores options it does not know, so an
 * engine's output may hold anything).
 */
final class DockerNetworkOptions {

  static final String BRIDGE_NAME = "com.docker.network.bridge.name";
  static final String ICC = "com.docker.network.bridge.enable_icc";
  static final String MASQUERADE = "com.docker.network.bridge.enable_ip_masquerade";
  static final String HOST_BINDING = "com.docker.network.bridge.host_binding_ipv4";
  static final String MTU = "com.docker.network.driver.mtu";
  static final String DEFAULT_BRIDGE = "com.docker.network.bridge.default_bridge";
  static final String PARENT = "parent";
  static final String MACVLAN_MODE = "macvlan_mode";
  static final String VXLAN_IDS = "com.docker.network.driver.overlay.vxlanid_list";
  static final String ENABLE_IPV6 = "com.docker.network.enable_ipv6";

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
