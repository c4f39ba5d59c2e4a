package io.netform.desired;

import io.netform.net.IpAddress;
import io.netform.net.MacAddress;
import java.util.List;
import java.util.Optional;

/** A container's membership in one network (Compose's {@code networks.<name>} entry). */
public record Attachment(
    String network,
    Optional<IpAddress> ipv4Address,
    Optional<IpAddress> ipv6Address,
    Optional<MacAddress> macAddress,
    List<String> aliases,
    int gwPriority) {

  public Attachment {
    aliases = List.copyOf(aliases);
  }

  public static Attachment dynamic(String network) {
    return new Attachment(network, Optional.empty(), Optional.empty(), Optional.empty(), List.of(), 0);
  }
}
