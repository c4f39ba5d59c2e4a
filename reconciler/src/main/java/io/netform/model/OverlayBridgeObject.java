package io.netform.model;

import io.netform.net.Cidr;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The bridge of an overlay network on one host, inside the network's own namespace (Docker's
 * {@code br0}): its VXLAN device and the local containers' ports are enslaved to it, and it holds
 * the gateway address. In a namespace of its own, the host has no route to the overlay and every
 * host holds the same gateway address. Its subnet is recorded as a bridge network's is, its
 * multicast snooping kept on as a bridge network's is ({@link BridgeObject#snoopingLabel}).
 */
public record OverlayBridgeObject(String namespace, String name, int mtu, List<Cidr> subnets, boolean multicastSnooping,
    Owner owner) implements KernelObject {

  public OverlayBridgeObject {
    subnets = List.copyOf(subnets);
  }

  @Override
  public String key() {
    return KernelObject.linkKey(namespace, name);
  }

  @Override
  public String kindLabel() {
    return "bridge";
  }

  @Override
  public String displayName() {
    return namespace + "/" + name;
  }

  @Override
  public Map<String, String> attributes() {
    Map<String, String> a = new LinkedHashMap<>();
    a.put("subnets", subnets.stream().map(Cidr::toString).collect(Collectors.joining(",")));
    a.put("mtu", Integer.toString(mtu));
    a.put("mcast_snooping", BridgeObject.snoopingLabel(multicastSnooping));
    return a;
  }

  @Override
  public Set<String> replaceAttributes() {
    return Set.of("subnets");
  }

  @Override
  public Set<String> dependsOn() {
    return Set.of(KernelObject.namespaceKey(namespace));
  }

  @Override
  public int rank() {
    return 1;
  }
}
