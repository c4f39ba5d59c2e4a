package io.netform.model;

import io.netform.net.IpAddress;
import io.netform.net.MacAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A static forwarding entry of an overlay's VXLAN device: frames for a remote endpoint's MAC go
 * to its host's underlay address ({@code bridge fdb add MAC dev vxlan0 dst HOST self permanent}),
 * at that host's VXLAN port when it differs from this device's.
 */
public record FdbEntryObject(String namespace, String device, MacAddress mac, IpAddress destination,
    Optional<Integer> port, Owner owner) implements KernelObject {

  @Override
  public String key() {
    return "fdb/" + KernelObject.nsLabel(namespace) + "/" + device + "/" + mac;
  }

  @Override
  public String kindLabel() {
    return "fdb";
  }

  @Override
  public String displayName() {
    return namespace + "/" + device + " " + mac;
  }

  @Override
  public Map<String, String> attributes() {
    Map<String, String> a = new LinkedHashMap<>();
    a.put("dst", destination.toString());
    port.ifPresent(p -> a.put("port", Integer.toString(p)));
    return a;
  }

  @Override
  public Set<String> replaceAttributes() {
    return Set.of("dst", "port");
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
