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
 * in by, which a container needs to reach its own published port through the host.
 */
public record VethObject(
    String hostName, String bridge, String peerNamespace, String peerName, MacAddress peerMac, int mtu, boolean up,
    boolean hairpin, Owner owner)
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
    return a;
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
