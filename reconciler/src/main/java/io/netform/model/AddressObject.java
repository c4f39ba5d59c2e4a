package io.netform.model;

import io.netform.net.Cidr;
import java.util.Map;
import java.util.Set;

/** An address (with its prefix) on an interface; fully identified by where it is and what it is. */
public record AddressObject(String namespace, String device, Cidr address, Owner owner) implements KernelObject {

  @Override
  public String key() {
    return "addr/" + KernelObject.nsLabel(namespace) + "/" + device + "/" + address;
  }

  @Override
  public String kindLabel() {
    return "address";
  }

  @Override
  public String displayName() {
    return address + " on " + (namespace.isEmpty() ? "" : namespace + "/") + device;
  }

  @Override
  public Map<String, String> attributes() {
    return Map.of();
  }

  /**
   * Besides itself, "an address of this family on this interface": routes through the interface
   * need one (the kernel deletes a route whose gateway only a deleted address made reachable).
   */
  @Override
  public Set<String> provides() {
    return Set.of(key(), onInterface(namespace, device, address.address().isV4()));
  }

  static String onInterface(String namespace, String device, boolean v4) {
    return "addr-on/" + KernelObject.nsLabel(namespace) + "/" + device + (v4 ? "/v4" : "/v6");
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
