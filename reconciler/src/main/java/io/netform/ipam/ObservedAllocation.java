package io.netform.ipam;

import io.netform.desired.Container;
import io.netform.desired.DesiredState;
import io.netform.desired.Driver;
import io.netform.desired.Network;
import io.netform.model.AddressObject;
import io.netform.model.BridgeObject;
import io.netform.model.HostModel;
import io.netform.model.KernelObject;
import io.netform.model.MacvlanObject;
import io.netform.model.OverlayPortObject;
import io.netform.model.Owner;
import io.netform.model.VethObject;
import io.netform.net.Cidr;
import io.netform.net.IpAddress;
import io.netform.net.MacAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the allocation a host already carries back out of its observed kernel objects, so that
 * re-allocation is sticky: containers keep their addresses, MACs and interface names. The host
 * itself is the state file; nothing else needs to remember what was handed out.
 */
public final class ObservedAllocation {

  private ObservedAllocation() {}

  /**
   * @param desired used only to tell which network a macvlan belongs to (macvlans have no bridge
   *     recording it): the container's macvlan network whose configured subnet holds the address;
   *     and which external network a veth on a bridge netform does not own belongs to (by the
   *     bridge's name).
   */
  public static Allocation from(HostModel observed, DesiredState desired) {
    Map<String, List<AddressObject>> addressesByLink = new HashMap<>();
    Map<String, BridgeObject> bridgesByName = new HashMap<>();
    List<VethObject> veths = new ArrayList<>();
    List<MacvlanObject> macvlans = new ArrayList<>();
    List<OverlayPortObject> overlayPorts = new ArrayList<>();
    for (KernelObject o : observed.objects().values()) {
      if (o instanceof AddressObject a) {
        addressesByLink.computeIfAbsent(KernelObject.linkKey(a.namespace(), a.device()), k -> new ArrayList<>()).add(a);
      } else if (o instanceof BridgeObject b) {
        bridgesByName.put(b.name(), b);
      } else if (o instanceof VethObject v) {
        veths.add(v);
      } else if (o instanceof MacvlanObject m) {
        macvlans.add(m);
      } else if (o instanceof OverlayPortObject p) {
        overlayPorts.add(p);
      }
    }
    Map<String, NetworkAllocation> networks = new HashMap<>();
    for (BridgeObject b : bridgesByName.values()) {
      if (b.owner().kind() != Owner.Kind.NETWORK) {
        continue;
      }
      List<AddressObject> onBridge = addressesByLink.getOrDefault(b.key(), List.of());
      List<PoolAllocation> pools = new ArrayList<>();
      for (Cidr subnet : b.subnets()) {
        onBridge.stream().map(AddressObject::address).filter(a -> subnet.contains(a.address())).findFirst()
            .ifPresent(gw -> pools.add(new PoolAllocation(subnet, gw.address(), Optional.empty())));
      }
      networks.put(b.owner().name(), new NetworkAllocation(b.owner().name(), pools));
    }
    Map<String, String> externalByBridge = new HashMap<>();
    desired.networks().values().stream().filter(Network::external).forEach(n -> externalByBridge.put(n.externalBridge(), n.name()));
    Map<EndpointId, EndpointAllocation> endpoints = new HashMap<>();
    for (VethObject v : veths) {
      BridgeObject bridge = bridgesByName.get(v.bridge());
      Optional<String> network = bridge != null && bridge.owner().kind() == Owner.Kind.NETWORK
          ? Optional.of(bridge.owner().name())
          : Optional.ofNullable(bridge == null ? externalByBridge.get(v.bridge()) : null);
      if (network.isEmpty() || v.owner().kind() != Owner.Kind.CONTAINER) {
        continue;
      }
      endpoint(v.owner().name(), network.get(), v.peerName(), v.peerMac(),
          addressesByLink.getOrDefault(KernelObject.linkKey(v.peerNamespace(), v.peerName()), List.of()))
          .ifPresent(e -> endpoints.put(e.id(), e));
    }
    for (MacvlanObject m : macvlans) {
      List<AddressObject> addresses = addressesByLink.getOrDefault(m.key(), List.of());
      Optional<IpAddress> address = addresses.stream().map(a -> a.address().address()).findFirst();
      Optional<String> network = address.flatMap(ip -> macvlanNetworkOf(desired, m.owner().name(), ip));
      network.flatMap(n -> endpoint(m.owner().name(), n, m.name(), m.mac(), addresses))
          .ifPresent(e -> endpoints.put(e.id(), e));
    }
    // An overlay port is on its network's bridge, in the network's own namespace.
    for (OverlayPortObject p : overlayPorts) {
      Optional<Owner> network = observed.get(KernelObject.linkKey(p.namespace(), p.bridge())).map(KernelObject::owner)
          .filter(o -> o.kind() == Owner.Kind.NETWORK);
      network.flatMap(n -> endpoint(p.owner().name(), n.name(), p.peerName(), p.peerMac(),
          addressesByLink.getOrDefault(KernelObject.linkKey(p.peerNamespace(), p.peerName()), List.of())))
          .ifPresent(e -> endpoints.put(e.id(), e));
    }
    return new Allocation(networks, endpoints);
  }

  private static Optional<String> macvlanNetworkOf(DesiredState desired, String container, IpAddress ip) {
    Container c = desired.containers().get(container);
    if (c == null) {
      return Optional.empty();
    }
    return c.attachments().stream()
        .map(a -> desired.networks().get(a.network()))
        .filter(n -> n != null && n.driver() == Driver.MACVLAN)
        .filter(n -> n.pools().stream().anyMatch(p -> p.subnet().network().contains(ip)))
        .map(Network::name)
        .findFirst();
  }

  private static Optional<EndpointAllocation> endpoint(String container, String network, String ifName, MacAddress mac,
      List<AddressObject> addresses) {
    Optional<IpAddress> v4 = addresses.stream().map(a -> a.address().address()).filter(IpAddress::isV4).findFirst();
    Optional<IpAddress> v6 = addresses.stream().map(a -> a.address().address()).filter(a -> !a.isV4()).findFirst();
    return v4.map(ip -> new EndpointAllocation(new EndpointId(container, network), ifName, ip, v6, mac));
  }
}
