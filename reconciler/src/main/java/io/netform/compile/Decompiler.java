package io.netform.compile;

import io.netform.desired.Attachment;
import io.netform.desired.Container;
import io.netform.desired.DesiredState;
import io.netform.desired.Driver;
import io.netform.desired.Fleet;
import io.netform.desired.IpamPool;
import io.netform.desired.Network;
import io.netform.desired.NetworkMode;
import io.netform.desired.PortMapping;
import io.netform.desired.SourceMap;
import io.netform.gateway.GatewayOrder;
import io.netform.model.AddressObject;
import io.netform.model.BridgeObject;
import io.netform.model.FirewallRule;
import io.netform.model.HostModel;
import io.netform.model.KernelObject;
import io.netform.model.MacvlanObject;
import io.netform.model.NamespaceObject;
import io.netform.model.OverlayPortObject;
import io.netform.model.Owner;
import io.netform.model.PortForward;
import io.netform.model.RouteObject;
import io.netform.model.VethObject;
import io.netform.net.Cidr;
import io.netform.net.IpAddress;
import io.netform.net.MacAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The inverse of {@link TargetCompiler}: a desired state that compiles back to the given owned
 * objects, for {@code netform show}. Addresses are written as static addresses, so planning the
 * output against the same host gives no changes. Containers in host mode leave nothing in the
 * kernel and cannot be shown; a macvlan network's name is not recorded and is derived from its
 * parent interface. A host holding overlay networks is shown as its share of a multi-host desired
 * state ({@link DecompiledOverlays}).
 */
public final class Decompiler {

  private Decompiler() {}

  /**
   * Which host of a fleet this is, for a host holding overlay networks: its name, and its underlay
   * address if it was found (else a stand-in is shown, and said so).
   */
  public record ThisHost(String name, Optional<IpAddress> address) {}

  /** What show prints: the desired state, and what it could not read back from the host, in sentences. */
  public record Shown(DesiredState state, List<String> notes) {

    public Shown {
      notes = List.copyOf(notes);
    }
  }

  /** {@code show --host NAME} names this host as one the overlay entries here record as another host. */
  public static final class WrongHost extends IllegalArgumentException {
    WrongHost(String message) {
      super(message);
    }
  }

  /** The other hosts' underlay addresses a host with overlay networks accepts VXLAN from (none without). */
  public static List<IpAddress> peers(HostModel owned) {
    return DecompiledOverlays.peers(new ArrayList<>(owned.objects().values()));
  }

