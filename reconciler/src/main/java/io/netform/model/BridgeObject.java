package io.netform.model;

import io.netform.net.Cidr;
import io.netform.net.MacAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A Linux bridge in the host namespace serving one network. {@code subnets} is recorded on the
 * bridge (in its alias) because a network whose subnet changes is replaced with everything
 * attached to it, as Docker would have to recreate it.
 */
public record BridgeObject(String name, int mtu, Optional<MacAddress> mac, List<Cidr> subnets, Owner owner)
    implements KernelObject {

  public BridgeObject {
    subnets = List.copyOf(subnets);
  }

  @Override
  public String key() {
    return KernelObject.linkKey(HOST_NS, name);
  }

  @Override
  public String kindLabel() {
    return "bridge";
  }

  @Override
  public String displayName() {
    return name;
  }

  @Override
  public Map<String, String> attributes() {
    Map<String, String> a = new LinkedHashMap<>();
    a.put("subnets", subnets.stream().map(Cidr::toString).collect(Collectors.joining(",")));
    a.put("mtu", Integer.toString(mtu));
    mac.ifPresent(m -> a.put("mac", m.toString()));
    return a;
  }

  @Override
  public Set<String> replaceAttributes() {
    return Set.of("subnets");
  }

  @Override
  public int rank() {
    return 1;
  }
}
