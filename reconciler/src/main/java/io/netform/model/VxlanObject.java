package io.netform.model;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The VXLAN device of an overlay network on one host, a port of the network's bridge in the
 * network's namespace. It is created by the host's namespace, so its UDP socket (the VXLAN port)
 * lives there, the underlay's side, while the device lives with the bridge (Docker's way). No
 * learning and no flooding: every remote endpoint is a static forwarding and neighbour entry, and
 * the device answers ARP from its neighbour table ({@code proxy}).
 */
public record VxlanObject(String namespace, String name, int vni, int port, int mtu, String bridge, boolean up,
    Owner owner) implements KernelObject {

  @Override
  public String key() {
    return KernelObject.linkKey(namespace, name);
  }

  @Override
  public String kindLabel() {
    return "vxlan";
  }

  @Override
  public String displayName() {
    return namespace + "/" + name + " (VXLAN id " + vni + ", port " + port + ")";
  }

  @Override
  public Map<String, String> attributes() {
    Map<String, String> a = new LinkedHashMap<>();
    a.put("vni", Integer.toString(vni));
    a.put("port", Integer.toString(port));
    a.put("mtu", Integer.toString(mtu));
    a.put("bridge", bridge);
    a.put("state", up ? "up" : "down");
    return a;
  }

  /** The id and the port are the device's identity on the wire: another one is another device. */
  @Override
  public Set<String> replaceAttributes() {
    return Set.of("vni", "port");
  }

  @Override
  public Set<String> dependsOn() {
    return Set.of(KernelObject.namespaceKey(namespace), KernelObject.linkKey(namespace, bridge));
  }

  @Override
  public int rank() {
    return 2;
  }
}