  /** What {@code show} prints of {@code owned}; {@code here} names this host if it holds overlay networks. */
  public static Shown show(HostModel owned, ThisHost here) {
    List<KernelObject> all = new ArrayList<>(owned.objects().values());
    List<FirewallRule> rules = all.stream().filter(o -> o instanceof FirewallRule).map(o -> (FirewallRule) o).toList();
    Map<String, String> overlayOfNamespace = DecompiledOverlays.networkOfNamespace(all);
    boolean fleet = !overlayOfNamespace.isEmpty();
    Map<String, Network> networks = new LinkedHashMap<>();
    Map<String, String> networkOfBridge = new LinkedHashMap<>();
    Set<String> derivedBridges = new HashSet<>();
    for (KernelObject o : all) {
      if (o instanceof BridgeObject b && b.owner().kind() == Owner.Kind.NETWORK) {
        if (fleet && b.owner().name().equals(Fleet.GATEWAY_BRIDGE)) {
          derivedBridges.add(b.name()); // each host adds it for its overlay containers' way out
          continue;
        }
        networks.put(b.owner().name(), bridgeNetwork(b, all, rules));
        networkOfBridge.put(b.name(), b.owner().name());
      }
    }
    DecompiledOverlays.networks(all, networks);
    Map<String, List<Attachment>> attachments = new LinkedHashMap<>();
    Map<String, List<String>> devices = new LinkedHashMap<>();
    Set<String> leaving = new HashSet<>();
    for (KernelObject o : all) {
      if (o instanceof VethObject v && derivedBridges.contains(v.bridge())) {
        leaving.add(v.peerNamespace());
      } else if (o instanceof VethObject v && networkOfBridge.containsKey(v.bridge())) {
        attach(v.peerNamespace(), v.peerName(), networkOfBridge.get(v.bridge()), v.peerMac(), all, attachments, devices);
      } else if (o instanceof VethObject v && !v.bridge().isEmpty()) {
        attach(v.peerNamespace(), v.peerName(), externalNetwork(v, all, networks), v.peerMac(), all, attachments, devices);
      } else if (o instanceof MacvlanObject m) {
        String name = macvlanNetwork(m, all, networks);
        attach(m.namespace(), m.name(), name, m.mac(), all, attachments, devices);
      } else if (o instanceof OverlayPortObject p && overlayOfNamespace.containsKey(p.namespace())) {
        attach(p.peerNamespace(), p.peerName(), overlayOfNamespace.get(p.namespace()), p.peerMac(), all, attachments, devices);
      }
    }
    Map<String, Container> containers = new LinkedHashMap<>();
    for (KernelObject o : all) {
      if (o instanceof NamespaceObject n && !n.isGone() && n.owner().kind() != Owner.Kind.NETWORK) {
        List<Attachment> att = ordered(attachments.getOrDefault(n.name(), List.of()), devices.getOrDefault(n.name(), List.of()));
        att = withGatewayPriority(n.name(), att, devices.getOrDefault(n.name(), List.of()), all, networks);
        NetworkMode mode = att.isEmpty() ? NetworkMode.NONE : NetworkMode.OWN;
        containers.put(n.name(), new Container(n.name(), mode, att, ports(n.name(), rules, hasIpv6Gateway(n.name(), all)),
            n.path()));
      }
    }
    joinedByRecord(rules, containers, all);
    joinedContainers(rules, containers, all);
    DecompiledNames.apply(all, networks, containers);
    List<String> notes = new ArrayList<>();
    Fleet hosts = Fleet.NONE;
    if (fleet) {
      hosts = DecompiledOverlays.fleet(all, networks, containers, leaving, here, notes);
    }
    return new Shown(new DesiredState(networks, containers, SourceMap.empty(), hosts), notes);
  }

  private static Network bridgeNetwork(BridgeObject b, List<KernelObject> all, List<FirewallRule> rules) {
    String name = b.owner().name();
    List<IpamPool> pools = bridgePools("", b.name(), b.subnets(), all);
    boolean iccOff = rules.stream().anyMatch(r -> r.spec().equals("-i " + b.name() + " -o " + b.name() + " -j DROP"));
    boolean internal = rules.stream().anyMatch(r -> r.spec().startsWith("! -d ") && r.spec().endsWith(" -i " + b.name() + " -j DROP"));
    boolean masquerade = rules.stream().anyMatch(r -> r.spec().endsWith(" ! -o " + b.name() + " -j MASQUERADE"));
    Network probe = new Network(name, Driver.BRIDGE, Optional.empty(), List.of(), false, true, true, b.mtu(), Optional.empty(),
        false, Map.of(), Optional.empty(), false);
    Optional<String> bridgeName = KernelNames.bridge(probe).equals(b.name()) ? Optional.empty() : Optional.of(b.name());
    boolean v6 = b.subnets().stream().anyMatch(s -> !s.address().isV4());
    return new Network(name, Driver.BRIDGE, bridgeName, pools, internal, !iccOff, internal || masquerade, b.mtu(),
        Optional.empty(), v6, Map.of(), Optional.empty(), false);
  }

  /**
   * A veth on a bridge netform does not own belongs to an external network, named after the
   * bridge; its subnet is read from the container's address, its gateway from the container's
   * default route through it (if that is the one).
   */
  private static String externalNetwork(VethObject v, List<KernelObject> all, Map<String, Network> networks) {
    String name = v.bridge();
    if (!networks.containsKey(name)) {
      Optional<Cidr> subnet = addresses(v.peerNamespace(), v.peerName(), all).filter(a -> a.address().isV4())
          .map(Cidr::network).findFirst();
      Optional<IpAddress> gateway = routeGateways(v.peerNamespace(), v.peerName(), all).filter(IpAddress::isV4)
          .findFirst();
      List<IpamPool> pools = subnet.map(s -> List.of(pool(s, gateway))).orElse(List.of());
      networks.put(name, new Network(name, Driver.BRIDGE, Optional.empty(), pools, false, true, true, v.mtu(),
          Optional.empty(), false, Map.of(), Optional.empty(), false, true));
    }
    return name;
  }

