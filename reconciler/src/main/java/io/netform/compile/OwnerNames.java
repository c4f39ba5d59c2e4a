package io.netform.compile;

import io.netform.desired.DesiredState;
import io.netform.desired.Driver;
import io.netform.desired.IpamPool;
import io.netform.desired.Network;
import io.netform.model.KernelObject;
import io.netform.model.Owner;
import io.netform.net.Cidr;
import io.netform.plan.InUse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the networks and containers of a desired state stand for by name on a host (a network's
 * bridge, its name in records, a macvlan network's parent and subnets, a container's namespace),
 * whether or not the host still has it: what a destroy of them takes away from whatever else
 * names it (see {@link InUse}).
 */
public final class OwnerNames {

  private OwnerNames() {}

  public static Map<String, InUse.Held> of(DesiredState state) {
    Map<String, InUse.Held> out = new HashMap<>();
    for (Network n : state.networks().values()) {
      Owner owner = Owner.network(n.name());
      if (!n.external()) { // an external network is its owner's: a destroy leaves it to its containers
        out.put(InUse.network(n.name()), new InUse.Held(owner, "network " + n.name()));
      }
      if (n.driver() == Driver.MACVLAN && !n.external()) {
        List<Cidr> subnets = n.pools().stream().map(IpamPool::subnet).toList();
        InUse.Held held = new InUse.Held(owner, "network " + n.name());
        InUse.macvlanNetwork(n.parent().orElse(""), subnets).forEach(k -> out.put(k, held));
      }
      if (n.isOverlay()) {
        String ns = KernelNames.overlayNamespace(n.name());
        out.put(KernelObject.namespaceKey(ns), new InUse.Held(owner, "namespace " + ns));
      } else if (n.driver() == Driver.BRIDGE && !n.external()) {
        String bridge = KernelNames.bridge(n);
        out.put(InUse.hostLink(bridge), new InUse.Held(owner, "bridge " + bridge));
      }
    }
    state.containers().keySet().forEach(c ->
        out.put(KernelObject.namespaceKey(c), new InUse.Held(Owner.container(c), "namespace " + c)));
    return out;
  }
}
