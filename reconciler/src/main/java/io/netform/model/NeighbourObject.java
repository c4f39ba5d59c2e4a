package io.netform.model;

import io.netform.net.IpAddress;
import io.netform.net.MacAddress;
import java.util.Map;
import java.util.Set;

/**
 * A permanent neighbour entry of an overlay's VXLAN device: a remote endpoint's address and MAC,
 * from which the device answers the local containers' ARP requests itself (so no broadcast has to
 * cross the underlay).
 */
public record NeighbourObject(String namespace, String device, IpAddress address, MacAddress mac, Owner owner)
    implements KernelObject {

  @Override
  public String key() {
    return "neigh/" + KernelObject.nsLabel(namespace) + "/" + device + "/" + address;
  }

  @Override
  public String kindLabel() {
    return "neighbour";
  }

  @Override
  public String displayName() {
    return address + " on " + namespace + "/" + device;
  }

  @Override
  public Map<String, String> attributes() {
    return Map.of("lladdr", mac.toString());
  }

  @Override
  public Set<String> dependsOn() {
    return Set.of(KernelObject.linkKey(namespace, device));
  }

  @Override
  public int rank() {
    return 3;
  }
}
