package io.netform.validate;

import io.netform.desired.Container;
import io.netform.desired.DesiredState;
import io.netform.desired.Network;
import io.netform.desired.NetworkMode;
import io.netform.diagnostics.Diagnostic;
import io.netform.model.HostModel;
import io.netform.model.KernelObject;
import io.netform.model.RouteObject;
import io.netform.model.VethObject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Ports are published on the network that carries a container's default route. When that is an
 * external network netform adds no rules for it (the bridge's traffic is its owner's), so the
 * ports are not published: a warning says so, where the ports are written, instead of silence.
 * Read from the compiled target, which knows which attachment got the default route.
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
      String namespace = c.mode() instanceof NetworkMode.JoinContainer j ? j.container() : c.name();
      if (c.ports().isEmpty() || c.mode() instanceof NetworkMode.None || c.mode() instanceof NetworkMode.Host) {
        continue;
      }
      Optional.ofNullable(defaultDevice.get(namespace)).map(d -> bridgeOfDevice.get(namespace + "/" + d))
          .map(externalByBridge::get)
          .ifPresent(network -> out.warningAt(Paths.container(c.name()) + "/ports", "ports-on-external",
              "the ports of container \"" + c.name() + "\" are not published: its default route is on external network \""
                  + network + "\", and netform adds no rules for a bridge it does not manage",
              "attach the container to a network netform manages as well and give that attachment a higher "
                  + "gw_priority, or let the bridge's owner publish the ports"));
    }
    return out.list();
  }
}
