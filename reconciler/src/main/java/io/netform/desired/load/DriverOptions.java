package io.netform.desired.load;

import io.netform.desired.DockerOptionKeys;
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
      Map.entry(DockerOptionKeys.BRIDGE_NAME, "bridge_name"),
      Map.entry(DockerOptionKeys.ICC, "icc"),
      Map.entry(DockerOptionKeys.MASQUERADE, "masquerade"),
      Map.entry(DockerOptionKeys.HOST_BINDING, "host_binding_ipv4"),
      Map.entry(DockerOptionKeys.MTU, "mtu"),
      Map.entry(DockerOptionKeys.DEFAULT_BRIDGE, "default"),
      Map.entry(DockerOptionKeys.ENABLE_IPV6, "enable_ipv6"),
      Map.entry(DockerOptionKeys.PARENT, "parent"),
      Map.entry(DockerOptionKeys.MACVLAN_MODE, "macvlan_mode"),
      Map.entry(DockerOptionKeys.VXLAN_IDS, DriverOptions.VXLAN_IDS),
      Map.entry(DockerOptionKeys.ENCRYPTED, DriverOptions.ENCRYPTED));

  /** An overlay network's VXLAN id, as Docker's overlay driver takes it; netform has no first-class key for it. */
  static final String VXLAN_IDS_OPTION = DockerOptionKeys.VXLAN_IDS;
  static final String VXLAN_IDS = "vxlanid_list";
  /** Docker's encrypted overlay (IPsec): refused with a located error until netform implements it. */
  static final String ENCRYPTED = DockerOptionKeys.ENCRYPTED;

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
