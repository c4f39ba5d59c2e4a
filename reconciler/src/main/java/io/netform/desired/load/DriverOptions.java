package io.netform.desired.load;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Docker's network driver options that netform accepts as synonyms of its first-class keys.
 * Docker stores unknown options silently (the seed's {@code enable_ip_masquearde}); netform rejects them.
 */
final class DriverOptions {

  /** Docker option key → first-class key it stands for. */
  static final Map<String, String> SYNONYMS = Map.ofEntries(
      Map.entry("com.docker.network.bridge.name", "bridge_name"),
      Map.entry("com.docker.network.bridge.enable_icc", "icc"),
      Map.entry("com.docker.network.bridge.enable_ip_masquerade", "masquerade"),
      Map.entry("com.docker.network.bridge.host_binding_ipv4", "host_binding_ipv4"),
      Map.entry("com.docker.network.driver.mtu", "mtu"),
      Map.entry("com.docker.network.bridge.default_bridge", "default"),
      Map.entry("com.docker.network.enable_ipv6", "enable_ipv6"),
      Map.entry("parent", "parent"),
      Map.entry("macvlan_mode", "macvlan_mode"),
      Map.entry(DriverOptions.VXLAN_IDS_OPTION, DriverOptions.VXLAN_IDS),
      Map.entry(DriverOptions.ENCRYPTED, DriverOptions.ENCRYPTED));

  /** An overlay network's VXLAN id, as Docker's overlay driver takes it; netform has no first-class key for it. */
  static final String VXLAN_IDS_OPTION = "com.docker.network.driver.overlay.vxlanid_list";
  static final String VXLAN_IDS = "vxlanid_list";
  /** Docker's encrypted overlay (IPsec): refused with a located error until netform implements it. */
  static final String ENCRYPTED = "encrypted";

  private DriverOptions() {}

  static List<String> knownKeys() {
    return SYNONYMS.keySet().stream().sorted().toList();
  }

  /** The known key a misspelled one most likely meant, comparing whole keys and their last segments. */
  static Optional<String> suggestion(String key) {
    Optional<String> whole = io.netform.diagnostics.Suggestions.closest(key, SYNONYMS.keySet());
    if (whole.isPresent()) {
      return whole;
    }
    String last = key.substring(key.lastIndexOf('.') + 1);
    Map<String, String> byLast = new java.util.HashMap<>();
    SYNONYMS.keySet().forEach(k -> byLast.put(k.substring(k.lastIndexOf('.') + 1), k));
    return io.netform.diagnostics.Suggestions.closest(last, byLast.keySet()).map(byLast::get);
  }
}
