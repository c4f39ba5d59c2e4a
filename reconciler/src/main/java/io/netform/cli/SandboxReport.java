package io.netform.cli;

import io.netform.check.Answer;
import io.netform.desired.Container;
import io.netform.desired.DesiredState;
import io.netform.desired.Fleet;
import io.netform.desired.NetworkMode;
import io.netform.kernel.netns.NetnsHandle;
import io.netform.kernel.observe.HostObserver;
import io.netform.kernel.probe.TcpProbe;
import io.netform.kernel.sandbox.Sandbox;
import io.netform.kernel.sandbox.SandboxFleet;
import io.netform.model.AddressObject;
import io.netform.model.BridgeObject;
import io.netform.model.ObservedHost;
import io.netform.model.Owner;
import io.netform.net.Cidr;
import io.netform.net.IpAddress;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a sandboxed apply achieved, measured with real TCP connections inside the sandbox: which
 * containers reach which, and which reach the world namespace beyond the uplink. Only addresses
 * inside the sandbox are contacted; for a fleet of sandbox hosts, across them (each container's
 * world is the one beyond its own host). On one sandbox host, then which names each container
 * resolves ({@link SandboxNames}).
 */
final class SandboxReport {

  private static final int PORT = 7777;
  private static final Duration TIMEOUT = Duration.ofMillis(300);
  private static final int MAX_CONTAINERS = 8;

  private SandboxReport() {}

  static String of(Sandbox sandbox, DesiredState desired) {
    return report(placed(sandbox, desired), "Reachability in the sandbox") + SandboxNames.of(sandbox, desired);
  }

  /** The same across sandbox hosts: each host's share of a multi-host desired state, by host name. */
  static String ofFleet(SandboxFleet fleet, Map<String, DesiredState> shares) {
    Map<String, Placed> all = new LinkedHashMap<>();
    shares.forEach((host, share) -> placed(fleet.host(host), share).forEach((c, p) -> all.put(c, p.on(host))));
    return report(all, "Reachability across the sandbox hosts");
  }

  /** A container's addresses, on its sandbox host; {@code host} names that host in a fleet's report. */
  private record Placed(Sandbox sandbox, List<String> addresses, String host) {
    Placed on(String name) {
      return new Placed(sandbox, addresses, name);
    }
  }

  /**
   * The containers of {@code desired} with their IPv4 addresses, but not those on the gateway
   * bridge: every host has one with the same addresses, so they say nothing about reaching a
   * container on another host.
   */
  private static Map<String, Placed> placed(Sandbox sandbox, DesiredState desired) {
    ObservedHost host = new HostObserver(sandbox.host()).observe();
    List<Cidr> gatewayBridge = host.owned().objects().values().stream()
        .filter(o -> o instanceof BridgeObject b && b.owner().equals(Owner.network(Fleet.GATEWAY_BRIDGE)))
        .flatMap(o -> ((BridgeObject) o).subnets().stream()).toList();
    Map<String, Placed> out = new LinkedHashMap<>();
    for (Container c : desired.containers().values()) {
      if (!(c.mode() instanceof NetworkMode.Own)) {
        continue;
      }
      List<String> addresses = host.owned().objects().values().stream()
          .filter(o -> o instanceof AddressObject a && a.namespace().equals(c.name()) && a.address().address().isV4()
              && gatewayBridge.stream().noneMatch(g -> g.contains(a.address().address())))
          .map(o -> ((AddressObject) o).address().address().toString()).toList();
      if (!addresses.isEmpty()) {
        out.put(c.name(), new Placed(sandbox, addresses, ""));
      }
    }
    return out;
  }

  private static String report(Map<String, Placed> addressOf, String title) {
    if (addressOf.isEmpty() || addressOf.size() > MAX_CONTAINERS) {
      return addressOf.isEmpty() ? "" : "\n(reachability report skipped: more than " + MAX_CONTAINERS + " containers)\n";
    }
    List<NetnsHandle> handles = new ArrayList<>();
    List<ServerSocket> servers = new ArrayList<>();
    StringBuilder sb = new StringBuilder("\n" + title + " (TCP connect, port " + PORT + "):\n");
    try {
      Map<String, NetnsHandle> byName = new LinkedHashMap<>();
      for (var e : addressOf.entrySet()) {
        NetnsHandle h = NetnsHandle.open(e.getKey(), e.getValue().sandbox().host().namespaces().path(e.getKey()));
        handles.add(h);
        byName.put(e.getKey(), h);
        servers.add(h.call(() -> new ServerSocket(PORT)));
      }
      for (Sandbox s : addressOf.values().stream().map(Placed::sandbox).distinct().toList()) {
        servers.add(s.world().call(() -> new ServerSocket(PORT)));
      }
      int width = addressOf.entrySet().stream().mapToInt(e -> label(e.getKey(), e.getValue()).length()).max().orElse(5) + 2;
      for (var from : byName.entrySet()) {
        sb.append("  ").append(pad(label(from.getKey(), addressOf.get(from.getKey())), width)).append("->");
        for (var to : addressOf.entrySet()) {
          if (!to.getKey().equals(from.getKey())) {
            // Reachable at any of its addresses: one per network; isolation drops the others.
            boolean ok = from.getValue().call(() -> to.getValue().addresses().stream().anyMatch(SandboxReport::connects));
            sb.append(' ').append(to.getKey()).append(ok ? " yes," : " no,");
          }
        }
        boolean world = from.getValue().call(() -> connects(Sandbox.WORLD_ADDRESS.toString()));
        sb.append(" world ").append(world ? "yes" : "no").append('\n');
      }
    } finally {
      servers.forEach(s -> {
        try {
          s.close();
        } catch (IOException ignored) {
          // closing a listener cannot fail in a way that matters here
        }
      });
      handles.forEach(NetnsHandle::close);
    }
    return sb.toString();
  }

  /** "web1", or "web1@docker2" in a fleet's report. */
  private static String label(String container, Placed p) {
    return p.host().isEmpty() ? container : container + "@" + p.host();
  }

  private static boolean connects(String address) {
    return TcpProbe.connect(IpAddress.parse(address), PORT, TIMEOUT) == Answer.CONNECTED;
  }

  private static String pad(String s, int width) {
    return s + " ".repeat(Math.max(1, width - s.length()));
  }
}
