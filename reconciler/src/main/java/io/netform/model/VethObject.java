package io.netform.model;

import io.netform.net.MacAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A veth pair wiring a container to a bridge: {@code hostName} on the bridge in the host
 * namespace, {@code peerName} (eth0, eth1, ...) inside {@code peerNamespace}. {@code up} means
 * both ends are up: a pair left down (by a crash, or by hand) is a difference to repair.
 * {@code hairpin} is the bridge port's hairpin mode: a frame may leave through the port it came
 * in by, which a container needs to reach its own published port through the host. {@code ipv6}:
 * IPv6 is enabled on the container's end (see {@link #ipv6Label}).
 */
public record VethObject(
    String hostName, String bridge, String peerNamespace, String peerName, MacAddress peerMac, int mtu, boolean up,
    boolean hairpin, boolean ipv6, Owner owner)
    implements KernelObject {

  @Override
  public String key() {
    return KernelObject.linkKey(HOST_NS, hostName);
  }

  @Override
  public String kindLabel() {
    return "veth";
  }

  @Override
  public String displayName() {
    return peerNamespace + "/" + peerName + " <-> " + hostName;
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
    a.put("hairpin", hairpin ? "on" : "off");
    a.put("ipv6", ipv6Label(ipv6));
    return a;
  }

  /**
   * IPv6 is on on a container's interface only if its network has IPv6, as Docker 26+ has it: on
   * an IPv4-only network it would only join multicast groups, answer neighbour discovery and take
   * router advertisements. The kernel's default (and snapshots without the field) is on.
   */
  public static String ipv6Label(boolean ipv6) {
    return ipv6 ? "on" : "off";
  }

  /** The alias of its host end names the owner. */
  @Override
  public boolean marksOwner() {
    return true;
  }

  @Override
  public Set<String> replaceAttributes() {
    return Set.of("namespace");
  }

  @Override
  public Set<String> provides() {
    return Set.of(key(), KernelObject.linkKey(peerNamespace, peerName));
  }

  @Override
  public Set<String> dependsOn() {
    return Set.of(KernelObject.linkKey(HOST_NS, bridge), KernelObject.namespaceKey(peerNamespace));
  }

  @Override
  public int rank() {
    return 2;
  }
}
