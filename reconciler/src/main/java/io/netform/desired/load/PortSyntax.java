package io.netform.desired.load;

import io.netform.desired.DynamicPort;
import io.netform.desired.PortMapping;
import io.netform.desired.Protocol;
import io.netform.net.IpAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Compose's short port syntax: {@code [HOST_IP:]HOST_PORT:CONTAINER_PORT[/PROTO]}, with equal
 * length ranges ({@code 8000-8001:80-81}) and IPv6 host addresses in brackets. Without a host port
 * ({@code 80}, {@code 80-81/udp}, {@code 127.0.0.1::80}) netform chooses one from Docker's
 * ephemeral range; a host range for one container port ({@code 8000-8010:80}) means one port of
 * that range, as in Docker.
 */
final class PortSyntax {

  /**
   * The most ports one mapping may publish. Each costs three firewall rules, which every apply
   * and plan reads back: 1,000 ports apply in about 0.2 s, and the 65,535 of "1-65535" made
   * 196,605 rules and minutes of work (measured in docs/performance.md).
   */
  static final int MAX_PORTS_PER_MAPPING = 1_000;

  private PortSyntax() {}

  /** The mappings, or an explanation of what is wrong with the text. */
  static Result parse(String text) {
    String body = text;
    Protocol protocol = Protocol.TCP;
    int slash = body.lastIndexOf('/');
    if (slash >= 0) {
      String proto = body.substring(slash + 1).toLowerCase(Locale.ROOT);
      body = body.substring(0, slash);
      protocol = switch (proto) {
        case "tcp" -> Protocol.TCP;
        case "udp" -> Protocol.UDP;
        case "sctp" -> Protocol.SCTP;
        default -> null;
      };
      if (protocol == null) {
        return Result.error("unknown protocol \"" + proto + "\"", "use tcp, udp or sctp");
      }
    }
    Optional<IpAddress> hostIp = Optional.empty();
    if (body.startsWith("[")) {
      int close = body.indexOf("]:");
      if (close < 0) {
        return Result.error("unclosed [ in an IPv6 host address", "write [ADDRESS]:HOST_PORT:CONTAINER_PORT");
      }
      hostIp = IpAddress.tryParse(body.substring(1, close));
      if (hostIp.isEmpty()) {
        return Result.error("\"" + body.substring(1, close) + "\" is not an IPv6 address", "fix the host address");
      }
      body = body.substring(close + 2);
    }
    String[] parts = body.split(":", -1);
    if (parts.length == 3 && hostIp.isEmpty()) {
      hostIp = IpAddress.tryParse(parts[0]);
      if (hostIp.isEmpty()) {
        return Result.error("\"" + parts[0] + "\" is not an IP address", "write HOST_IP:HOST_PORT:CONTAINER_PORT");
      }
      parts = new String[] {parts[1], parts[2]};
    }
    if (parts.length == 1) {
      parts = new String[] {"", parts[0]};
    } else if (parts.length == 2 && parts[0].isEmpty() && hostIp.isEmpty()) {
      return Result.error("the host port before ':' is empty", "write CONTAINER_PORT alone for a host port netform "
          + "chooses, or HOST_PORT:CONTAINER_PORT");
    }
    if (parts.length != 2) {
      return Result.error("cannot read \"" + text + "\" as a port mapping", "write [HOST_IP:]HOST_PORT:CONTAINER_PORT[/PROTO]");
    }
    return mappings(hostIp, parts[0], parts[1], protocol);
  }

  /** The ports of one mapping whose parts were read; an empty host part means a host port netform chooses. */
  static Result mappings(Optional<IpAddress> hostIp, String hostPart, String containerPart, Protocol protocol) {
    int[] host = hostPart.isEmpty() ? new int[] {DynamicPort.EPHEMERAL_FIRST, DynamicPort.EPHEMERAL_LAST} : range(hostPart);
    int[] container = range(containerPart);
    if (host == null || container == null) {
      return Result.error("ports must be numbers from 1 to 65535 (or ranges like 8000-8010)", "fix the port numbers");
    }
    boolean chosen = hostPart.isEmpty() || (container[0] == container[1] && host[0] != host[1]);
    if (!chosen && host[1] - host[0] != container[1] - container[0]) {
      return Result.error("host and container port ranges differ in length",
          "give both ranges the same length, or one container port to publish on one port of the host range");
    }
    int count = container[1] - container[0] + 1;
    if (count > MAX_PORTS_PER_MAPPING) {
      return Result.error(String.format(Locale.ROOT, "the range publishes %,d ports; one mapping may publish at most %,d",
          count, MAX_PORTS_PER_MAPPING), String.format(Locale.ROOT, "publish only the ports the container serves, in "
          + "ranges of at most %,d (each port costs three firewall rules); a container that needs every port can use "
          + "network_mode: host", MAX_PORTS_PER_MAPPING));
    }
    List<PortMapping> out = new ArrayList<>();
    List<DynamicPort> dynamic = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      if (chosen) {
        dynamic.add(new DynamicPort(hostIp, host[0], host[1], container[0] + i, protocol));
      } else {
        out.add(new PortMapping(hostIp, host[0] + i, container[0] + i, protocol));
      }
    }
    return new Result(out, dynamic, null, null);
  }

  private static int[] range(String text) {
    int dash = text.indexOf('-');
    int from = port(dash < 0 ? text : text.substring(0, dash));
    int to = dash < 0 ? from : port(text.substring(dash + 1));
    return from < 0 || to < 0 || to < from ? null : new int[] {from, to};
  }

  private static int port(String text) {
    if (text.isEmpty() || text.length() > 5 || !text.chars().allMatch(Character::isDigit)) {
      return -1;
    }
    int p = Integer.parseInt(text);
    return p >= 1 && p <= 65535 ? p : -1;
  }

  /** Fixed mappings, and ports whose host port netform chooses; or what is wrong. */
  record Result(List<PortMapping> mappings, List<DynamicPort> dynamic, String problem, String hint) {
    static Result error(String problem, String hint) {
      return new Result(List.of(), List.of(), problem, hint);
    }

    boolean ok() {
      return problem == null;
    }
  }
}