  private static String macvlanNetwork(MacvlanObject m, List<KernelObject> all, Map<String, Network> networks) {
    Optional<Cidr> address = addresses(m.namespace(), m.name(), all).filter(a -> a.address().isV4()).findFirst();
    Cidr subnet = address.map(Cidr::network).orElse(Cidr.parse("0.0.0.0/32"));
    for (Network n : networks.values()) {
      if (n.driver() == Driver.MACVLAN && n.parent().equals(Optional.of(m.parent()))
          && n.pools().stream().anyMatch(p -> p.subnet().equals(subnet))) {
        return n.name();
      }
    }
    Optional<IpAddress> gateway = routeGateways(m.namespace(), m.name(), all).findFirst();
    String name = "macvlan-" + m.parent() + (networks.keySet().stream().anyMatch(k -> k.startsWith("macvlan-" + m.parent()))
        ? "-" + networks.size() : "");
    networks.put(name, new Network(name, Driver.MACVLAN, Optional.empty(),
        List.of(pool(subnet, gateway)), false, true, true, m.mtu(), Optional.empty(), false, Map.of(),
        Optional.of(m.parent()), false));
    return name;
  }

  private static void attach(String ns, String device, String network, MacAddress mac, List<KernelObject> all,
      Map<String, List<Attachment>> attachments, Map<String, List<String>> devices) {
    Optional<IpAddress> v4 = address(ns, device, all, true);
    Optional<IpAddress> v6 = address(ns, device, all, false);
    Optional<MacAddress> explicitMac = v4.map(MacAddress::dockerStyle).filter(mac::equals).isPresent()
        ? Optional.empty() : Optional.of(mac);
    attachments.computeIfAbsent(ns, k -> new ArrayList<>()).add(new Attachment(network, v4, v6, explicitMac, List.of(), 0));
    devices.computeIfAbsent(ns, k -> new ArrayList<>()).add(device);
  }

  private static Optional<IpAddress> address(String ns, String device, List<KernelObject> all, boolean v4) {
    return addresses(ns, device, all).map(Cidr::address).filter(a -> a.isV4() == v4).findFirst();
  }

  /**
   * Each of a bridge's subnets as a pool, with the bridge's own address in it as its gateway.
   * {@code ns}: the bridge's namespace, empty for the host's.
   */
  static List<IpamPool> bridgePools(String ns, String bridge, List<Cidr> subnets, List<KernelObject> all) {
    return subnets.stream()
        .map(subnet -> pool(subnet, addresses(ns, bridge, all).map(Cidr::address).filter(subnet::contains).findFirst()))
        .toList();
  }

  /** A pool read back from the host, which keeps no allocation range or reserved addresses of it. */
  private static IpamPool pool(Cidr subnet, Optional<IpAddress> gateway) {
    return new IpamPool(subnet, gateway, Optional.empty(), Map.of());
  }

  /** The addresses of {@code device} in namespace {@code ns} (empty: the host's), with their prefix. */
  private static Stream<Cidr> addresses(String ns, String device, List<KernelObject> all) {
    return all.stream()
        .filter(o -> o instanceof AddressObject a && a.namespace().equals(ns) && a.device().equals(device))
        .map(o -> ((AddressObject) o).address());
  }

  /** The gateways of the routes through {@code device} in namespace {@code ns}. */
  private static Stream<IpAddress> routeGateways(String ns, String device, List<KernelObject> all) {
    return all.stream()
        .filter(o -> o instanceof RouteObject r && r.namespace().equals(ns) && r.device().equals(device))
        .map(o -> ((RouteObject) o).gateway()).flatMap(Optional::stream);
  }

  /** Attachments in interface order (eth0, eth1, ...), which is declaration order. */
  private static List<Attachment> ordered(List<Attachment> attachments, List<String> devices) {
    List<Integer> idx = new ArrayList<>();
    for (int i = 0; i < attachments.size(); i++) {
      idx.add(i);
    }
    idx.sort(Comparator.comparing((Integer i) -> devices.get(i).length()).thenComparing(devices::get));
    return idx.stream().map(attachments::get).toList();
  }

