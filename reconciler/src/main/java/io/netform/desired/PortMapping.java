package io.netform.desired;

import io.netform.net.IpAddress;
import java.util.Optional;

/**
 * A published port, Compose short syntax {@code [HOST_IP:]HOST_PORT:CONTAINER_PORT[/PROTO]}.
 * Without a host IP the network's {@code host_binding_ipv4} (default: every local address) applies.
 */
public record PortMapping(Optional<IpAddress> hostIp, int hostPort, int containerPort, Protocol protocol) {

  @Override
  public String toString() {
    String host = hostIp.map(ip -> ip + ":").orElse("");
    return host + hostPort + ":" + containerPort + "/" + protocol.text();
  }
}
