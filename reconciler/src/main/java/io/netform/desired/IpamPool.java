package io.netform.desired;

import io.netform.net.Cidr;
import io.netform.net.IpAddress;
import java.util.Map;
import java.util.Optional;

/**
 * One entry of {@code ipam.config}: a subnet with its optional gateway, allocation range and
 * reserved (auxiliary) addresses. {@code auxAddresses} keeps declaration order.
 */
public record IpamPool(Cidr subnet, Optional<IpAddress> gateway, Optional<Cidr> ipRange,
                       Map<String, IpAddress> auxAddresses) {

  public IpamPool {
    auxAddresses = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(auxAddresses));
  }
}
