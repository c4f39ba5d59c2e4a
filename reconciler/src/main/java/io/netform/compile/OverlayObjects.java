package io.netform.compile;

import io.netform.fleet.OverlayWiring;
import io.netform.model.AddressObject;
import io.netform.model.FdbEntryObject;
import io.netform.model.FirewallChain;
import io.netform.model.FirewallRule;
import io.netform.model.FirewallTable;
import io.netform.model.KernelObject;
import io.netform.model.NamespaceObject;
import io.netform.model.NeighbourObject;
import io.netform.model.OverlayBridgeObject;
import io.netform.model.Owner;
import io.netform.model.VxlanObject;
import io.netform.net.IpAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a host wires for the overlay networks it has local containers on (the containers' own
 * ports are wired with their other endpoints, in TargetCompiler):
 *
 * <pre>
 * namespace overlay+NET           owned by network:NET, as Docker's 1-&lt;id&gt;
 *   br0    bridge, MTU of the network, the gateway address (the host has no route to the subnet)
 *   vxlan0 VXLAN id, this host's port, port of br0; created by the host's namespace (its socket is there)
 *   per remote endpoint: fdb MAC dst HOST [port P] self permanent; neighbour IP lladdr MAC permanent
 * filter INPUT                    -p udp -m udp --dport PORT -j NETFORM-VXLAN
 * NETFORM-VXLAN                   per other declared host: -s HOST/32 -j ACCEPT; then -j DROP
 * </pre>
 *
 * No flooding entry and no learning: every endpoint is known from the commit, so frames for
 * unknown MACs are dropped and ARP is answered by the VXLAN device from its neighbour table.
 * Docker leaves its VXLAN port open to any sender (a known way to inject frames into an
 * overlay); here only the declared hosts' addresses get through.
 */
final class OverlayObjects {

  private OverlayObjects() {}

  static List<KernelObject> build(OverlayWiring wiring) {
    List<KernelObject> out = new ArrayList<>();
    for (OverlayWiring.Segment s : wiring.segments()) {
      String ns = KernelNames.overlayNamespace(s.network());
      Owner owner = Owner.network(s.network());
      String br = KernelNames.OVERLAY_BRIDGE;
      String vx = KernelNames.OVERLAY_VXLAN;
      out.add(new NamespaceObject(ns, Optional.empty(), owner));
      out.add(new OverlayBridgeObject(ns, br, s.mtu(), List.of(s.gateway().network()), true, owner));
      out.add(new AddressObject(ns, br, s.gateway(), owner));
      out.add(new VxlanObject(ns, vx, s.vni(), wiring.port(), s.mtu(), br, true, owner));
      for (OverlayWiring.Remote r : s.remotes()) {
        Optional<Integer> port = r.hostPort() == wiring.port() ? Optional.empty() : Optional.of(r.hostPort());
        out.add(new FdbEntryObject(ns, vx, r.mac(), r.hostAddress(), port, owner));
        out.add(new NeighbourObject(ns, vx, r.address(), r.mac(), owner));
      }
    }
    if (!wiring.segments().isEmpty()) {
      firewall(wiring, out);
    }
    return out;
  }

  private static void firewall(OverlayWiring wiring, List<KernelObject> out) {
    out.add(new FirewallChain(FirewallTable.FILTER, Chains.VXLAN, Owner.HOST));
    out.add(new FirewallRule(FirewallTable.FILTER, "INPUT", "-p udp -m udp --dport " + wiring.port() + " -j " + Chains.VXLAN,
        0, Owner.HOST));
    for (IpAddress peer : wiring.peers()) {
      out.add(new FirewallRule(FirewallTable.FILTER, Chains.VXLAN, "-s " + peer + "/32 -j ACCEPT", 0, Owner.HOST));
    }
    out.add(new FirewallRule(FirewallTable.FILTER, Chains.VXLAN, "-j DROP", 1, Owner.HOST));
  }
}
