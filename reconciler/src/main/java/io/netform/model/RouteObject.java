package io.netform.model;

import io.netform.net.Cidr;
import io.netform.net.IpAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A route netform installs (the container's default route, mainly). Subnet routes that the kernel
 * adds for each address are not modelled. Gateway and device change in place (route replace).
 */
public record RouteObject(String namespace, Cidr destination, Optional<IpAddress> gateway, String device, Owner owner)
    implements KernelObject {

  @Override
  public String key() {
    return "route/" + KernelObject.nsLabel(namespace) + "/" + destination;
  }

  @Override
  public String kindLabel() {
    return "route";
  }

  @Override
  public String displayName() {
    String dest = destination.prefix() == 0 ? "default" : destination.toString();
    return (namespace.isEmpty() ? "" : namespace + ": ") + dest;
  }

  @Override
  public Map<String, String> attributes() {
    Map<String, String> a = new LinkedHashMap<>();
    gateway.ifPresent(g -> a.put("via", g.toString()));
    a.put("dev", device);
    return a;
  }

  /** Its interface, and (via a gateway) an address there to reach the gateway from: see AddressObject#provides. */
  @Override
  public Set<String> dependsOn() {
    return gateway.isEmpty() ? Set.of(KernelObject.linkKey(namespace, device))
        : Set.of(KernelObject.linkKey(namespace, device), AddressObject.onInterface(namespace, device, gateway.get().isV4()));
  }

  @Override
  public int rank() {
    return 4;
  }
}
