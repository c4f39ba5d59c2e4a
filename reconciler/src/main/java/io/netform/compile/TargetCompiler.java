package io.netform.compile;

import io.netform.desired.Attachment;
import io.netform.desired.Container;
import io.netform.desired.DesiredState;
import io.netform.desired.Driver;
import io.netform.desired.Network;
import io.netform.desired.NetworkMode;
import io.netform.desired.PortMapping;
import io.netform.fleet.OverlayWiring;
import io.netform.ipam.Allocation;
import io.netform.ipam.EndpointAllocation;
import io.netform.ipam.NetworkAllocation;
import io.netform.ipam.PoolAllocation;
import io.netform.model.AddressObject;
import io.netform.model.BridgeObject;
import io.netform.model.HostModel;
import io.netform.model.KernelObject;
import io.netform.model.MacvlanObject;
import io.netform.model.NamespaceObject;
import io.netform.model.OverlayPortObject;
import io.netform.model.Owner;
import io.netform.model.RouteObject;
import io.netform.model.SysctlObject;
import io.netform.model.VethObject;
import io.netform.model.HostResolvers;
import io.netform.net.Cidr;
import io.netform.net.IpAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Compiles a desired state and its address allocation into the kernel objects one host needs
 * (a pure function). Loopback is brought up as part of creating a namespace, so it is not an
 * object of its own. A container in {@code host} mode or joined to another gets nothing of its
 * own; a joined container's published ports go to the container it joined.
 */
public final class TargetCompiler {

  private static final Cidr DEFAULT_V4 = Cidr.parse("0.0.0.0/0");
  private static final Cidr DEFAULT_V6 = Cidr.parse("::/0");

  private TargetCompiler() {}

  /** As on a host whose resolvers are unknown (an offline plan): see {@link HostResolvers#UNKNOWN}. */
  public static HostModel compile(DesiredState desired, Allocation allocation) {
    return compile(desired, allocation, OverlayWiring.NONE, HostResolvers.UNKNOWN);
  }

