package io.netform.model;

import io.netform.net.MacAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A macvlan interface (bridge mode) on a host {@code parent}, living inside a container namespace;
 * {@code ipv6}: IPv6 enabled on it (see {@link VethObject#ipv6Label}).
 */
public record MacvlanObject(String namespace, String name, String parent, MacAddress mac, int mtu, boolean up, boolean ipv6,
    Owner owner) implements KernelObject {

  @Override
  public String key() {
    return KernelObject.linkKey(namespace, name);
  }

  @Override
  public String kindLabel() {
    return "macvlan";
  }

  @Override
  public String displayName() {
    return namespace + "/" + name + " on " + parent;
  }

  @Override
  public Map<String, String> attributes() {
    Map<String, String> a = new LinkedHashMap<>();
    a.put("parent", parent);
    a.put("mac", mac.toString());
    a.put("mtu", Integer.toString(mtu));
    a.put("state", up ? "up" : "down");
    a.put("ipv6", VethObject.ipv6Label(ipv6));
    return a;
  }

  @Override
  public Set<String> replaceAttributes() {
    return Set.of("parent");
  }

  @Override
  public Set<String> dependsOn() {
    return Set.of(KernelObject.namespaceKey(namespace));
  }

  @Override
  public int rank() {
    return 2;
  }
}
