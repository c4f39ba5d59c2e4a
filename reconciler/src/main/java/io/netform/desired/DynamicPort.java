package io.netform.desired;

import io.netform.net.IpAddress;
import java.util.Optional;

/**
 * A published port whose host port netform chooses, from {@code firstHostPort}–{@code lastHostPort}:
 * Compose's {@code "80"}, {@code "127.0.0.1::80"} or {@code published: "8000-8010"} with one target,
 * Docker's {@code -P}. The default range is Docker's ephemeral one, the kernel's default
 * {@code ip_local_port_range}. Chosen once and kept: the host's rules say which port it got.
 */
public record DynamicPort(Optional<IpAddress> hostIp, int firstHostPort, int lastHostPort, int containerPort,
    Protocol protocol) {

  public static final int EPHEMERAL_FIRST = 32768;
  public static final int EPHEMERAL_LAST = 60999;

  public static DynamicPort ephemeral(Optional<IpAddress> hostIp, int containerPort, Protocol protocol) {
    return new DynamicPort(hostIp, EPHEMERAL_FIRST, EPHEMERAL_LAST, containerPort, protocol);
  }

  public boolean inRange(int hostPort) {
    return hostPort >= firstHostPort && hostPort <= lastHostPort;
  }

  /** As written in the short syntax: {@code [HOST_IP:][FIRST-LAST]:CONTAINER_PORT/PROTO}, the range left out when it is the default. */
  @Override
  public String toString() {
    boolean ephemeral = firstHostPort == EPHEMERAL_FIRST && lastHostPort == EPHEMERAL_LAST;
    String range = ephemeral ? "" : firstHostPort + "-" + lastHostPort;
    String host = hostIp.map(ip -> (ip.isV4() ? ip.toString() : "[" + ip + "]") + ":").orElse("");
    String prefix = host.isEmpty() && range.isEmpty() ? "" : host + range + ":";
    return prefix + containerPort + "/" + protocol.text();
  }

  /** The port once its host port is chosen. */
  public PortMapping on(int hostPort) {
    return new PortMapping(hostIp, hostPort, containerPort, protocol);
  }
}
