package io.netform.ipam;

import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The result of address allocation, and also its sticky input: given the previous allocation a
 * container keeps its address and interface name when others are added or removed.
 */
public record Allocation(Map<String, NetworkAllocation> networks, Map<EndpointId, EndpointAllocation> endpoints) {

  public Allocation {
    networks = Collections.unmodifiableMap(new TreeMap<>(networks));
    endpoints = Collections.unmodifiableMap(new TreeMap<>(endpoints));
  }

  public static Allocation none() {
    return new Allocation(Map.of(), Map.of());
  }

  public Optional<EndpointAllocation> endpoint(String container, String network) {
    return Optional.ofNullable(endpoints.get(new EndpointId(container, network)));
  }
}
