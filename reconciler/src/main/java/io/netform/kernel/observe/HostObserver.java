package io.netform.kernel.observe;

import io.netform.kernel.KernelHost;
import io.netform.kernel.OwnershipAlias;
import io.netform.kernel.firewall.FirewallBackend;
import io.netform.kernel.netlink.AddressInfo;
import io.netform.kernel.netlink.LinkInfo;
import io.netform.kernel.netlink.Nl;
import io.netform.kernel.netlink.RouteInfo;
import io.netform.model.AddressObject;
import io.netform.model.BridgeObject;
import io.netform.model.ForeignObjects;
import io.netform.model.HostModel;
import io.netform.model.KernelObject;
import io.netform.model.MacvlanObject;
import io.netform.model.NamespaceObject;
import io.netform.model.ObservedHost;
import io.netform.model.Owner;
import io.netform.model.RouteObject;
import io.netform.model.SysctlObject;
import io.netform.model.VethObject;
import io.netform.net.Cidr;
import io.netform.net.MacAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Reads a host into the observed-state model: netform's objects fully (recognised by their
 * markers: link aliases, the loopback alias of a namespace, rule comments), foreign ones only as
 * names that a desired state could collide with.
 */
public final class HostObserver {

  /** The alias on a namespace's loopback that marks the namespace as netform's. */
  public static final String LOOPBACK = "lo";

  private final KernelHost host;
  private final KernelReads reads;

  public HostObserver(KernelHost host) {
    this(host, KernelReads.fresh(host.root()));
  }

  /** An observer whose raw reads come from {@code reads} (e.g. an {@link EventDrivenReads} view). */
  public HostObserver(KernelHost host, KernelReads reads) {
    this.host = host;
    this.reads = reads;
  }

  public ObservedHost observe() {
    List<KernelObject> owned = new ArrayList<>();
    HostReads hostReads = reads.host();
    List<LinkInfo> links = hostReads.links();
    Map<Integer, LinkInfo> byIndex = new HashMap<>();
    links.forEach(l -> byIndex.put(l.index(), l));
    Set<Integer> ownedIndexes = new HashSet<>();
    Set<String> foreignLinks = new HashSet<>();
    List<LinkInfo> veths = new ArrayList<>();
    Map<Integer, Owner> bridgeOwners = new HashMap<>();
    for (LinkInfo l : links) {
      Optional<OwnershipAlias.Parsed> mark = l.alias().flatMap(OwnershipAlias::parse);
      if (mark.isEmpty()) {
        foreignLinks.add(l.name());
        continue;
      }
      ownedIndexes.add(l.index());
      if (l.kind().equals("bridge")) {
        List<Cidr> subnets = mark.get().get("subnets").map(HostObserver::cidrs).orElse(List.of());
        owned.add(new BridgeObject(l.name(), l.mtu(), Optional.empty(), subnets, mark.get().owner()));
        bridgeOwners.put(l.index(), mark.get().owner());
      } else if (l.kind().equals("veth")) {
        veths.add(l);
      }
    }
    for (AddressInfo a : hostReads.addresses()) {
      Owner owner = bridgeOwners.get(a.linkIndex());
      if (owner != null && a.scope() != Nl.RT_SCOPE_LINK) {
        owned.add(new AddressObject(KernelObject.HOST_NS, byIndex.get(a.linkIndex()).name(), a.address(), owner));
      }
    }
    List<Cidr> foreignRoutes = new ArrayList<>();
    for (RouteInfo r : hostReads.routes()) {
      if (!ownedIndexes.contains(r.outputIndex())) {
        foreignRoutes.add(r.destination());
      }
    }
    if (!bridgeOwners.isEmpty()) {
      owned.add(new SysctlObject(KernelObject.HOST_NS, "net.ipv4.ip_forward", host.root().readSysctl("net.ipv4.ip_forward"),
          Owner.HOST));
    }

    Map<String, Path> candidates = new LinkedHashMap<>();
    Map<String, Long> inodes = host.namespaces().mounted();
    inodes.keySet().forEach(n -> candidates.put(n, host.namespaces().path(n)));
    Map<String, String> inventory = host.inventory().namespaces();
    inventory.forEach((n, p) -> candidates.putIfAbsent(n, Path.of(p)));
    Set<String> foreignNamespaces = new HashSet<>();
    Map<String, NamespaceView> views = new HashMap<>();
    for (NamespaceView v : reads.namespaces(candidates, inodes)) {
      Optional<OwnershipAlias.Parsed> mark = v.link(LOOPBACK).flatMap(LinkInfo::alias).flatMap(OwnershipAlias::parse);
      // The inventory entry is written before a namespace is created, the marker right after: a run that
      // died in between leaves a namespace that only the inventory vouches for.
      if (mark.isEmpty() && v.path().toString().equals(inventory.get(v.name()))) {
        mark = Optional.of(new OwnershipAlias.Parsed(Owner.container(v.name()), Map.of()));
      }
      if (mark.isEmpty()) {
        foreignNamespaces.add(v.name());
        continue;
      }
      views.put(v.name(), v);
      boolean named = v.path().equals(host.namespaces().path(v.name()));
      owned.add(new NamespaceObject(v.name(), named ? Optional.empty() : Optional.of(v.path().toString()), mark.get().owner()));
      containerObjects(v, mark.get().owner(), owned);
    }
    inventory.forEach((name, path) -> {
      if (!inodes.containsKey(name) && !views.containsKey(name) && !foreignNamespaces.contains(name)) {
        owned.add(NamespaceObject.gone(name, path)); // recorded, not listed, not read: gone
      }
    });
    for (LinkInfo veth : veths) {
      OwnershipAlias.Parsed mark = veth.alias().flatMap(OwnershipAlias::parse).orElseThrow();
      String[] peer = mark.get("peer").orElse("?/?").split("/", 2);
      NamespaceView inside = views.get(peer[0]);
      Optional<LinkInfo> peerLink = inside == null ? Optional.empty() : inside.link(peer.length > 1 ? peer[1] : "?");
      String bridge = veth.master() > 0 && byIndex.containsKey(veth.master()) ? byIndex.get(veth.master()).name() : "";
      owned.add(new VethObject(veth.name(), bridge, peerLink.isPresent() ? peer[0] : "(missing)", peer.length > 1 ? peer[1] : "?",
          peerLink.flatMap(LinkInfo::mac).orElse(new MacAddress(0)), veth.mtu(),
          veth.up() && peerLink.map(LinkInfo::up).orElse(false), mark.owner()));
    }
    FirewallBackend.Observed fw = reads.firewall(host.firewall());
    owned.addAll(fw.chains());
    owned.addAll(fw.rules());
    return new ObservedHost(new HostModel(firstOfEachKey(owned)), new ForeignObjects(foreignLinks, foreignRoutes, foreignNamespaces));
  }

