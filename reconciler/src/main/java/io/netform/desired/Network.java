package io.netform.desired;

import io.netform.net.IpAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A network as declared, with Docker's driver options already folded into the first-class
 * fields. {@code pools} is empty when the user configured no subnet (IPAM then picks one from
 * Docker's default pools) — which also means static addresses are not allowed on it.
 */
public record Network(
    String name,
    Driver driver,
    Optional<String> bridgeName,
    List<IpamPool> pools,
    boolean internal,
    boolean icc,
    boolean masquerade,
    int mtu,
    Optional<IpAddress> hostBindingIpv4,
    boolean enableIpv6,
    Map<String, String> labels,
    Optional<String> parent,
    boolean isDefault) {

  public static final int DEFAULT_MTU = 1500;

  public Network {
    pools = List.copyOf(pools);
    labels = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(labels));
  }

  public boolean hasUserSubnet() {
    return !pools.isEmpty();
  }
}
