package io.netform.validate;

import io.netform.desired.Container;
import io.netform.desired.DesiredState;
import io.netform.desired.Network;
import io.netform.desired.NetworkMode;
import io.netform.desired.PortMapping;
import io.netform.desired.SourceMap;
import io.netform.diagnostics.Diagnostic;
import io.netform.model.HostModel;
import io.netform.model.KernelObject;
import io.netform.model.RouteObject;
import io.netform.model.VethObject;
import io.netform.net.IpAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Ports are published on the network that carries a container's default route. On an external
 * network netform publishes them with rules of the container's own, naming the bridge but
 * changing nothing of it; what it cannot do there is let the host's loopback connections in (that
 * needs the bridge's route_localnet, its owner's setting), so a port bound to a loopback address is
 * a warning, where it is written, instead of silence. Read from the compiled target, which knows
 * which attachment got the default route.
 */
public final class ExternalNetworkPorts {

  private ExternalNetworkPorts() {}

  public static List<Diagnostic> check(DesiredState state, HostModel target) {
    Map<String, String> externalByBridge = new HashMap<>();
    state.networks().values().stream().filter(Network::external).forEach(n -> externalByBridge.put(n.externalBridge(), n.name()));
    Findings out = new Findings(state.sources());
    if (externalByBridge.isEmpty()) {
      return out.list();
    }
    Map<String, String> defaultDevice = new HashMap<>(); // namespace → device of its IPv4 default route
    Map<String, String> bridgeOfDevice = new HashMap<>(); // namespace/device → bridge
    for (KernelObject o : target.objects().values()) {
      if (o instanceof RouteObject r && r.destination().prefix() == 0 && r.destination().address().isV4()) {
        defaultDevice.put(r.namespace(), r.device());
      } else if (o instanceof VethObject v) {
        bridgeOfDevice.put(v.peerNamespace() + "/" + v.peerName(), v.bridge());
      }
    }
    for (Container c : state.containers().values()) {
      String namespace = state.namespaceHolder(c).name();
      if (c.ports().isEmpty() || c.mode() instanceof NetworkMode.None || c.mode() instanceof NetworkMode.Host) {
        continue;
      }
      Optional<String> external = Optional.ofNullable(defaultDevice.get(namespace))
          .map(d -> bridgeOfDevice.get(namespace + "/" + d)).map(externalByBridge::get);
      for (PortMapping p : external.isPresent() ? c.ports() : List.<PortMapping>of()) {
        p.hostIp().filter(IpAddress::isLoopback).ifPresent(ip -> out.warningAt(
            SourceMap.portPath(c.name(), p.toString()), "ports-on-external",
            "port " + p + " of container \"" + c.name() + "\" is not published: its default route is on external network \""
                + external.get() + "\", whose bridge lets no loopback connection in (that is its route_localnet, a "
                + "setting of the bridge's owner)",
            "publish on another host address, or attach the container to a network netform manages as well and give "
                + "that attachment a higher gw_priority"));
      }
    }
    return out.list();
  }
}