  /** Addresses, default routes and macvlans inside one of netform's namespaces. */
  private static void containerObjects(NamespaceView v, Owner owner, List<KernelObject> owned) {
    for (LinkInfo l : v.links()) {
      if (l.kind().equals("macvlan")) {
        OwnershipAlias.Parsed mark = l.alias().flatMap(OwnershipAlias::parse).orElse(null);
        owned.add(new MacvlanObject(v.name(), l.name(), mark == null ? "?" : mark.get("parent").orElse("?"),
            l.mac().orElse(new MacAddress(0)), l.mtu(), l.up(), owner));
      }
    }
    for (AddressInfo a : v.addresses()) {
      Optional<LinkInfo> l = v.link(a.linkIndex());
      if (l.isPresent() && !l.get().name().equals(LOOPBACK) && a.scope() != Nl.RT_SCOPE_LINK) {
        owned.add(new AddressObject(v.name(), l.get().name(), a.address(), owner));
      }
    }
    for (RouteInfo r : v.routes()) {
      if (r.destination().prefix() == 0 && r.protocol() != Nl.RTPROT_KERNEL) {
        String dev = v.link(r.outputIndex()).map(LinkInfo::name).orElse("?");
        owned.add(new RouteObject(v.name(), r.destination(), r.gateway(), dev, owner));
      }
    }
  }

  private static List<Cidr> cidrs(String text) {
    List<Cidr> out = new ArrayList<>();
    for (String s : text.split(",")) {
      Cidr.tryParse(s).ifPresent(out::add);
    }
    return out;
  }

  /**
   * Two objects with one key (e.g. a route listed twice) would make the model ambiguous: keep the
   * first. Sorted already, so the model takes the map over without sorting it again.
   */
  private static SortedMap<String, KernelObject> firstOfEachKey(List<KernelObject> objects) {
    SortedMap<String, KernelObject> byKey = new TreeMap<>();
    objects.forEach(o -> byKey.putIfAbsent(o.key(), o));
    return byKey;
  }
}
