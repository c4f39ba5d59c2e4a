package io.netform.cli;

import io.netform.desired.Container;
import io.netform.desired.DesiredState;
import io.netform.desired.NetworkMode;
import io.netform.kernel.netns.NetnsHandle;
import io.netform.kernel.observe.HostObserver;
import io.netform.kernel.sandbox.Sandbox;
import io.netform.model.AddressObject;
import io.netform.model.ObservedHost;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a sandboxed apply achieved, measured with real TCP connections inside the sandbox: which
 * containers reach which, and which reach the world namespace beyond the uplink; then which names
 * each resolves ({@link SandboxNames}). Only addresses inside the sandbox are contacted.
 */
final class SandboxReport {

  private static final int PORT = 7777;
  private static final int TIMEOUT_MS = 300;
  private static final int MAX_CONTAINERS = 8;

  private SandboxReport() {}

  static String of(Sandbox sandbox, DesiredState desired) {
    return reachability(sandbox, desired) + SandboxNames.of(sandbox, desired);
  }

  private static String reachability(Sandbox sandbox, DesiredState desired) {
    ObservedHost host = new HostObserver(sandbox.host()).observe();
    Map<String, List<String>> addressOf = new LinkedHashMap<>();
    for (Container c : desired.containers().values()) {
      if (!(c.mode() instanceof NetworkMode.Own)) {
        continue;
      }
      List<String> addresses = host.owned().objects().values().stream()
          .filter(o -> o instanceof AddressObject a && a.namespace().equals(c.name()) && a.address().address().isV4())
          .map(o -> ((AddressObject) o).address().address().toString()).toList();
      if (!addresses.isEmpty()) {
        addressOf.put(c.name(), addresses);
      }
    }
    if (addressOf.isEmpty() || addressOf.size() > MAX_CONTAINERS) {
      return addressOf.isEmpty() ? "" : "\n(reachability report skipped: more than " + MAX_CONTAINERS + " containers)\n";
    }
    List<NetnsHandle> handles = new ArrayList<>();
    List<ServerSocket> servers = new ArrayList<>();
    StringBuilder sb = new StringBuilder("\nReachability in the sandbox (TCP connect, port " + PORT + "):\n");
    try {
      Map<String, NetnsHandle> byName = new LinkedHashMap<>();
      for (String name : addressOf.keySet()) {
        NetnsHandle h = NetnsHandle.open(name, sandbox.host().namespaces().path(name));
        handles.add(h);
        byName.put(name, h);
        servers.add(h.call(() -> new ServerSocket(PORT)));
      }
      servers.add(sandbox.world().call(() -> new ServerSocket(PORT)));
      int width = addressOf.keySet().stream().mapToInt(String::length).max().orElse(5) + 2;
      for (var from : byName.entrySet()) {
        sb.append("  ").append(pad(from.getKey(), width)).append("->");
        for (var to : addressOf.entrySet()) {
          if (!to.getKey().equals(from.getKey())) {
            // Reachable at any of its addresses: one per network; isolation drops the others.
            boolean ok = from.getValue().call(() -> to.getValue().stream().anyMatch(SandboxReport::connects));
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

  private static boolean connects(String address) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(address, PORT), TIMEOUT_MS);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static String pad(String s, int width) {
    return s + " ".repeat(Math.max(1, width - s.length()));
  }
}
