package io.netform.validate;

import io.netform.gateway.GatewayOrder;
import io.netform.desired.Container;
import io.netform.desired.DesiredState;
import io.netform.desired.NetworkMode;
import io.netform.desired.PortMapping;
import io.netform.desired.Protocol;
import io.netform.desired.SourceMap;
import io.netform.net.IpAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Published ports: two mappings on one host may not claim the same host address, port and protocol
 * (Docker would fail at start with "port is already allocated"); no address, or the unspecified
 * address 0.0.0.0, claims all. Nor may a UDP mapping take the VXLAN port of a host that wires an
 * overlay network.
 */
final class PortRules {

  private PortRules() {}

  private record Claim(String container, PortMapping mapping, Optional<IpAddress> hostIp) {}

  static void check(DesiredState state, Findings out) {
    Map<String, List<Claim>> byPort = new HashMap<>();
    Map<String, Integer> vxlanPorts = state.vxlanPorts();
    for (Container c : state.containers().values()) {
      if (c.mode() instanceof NetworkMode.None || c.mode() instanceof NetworkMode.Host) {
        continue;
      }
      Optional<IpAddress> binding = bindingOf(state, c);
      String machine = state.machineOf(c);
      for (PortMapping p : c.ports()) {
        if (p.protocol() == Protocol.UDP && vxlanPorts.containsKey(machine) && p.hostPort() == vxlanPorts.get(machine)) {
          out.errorAt(SourceMap.portPath(c.name(), p.toString()), "port-is-vxlan", "host port " + p.hostPort()
              + "/udp is the VXLAN port of host \"" + machine + "\", whose overlay networks' VXLAN socket holds it "
              + "(Docker would fail to publish it; netform's DNAT rule would take the overlay traffic)",
              "publish on another host port, or give host \"" + machine + "\" another vxlan_port");
          continue;
        }
        Optional<IpAddress> hostIp = p.hostIp().or(() -> binding).filter(ip -> !ip.isUnspecified());
        String slot = p.hostPort() + "/" + p.protocol().text();
        // each host has its own ports: only containers on one machine can claim the same one
        List<Claim> claims = byPort.computeIfAbsent(machine + " " + slot, k -> new ArrayList<>());
        for (Claim other : claims) {
          if (other.hostIp.isEmpty() || hostIp.isEmpty() || other.hostIp.equals(hostIp)) {
            out.errorAt(SourceMap.portPath(c.name(), p.toString()), "port-conflict",
                "host port " + hostIp.map(ip -> ip + ":").orElse("") + slot + " is also published by container \""
                    + other.container + "\" (" + other.mapping + ", at " + out.where(SourceMap.portPath(other.container, other.mapping.toString())) + ")",
                "use another host port or bind each to a different host address");
            break;
          }
        }
        claims.add(new Claim(c.name(), p, hostIp));
      }
    }
  }

  /** A host address written in a mapping must be one a host can have (a range's mappings are reported once). */
  static void checkHostAddresses(DesiredState state, Findings out) {
    for (Container c : state.containers().values()) {
      Set<String> reported = new HashSet<>();
      for (PortMapping p : c.ports()) {
        String path = SourceMap.portPath(c.name(), p.toString());
        p.hostIp().flatMap(ip -> ReservedRanges.unusableOnHost(ip).map(r -> ip + " is in " + r.describe()))
            .filter(why -> reported.add(out.where(path)))
            .ifPresent(why -> out.errorAt(path, "reserved-range", "host address " + why,
                "publish on an address of the host, or leave the address out to publish on every address"));
      }
    }
  }

  /**
   * The host_binding_ipv4 of the network the container's ports are published on: the one that
   * carries the default route of the namespace it lives in (Docker's order, {@link GatewayOrder}).
   */
  private static Optional<IpAddress> bindingOf(DesiredState state, Container c) {
    return GatewayOrder.ipv4Gateway(state.networks(), state.namespaceHolder(c).attachments())
        .flatMap(a -> state.networks().get(a.network()).hostBindingIpv4());
  }

  static boolean internalOnly(DesiredState state, Container c) {
    return !c.attachments().isEmpty() && c.attachments().stream()
        .map(a -> state.networks().get(a.network()))
        .allMatch(n -> n != null && n.internal());
  }

  static void warnInternal(DesiredState state, Findings out) {
    for (Container c : state.containers().values()) {
      Container holder = state.namespaceHolder(c);
      if (!c.ports().isEmpty() && internalOnly(state, holder)) {
        String who = holder == c ? "" : " shares the namespace of \"" + holder.name() + "\", which";
        out.warningAt(Paths.container(c.name()) + "/ports", "ports-on-internal",
            "container \"" + c.name() + "\"" + who + " is only on internal networks: its ports are not published",
            "attach " + (holder == c ? "it" : "\"" + holder.name() + "\"") + " to a non-internal network as well, or remove the ports");
      }
    }
  }
}