  /**
   * {@code overlay}: what this host wires for overlay networks (see OverlayObjects); {@code
   * resolvers}: the host's, for the resolv.conf of containers without the embedded DNS.
   */
  public static HostModel compile(DesiredState desired, Allocation allocation, OverlayWiring overlay,
      HostResolvers resolvers) {
    List<KernelObject> objects = new ArrayList<>();
    List<FirewallRules.BridgeNet> bridges = new ArrayList<>();
    Map<String, FirewallRules.BridgeNet> bridgeByNetwork = new HashMap<>();
    for (Network n : desired.networks().values()) {
      NetworkAllocation na = allocation.networks().get(n.name());
      if (na == null || n.driver() != Driver.BRIDGE) {
        continue;
      }
      if (n.external()) {
        // Its bridge, address and rules are its owner's: netform makes none, but publishes its containers' ports through it.
        bridgeByNetwork.put(n.name(), new FirewallRules.BridgeNet(n, n.externalBridge(),
            na.pools().stream().map(PoolAllocation::subnet).toList()));
        continue;
      }
      String bridge = KernelNames.bridge(n);
      Owner owner = Owner.network(n.name());
      objects.add(new BridgeObject(bridge, n.mtu(), Optional.empty(),
          na.pools().stream().map(PoolAllocation::subnet).toList(), true, owner));
      na.pools().forEach(p -> objects.add(new AddressObject(KernelObject.HOST_NS, bridge, p.gatewayCidr(), owner)));
      FirewallRules.BridgeNet b = new FirewallRules.BridgeNet(n, bridge,
          na.pools().stream().map(PoolAllocation::subnet).toList());
      bridges.add(b);
      bridgeByNetwork.put(n.name(), b);
      // The host's own connections to 127.0.0.1:PORT are forwarded to the bridge (published ports);
      // an internal network publishes nothing, so nothing from loopback goes there.
      objects.add(SysctlObject.ofInterface(KernelObject.HOST_NS, bridge, "route_localnet", n.internal() ? "0" : "1", owner));
    }
    if (bridges.stream().anyMatch(b -> !b.subnets(IpAddress.Family.V6).isEmpty())) {
      // As Docker does for IPv6 networks (it also stops the host taking router advertisements on interfaces that did).
      objects.add(new SysctlObject(KernelObject.HOST_NS, SysctlObject.IPV6_FORWARDING, "1", Owner.HOST));
    }
    Map<String, List<Endpoint>> endpointsByContainer = new HashMap<>();
    Map<String, PrimaryNetwork> primaryByContainer = new HashMap<>();
    for (Container c : desired.containers().values()) {
      if (c.mode() instanceof NetworkMode.Own) {
        List<Endpoint> endpoints = endpoints(desired, allocation, c);
        endpointsByContainer.put(c.name(), endpoints);
        primaryByContainer.put(c.name(), PrimaryNetwork.of(endpoints));
      }
    }
    // Ports are published on the gateway endpoint of the namespace they reach (a joined container's,
    // that of the container at the end of its joins): the IPv4 gateway's address for IPv4, the IPv6
    // gateway's for IPv6. A namespace with no networks of its own (none, host) has no gateway.
    List<FirewallRules.Published> published = new ArrayList<>();
    for (Container c : desired.containers().values()) {
      String target = desired.namespaceHolder(c).name();
      PrimaryNetwork primary = primaryByContainer.get(target);
      if (primary == null) {
        continue;
      }
      for (PortMapping p : c.ports()) {
        publish(c, target, p, primary.ipv4().map(e -> new Gateway(e, e.allocation().ipv4())), bridgeByNetwork, published);
        publish(c, target, p, primary.ipv6().flatMap(e -> e.allocation().ipv6().map(ip -> new Gateway(e, ip))),
            bridgeByNetwork, published);
      }
    }
    // A container reaches its own published port through the host only if its bridge port lets frames back out.
    Set<String> publishing = published.stream().map(p -> p.namespace() + "/" + p.via().network().name())
        .collect(Collectors.toSet());
    for (Container c : desired.containers().values()) {
      if (c.mode() instanceof NetworkMode.Own || c.mode() instanceof NetworkMode.None) {
        objects.add(new NamespaceObject(c.name(), c.namespacePath(), Owner.container(c.name())));
      }
      if (c.mode() instanceof NetworkMode.Own) {
        PrimaryNetwork primary = primaryByContainer.get(c.name());
        for (Endpoint e : endpointsByContainer.get(c.name())) {
          wire(e, publishing.contains(c.name() + "/" + e.network().name()), objects);
        }
        defaultRoutes(primary, objects);
      }
    }
    if (!bridges.isEmpty()) {
      // Only for netform's own bridges: the owner of an external one has forwarding on for its own containers.
      objects.add(new SysctlObject(KernelObject.HOST_NS, SysctlObject.IPV4_FORWARDING, "1", Owner.HOST));
    }
    objects.addAll(FirewallRules.build(bridges, published));
    objects.addAll(OverlayObjects.build(overlay));
    objects.addAll(NameFiles.compile(desired, endpointsByContainer, primaryByContainer, overlay, resolvers));
    return HostModel.of(objects);
  }

  /** A namespace's gateway endpoint of one family and its address there. */
  private record Gateway(Endpoint endpoint, IpAddress address) {}

  /**
   * Publishes {@code port} on the gateway of the address's family, if the port is for that family:
   * one with no host address is for both (host_binding_ipv4, when it names an address, keeps it to
   * IPv4), one with a host address for that address's family. Ports on macvlan networks are
   * reached directly, not through the host.
   */
  private static void publish(Container c, String target, PortMapping port, Optional<Gateway> gateway,
      Map<String, FirewallRules.BridgeNet> bridgeByNetwork, List<FirewallRules.Published> published) {
    if (gateway.isEmpty()) {
      return;
    }
    IpAddress.Family family = gateway.get().address().family();
    FirewallRules.BridgeNet via = bridgeByNetwork.get(gateway.get().endpoint().network().name());
    if (via == null || !publishedOn(port, via.network(), family)) {
      return;
    }
    published.add(new FirewallRules.Published(c.name(), target, via, gateway.get().address(), port));
  }

