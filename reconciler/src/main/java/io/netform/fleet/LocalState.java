package io.netform.fleet;

import io.netform.desired.Attachment;
import io.netform.desired.Container;
import io.netform.desired.DesiredState;
import io.netform.desired.Driver;
import io.netform.desired.Fleet;
import io.netform.desired.Host;
import io.netform.desired.IpamPool;
import io.netform.desired.Network;
import io.netform.desired.NetworkMode;
import io.netform.desired.OverlayLock.LockedEndpoint;
import io.netform.desired.OverlayLock.LockedNetwork;
import io.netform.desired.OverlayLock;
import io.netform.desired.SourceMap;
import io.netform.gateway.GatewayOrder;
import io.netform.net.IpAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One host's share of a desired state: what that host alone wires, as a single machine's desired
 * state (a pure function of the committed state and the host's name).
 *
 * <ul>
 *   <li>Its own containers only; the bridge and macvlan networks it has ({@link HostNetworks}).
 *   <li>Overlay networks with the fleet's allocation: the subnet and VXLAN id, and each local
 *       endpoint's address and MAC as static values, so that the host's own allocator cannot
 *       choose others.
 *   <li>Containers on a non-internal overlay and on no network with a gateway also join
 *       {@value Fleet#GATEWAY_BRIDGE}, a local bridge network with ICC off and masquerading
 *       (Docker's, which gives a container an endpoint there only while it needs one: libnetwork's
 *       needDefaultGW): their default route, egress and published ports go through their own host.
 *   <li>{@link OverlayWiring}: the remote endpoints of each overlay network that has a local
 *       container, for the forwarding and neighbour entries.
 * </ul>
 */
public record LocalState(DesiredState state, OverlayWiring overlay) {

  /** A single machine's desired state, which is all its own. */
  public static LocalState of(DesiredState desired) {
    return new LocalState(desired, OverlayWiring.NONE);
  }

  public static LocalState forHost(DesiredState fleet, String host) {
    return forHost(fleet, FleetAllocator.allocate(fleet).allocation(), host);
  }

  /** Every declared host's share, by host in declaration order (the fleet allocated once). */
  public static Map<String, LocalState> shares(DesiredState fleet) {
    OverlayLock allocation = FleetAllocator.allocate(fleet).allocation();
    Map<String, LocalState> out = new LinkedHashMap<>();
    fleet.fleet().hosts().keySet().forEach(host -> out.put(host, forHost(fleet, allocation, host)));
    return out;
  }

  /** {@code allocation}: the fleet's, as {@link FleetAllocator} makes it (for several hosts' shares at once). */
  public static LocalState forHost(DesiredState fleet, OverlayLock allocation, String host) {
    Map<String, Host> hosts = fleet.fleet().hosts();
    if (!hosts.containsKey(host)) {
      throw new IllegalArgumentException("host " + host + " is not declared");
    }
    Map<String, Network> networks = new LinkedHashMap<>();
    Set<String> localNetworks = HostNetworks.localOn(fleet, host);
    for (Network n : fleet.networks().values()) {
      if (!n.isOverlay() && !localNetworks.contains(n.name())) {
        continue; // another host's network
      }
      LockedNetwork l = allocation.networks().get(n.name());
      networks.put(n.name(), n.isOverlay() && l != null ? n.withOverlayAllocation(List.of(new IpamPool(l.subnet(),
          Optional.of(l.gateway()), Optional.empty(), Map.of())), l.vni()) : n);
    }
    Map<String, Container> containers = new LinkedHashMap<>();
    String causeOfGatewayBridge = null; // where the gateway bridge comes from, for what is said of it
    for (Container c : fleet.containers().values()) {
      if (!fleet.machineOf(c).equals(host)) { // a valid fleet state gives every container its host
        continue;
      }
      List<Attachment> attachments = new ArrayList<>();
      String leaves = null; // the first non-internal overlay attachment: the container's way out is the gateway bridge
      for (Attachment a : c.attachments()) {
        LockedNetwork l = allocation.networks().get(a.network());
        LockedEndpoint e = l == null ? null : l.endpoints().get(c.name());
        if (e == null) {
          attachments.add(a);
          continue;
        }
        attachments.add(new Attachment(a.network(), Optional.of(e.ipv4()), Optional.empty(), Optional.of(e.mac()),
            a.aliases(), a.gwPriority()));
        if (!fleet.networks().get(a.network()).internal() && leaves == null) {
          leaves = "/containers/" + SourceMap.segment(c.name()) + "/networks/" + SourceMap.segment(a.network());
        }
      }
      if (leaves != null && c.mode() instanceof NetworkMode.Own
          && GatewayOrder.leavesThroughGatewayBridge(fleet.networks(), c.attachments())) {
        attachments.add(new Attachment(Fleet.GATEWAY_BRIDGE, Optional.empty(), Optional.empty(), Optional.empty(),
            List.of(), Integer.MIN_VALUE)); // Docker sorts its gateway bridge endpoints last
        causeOfGatewayBridge = causeOfGatewayBridge == null ? leaves : causeOfGatewayBridge;
      }
      containers.put(c.name(), c.withAttachments(attachments));
    }
    SourceMap sources = fleet.sources();
    if (causeOfGatewayBridge != null) {
      networks.put(Fleet.GATEWAY_BRIDGE, new Network(Fleet.GATEWAY_BRIDGE, Driver.BRIDGE, Optional.empty(), List.of(),
          false, false, true, Network.DEFAULT_MTU, Optional.empty(), false, Map.of(), Optional.empty(), false));
      // Nobody wrote it: what is said of it (no pool free) points at the first container that needs it.
      sources = sources.withAliases(Map.of("/networks/" + SourceMap.segment(Fleet.GATEWAY_BRIDGE), causeOfGatewayBridge));
    }
    DesiredState local = new DesiredState(networks, containers, sources, fleet.fleet(), fleet.expectations());
    return new LocalState(local, wiring(fleet, allocation, containers, host));
  }


  private static OverlayWiring wiring(DesiredState fleet, OverlayLock allocation, Map<String, Container> local,
      String host) {
    Map<String, Host> hosts = fleet.fleet().hosts();
    List<OverlayWiring.Segment> segments = new ArrayList<>();
    allocation.networks().forEach((name, l) -> {
      if (l.endpoints().keySet().stream().noneMatch(local::containsKey)) {
        return; // only hosts with a local container on the network wire it (Docker's)
      }
      List<OverlayWiring.Remote> remotes = new ArrayList<>();
      l.endpoints().forEach((container, e) -> {
        if (!local.containsKey(container)) {
          Container remote = fleet.containers().get(container);
          Host at = hosts.get(fleet.machineOf(remote));
          List<String> aliases = remote.attachments().stream().filter(a -> a.network().equals(name)).findFirst()
              .map(Attachment::aliases).orElse(List.of());
          remotes.add(new OverlayWiring.Remote(container, e.ipv4(), e.mac(), aliases, at.name(), at.address(),
              at.vxlanPort()));
        }
      });
      Network n = fleet.networks().get(name);
      segments.add(new OverlayWiring.Segment(name, l.vni(), n.mtu(), l.subnet().withAddress(l.gateway()), remotes));
    });
    if (segments.isEmpty()) {
      return OverlayWiring.NONE;
    }
    List<IpAddress> peers = hosts.values().stream().filter(h -> !h.name().equals(host)).map(Host::address).sorted().toList();
    return new OverlayWiring(segments, hosts.get(host).vxlanPort(), peers);
  }
}