  /**
   * The default route says which attachment is the gateway; if Docker's order would pick another
   * one with every priority equal, the gateway gets priority 1.
   */
  private static List<Attachment> withGatewayPriority(String ns, List<Attachment> att, List<String> devices,
      List<KernelObject> all, Map<String, Network> networks) {
    Optional<String> dev = all.stream()
        .filter(o -> o instanceof RouteObject r && r.namespace().equals(ns) && r.destination().prefix() == 0
            && r.destination().address().isV4())
        .map(o -> ((RouteObject) o).device()).findFirst();
    if (dev.isEmpty() || att.isEmpty()) {
      return att;
    }
    List<String> sortedDevices = devices.stream().sorted(Comparator.comparing(String::length).thenComparing(s -> s)).toList();
    int primary = sortedDevices.indexOf(dev.get());
    if (primary < 0 || GatewayOrder.ipv4Gateway(networks, att).filter(a -> a == att.get(primary)).isPresent()) {
      return att;
    }
    List<Attachment> out = new ArrayList<>(att);
    Attachment a = out.get(primary);
    out.set(primary, new Attachment(a.network(), a.ipv4Address(), a.ipv6Address(), a.macAddress(), a.aliases(), 1));
    return out;
  }

  /**
   * A container's ports from its DNAT rules. A port with no host address has a rule in each family
   * where the container has an IPv6 gateway; a rule of one family alone, there, is a port written
   * with that family's unspecified address (0.0.0.0 or ::).
   */
  private static List<PortMapping> ports(String container, List<FirewallRule> rules, boolean ipv6Gateway) {
    List<PortMapping> v4 = new ArrayList<>();
    List<PortMapping> v6 = new ArrayList<>();
    for (FirewallRule r : rules) {
      Optional<PortForward> f = PortForward.of(r).filter(x -> r.owner().equals(Owner.container(container)));
      f.ifPresent(x -> (r.family() == IpAddress.Family.V6 ? v6 : v4).add(new PortMapping(x.hostAddress(), x.hostPort(),
          x.containerPort(), x.protocol())));
    }
    List<PortMapping> out = new ArrayList<>();
    for (PortMapping p : v4) {
      boolean both = p.hostIp().isEmpty() && v6.remove(p);
      out.add(both || !ipv6Gateway || p.hostIp().isPresent() ? p : p.on(IpAddress.parse("0.0.0.0")));
    }
    v6.forEach(p -> out.add(p.hostIp().isPresent() ? p : p.on(IpAddress.parse("::"))));
    return out;
  }

  private static boolean hasIpv6Gateway(String namespace, List<KernelObject> all) {
    return all.stream().anyMatch(o -> o instanceof RouteObject r && r.namespace().equals(namespace)
        && r.destination().prefix() == 0 && !r.destination().address().isV4());
  }

  /** A container without a namespace whose name record names the one it joined (whether or not it publishes ports). */
  private static void joinedByRecord(List<FirewallRule> rules, Map<String, Container> containers, List<KernelObject> all) {
    DecompiledNames.records(all).forEach((name, record) -> record.joined().filter(containers::containsKey)
        .filter(j -> !containers.containsKey(name))
        .ifPresent(j -> containers.put(name, new Container(name, new NetworkMode.JoinContainer(j), List.of(),
            ports(name, rules, hasIpv6Gateway(j, all)), Optional.empty()))));
  }

  /**
   * Ports owned by a container without a namespace belong to a container joined to the one they
   * reach (on a host whose joined containers have no name record yet).
   */
  private static void joinedContainers(List<FirewallRule> rules, Map<String, Container> containers, List<KernelObject> all) {
    for (FirewallRule r : rules) {
      Optional<PortForward> f = PortForward.of(r);
      if (r.owner().kind() != Owner.Kind.CONTAINER || containers.containsKey(r.owner().name()) || f.isEmpty()
          || r.family() != IpAddress.Family.V4) {
        continue;
      }
      IpAddress target = f.get().container();
      Optional<String> host = all.stream().filter(o -> o instanceof AddressObject a && !a.namespace().isEmpty()
          && a.address().address().equals(target)).map(o -> ((AddressObject) o).namespace()).findFirst();
      host.ifPresent(h -> containers.put(r.owner().name(), new Container(r.owner().name(), new NetworkMode.JoinContainer(h),
          List.of(), ports(r.owner().name(), rules, hasIpv6Gateway(h, all)), Optional.empty())));
    }
  }
}