  /** Whether a port is published on addresses of {@code family} (see {@link #publish}). */
  private static boolean publishedOn(PortMapping port, Network network, IpAddress.Family family) {
    if (port.hostIp().isPresent()) {
      return port.hostIp().get().family() == family;
    }
    return family == IpAddress.Family.V4 || network.hostBindingIpv4().filter(ip -> !ip.isUnspecified()).isEmpty();
  }

  private static List<Endpoint> endpoints(DesiredState desired, Allocation allocation, Container c) {
    List<Endpoint> out = new ArrayList<>();
    for (Attachment a : c.attachments()) {
      Network n = desired.networks().get(a.network());
      Optional<EndpointAllocation> ea = allocation.endpoint(c.name(), a.network());
      NetworkAllocation na = allocation.networks().get(a.network());
      if (n == null || ea.isEmpty() || na == null) {
        continue;
      }
      IpAddress v4 = ea.get().ipv4();
      Optional<PoolAllocation> v4Pool = na.pools().stream().filter(p -> p.subnet().contains(v4)).findFirst();
      Optional<PoolAllocation> v6Pool = ea.get().ipv6()
          .flatMap(ip -> na.pools().stream().filter(p -> p.subnet().contains(ip)).findFirst());
      out.add(new Endpoint(c, n, ea.get(), v4Pool, v6Pool, a.gwPriority()));
    }
    return out;
  }

  private static void wire(Endpoint e, boolean hairpin, List<KernelObject> objects) {
    String ns = e.container().name();
    Owner owner = Owner.container(ns);
    Network n = e.network();
    EndpointAllocation a = e.allocation();
    boolean ipv6 = e.hasIpv6();
    if (n.driver() == Driver.MACVLAN) {
      objects.add(new MacvlanObject(ns, e.device(), n.parent().orElse(""), a.mac(), n.mtu(), true, ipv6, owner));
    } else if (n.isOverlay()) {
      objects.add(new OverlayPortObject(KernelNames.overlayNamespace(n.name()), KernelNames.hostVeth(ns, n.name()),
          KernelNames.OVERLAY_BRIDGE, ns, e.device(), a.mac(), n.mtu(), true, ipv6, owner));
    } else {
      objects.add(new VethObject(KernelNames.hostVeth(ns, n.name()), bridgeOf(n), ns, e.device(), a.mac(),
          n.mtu(), true, hairpin, ipv6, owner));
    }
    e.ipv4Pool().ifPresent(p -> objects.add(new AddressObject(ns, e.device(), p.subnet().withAddress(a.ipv4()), owner)));
    a.ipv6().ifPresent(ip -> e.ipv6Pool().ifPresent(p ->
        objects.add(new AddressObject(ns, e.device(), p.subnet().withAddress(ip), owner))));
  }

  /** The bridge a network's containers are attached to: netform's own, or the existing one of an external network. */
  private static String bridgeOf(Network n) {
    return n.external() ? n.externalBridge() : KernelNames.bridge(n);
  }

  private static void defaultRoutes(PrimaryNetwork primary, List<KernelObject> objects) {
    primary.ipv4().ifPresent(e -> defaultRoute(e, DEFAULT_V4, e.ipv4Pool(), objects));
    primary.ipv6().ifPresent(e -> defaultRoute(e, DEFAULT_V6, e.ipv6Pool(), objects));
  }

  private static void defaultRoute(Endpoint e, Cidr destination, Optional<PoolAllocation> pool, List<KernelObject> objects) {
    String ns = e.container().name();
    pool.ifPresent(p -> objects.add(new RouteObject(ns, destination, Optional.of(p.gateway()), e.device(), Owner.container(ns))));
  }
}
