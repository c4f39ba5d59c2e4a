package io.netform.model;

import io.netform.net.MacAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A veth pair wiring a container to an overlay network on its host: {@code name} on the overlay's
 * bridge inside the overlay's namespace, {@code peerName} ({@code eth0}, …) inside the container.
 * The overlay's counterpart of a {@link VethObject}, whose bridge end is in the host namespace;
 * {@code ipv6}: IPv6 enabled on the container's end (see {@link VethObject#ipv6Label}).
 */
public record OverlayPortObject(String namespace, String name, String bridge, String peerNamespace, String peerName,
    MacAddress peerMac, int mtu, boolean up, boolean ipv6, Owner owner) implements KernelObject {

  @Override
  public String key() {
    return KernelObject.linkKey(namespace, name);
  }

  /** The alias of its overlay end names the owner. */
  @Override
  public boolean marksOwner() {
    return true;
  }

  @Override
  public String kindLabel() {
    return "veth";
  }

  @Override
  public String displayName() {
    return peerNamespace + "/" + peerName + " <-> " + namespace + "/" + name;
  }

  @Override
  public Map<String, String> attributes() {
    Map<String, String> a = new LinkedHashMap<>();
    a.put("bridge", bridge);
    a.put("namespace", peerNamespace);
    a.put("name", peerName);
    a.put("mac", peerMac.toString());
    a.put("mtu", Integer.toString(mtu));
    a.put("state", up ? "up" : "down");
    a.put("ipv6", VethObject.ipv6Label(ipv6));
    return a;
  }

  @Override
  public Set<String> replaceAttributes() {
    return Set.of("namespace", "name", "bridge");
  }

  @Override
  public Set<String> provides() {
    return Set.of(key(), KernelObject.linkKey(peerNamespace, peerName));
  }

  @Override
  public Set<String> dependsOn() {
    return Set.of(KernelObject.linkKey(namespace, bridge), KernelObject.namespaceKey(peerNamespace),
        KernelObject.namespaceKey(namespace));
  }

  @Override
  public int rank() {
    return 2;
  }
}
