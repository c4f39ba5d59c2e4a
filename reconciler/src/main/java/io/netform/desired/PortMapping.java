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
    String host = hostIp.map(ip -> (ip.isV4() ? ip.toString() : "[" + ip + "]") + ":").orElse(""); // as written: [::]:80:80
    return host + hostPort + ":" + containerPort + "/" + protocol.text();
  }

  /** The same mapping on host address {@code ip}. */
  public PortMapping on(IpAddress ip) {
    return new PortMapping(Optional.of(ip), hostPort, containerPort, protocol);
  }
}
