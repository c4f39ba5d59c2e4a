package io.netform.kernel.observe;

import io.netform.kernel.KernelHost;
import io.netform.kernel.OwnershipAlias;
import io.netform.kernel.files.NameFileStore;
import io.netform.kernel.firewall.FirewallBackend;
import io.netform.kernel.netlink.AddressInfo;
import io.netform.kernel.netlink.LinkInfo;
import io.netform.kernel.netlink.Nl;
import io.netform.kernel.netlink.RouteInfo;
import io.netform.kernel.netns.NamedNamespaces;
import io.netform.model.AddressObject;
import io.netform.model.BridgeObject;
import io.netform.model.ForeignNamespace;
import io.netform.model.ForeignObjects;
import io.netform.model.HostModel;
import io.netform.model.KernelObject;
import io.netform.model.MacvlanObject;
import io.netform.model.NamespaceObject;
import io.netform.model.ObservedHost;
import io.netform.model.Owner;
import io.netform.model.RouteObject;
import io.netform.model.SortedByKey;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Reads a host into the observed-state model: netform's objects fully (recognised by their
 * markers: link aliases, the loopback alias of a namespace, rule comments, the first line of a name
 * file), foreign ones only as
 * names that a desired state could collide with.
 */
public final class HostObserver {

  /** The alias on a namespace's loopback that marks the namespace as netform's. */
  public static final String LOOPBACK = "lo";

  private final KernelHost host;
  private final KernelReads reads;

  /**
   * Threads that read the name files beside an observation's kernel reads: kept between
   * observations (the agent observes at every reconcile), one per observation running at once.
   */
  private static final java.util.concurrent.ExecutorService NAME_FILE_READERS =
      java.util.concurrent.Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "netform-read-name-files");
        t.setDaemon(true);
        return t;
      });

  public HostObserver(KernelHost host) {
    this(host, KernelReads.fresh(host.root()));
  }

  /** An observer whose raw reads come from {@code reads} (e.g. an {@link EventDrivenReads} view). */
  public HostObserver(KernelHost host, KernelReads reads) {
    this.host = host;
    this.reads = reads;
  }

  /**
   * The host's settings netform keeps, read in one visit to the host's namespace: forwarding
   * (IPv4 when it has bridges, IPv6 when one has an IPv6 subnet) and, for each bridge, whether
   * 127.0.0.1 may be routed to and from it, which the host's published ports need. A bridge gone
   * since the links were read has none; a forwarding setting that cannot be read is an error.
   */
  private List<SysctlObject> hostSysctls(Map<String, Owner> bridges, boolean ipv6Forwarding) {
    Map<String, Owner> keys = new LinkedHashMap<>();
    if (!bridges.isEmpty()) {
      keys.put(SysctlObject.IPV4_FORWARDING, Owner.HOST);
    }
    if (ipv6Forwarding) {
      keys.put(SysctlObject.IPV6_FORWARDING, Owner.HOST);
    }
    Set<String> perBridge = new HashSet<>();
    bridges.forEach((bridge, owner) -> {
      String key = SysctlObject.ofInterface(KernelObject.HOST_NS, bridge, "route_localnet", "", owner).name();
      keys.put(key, owner);
      perBridge.add(key);
    });
    List<SysctlObject> out = new ArrayList<>();
    host.root().readSysctls(List.copyOf(keys.keySet())).forEach((name, value) -> {
      if (value.isEmpty() && !perBridge.contains(name)) {
        throw new IllegalStateException("reading " + name + ": the setting does not exist");
      }
      value.ifPresent(v -> out.add(new SysctlObject(KernelObject.HOST_NS, name, v, keys.get(name))));
    });
    return out;
  }



  public ObservedHost observe() {
    // The name files are read while the kernel is (they do not depend on it): thousands of small
    // files are a good part of an observation's time.
    CompletableFuture<NameFileStore.Observed> nameFiles = CompletableFuture.supplyAsync(
        () -> reads.nameFiles(new NameFileStore(host.names(), host.state().nameRecords())), NAME_FILE_READERS);
    List<KernelObject> owned = new ArrayList<>();
    HostReads hostReads = reads.host();
    List<LinkInfo> links = hostReads.links();
    Map<Integer, LinkInfo> byIndex = new HashMap<>();
    links.forEach(l -> byIndex.put(l.index(), l));
    Set<Integer> ownedIndexes = new HashSet<>();
    Set<String> foreignLinks = new HashSet<>();
    List<LinkInfo> veths = new ArrayList<>();
    Map<Integer, Owner> bridgeOwners = new HashMap<>();
    // The links netform made inside each namespace, as the host ends of its veths name them.
    Map<String, Set<String>> peersByNamespace = new HashMap<>();
    for (LinkInfo l : links) {
      Optional<OwnershipAlias.Parsed> mark = l.alias().flatMap(OwnershipAlias::parse);
      if (mark.isEmpty()) {
        foreignLinks.add(l.name());
        continue;
      }
      ownedIndexes.add(l.index());
      if (l.kind().equals("bridge")) {
        List<Cidr> subnets = mark.get().get("subnets").map(HostObserver::cidrs).orElse(List.of());
        owned.add(new BridgeObject(l.name(), l.mtu(), Optional.empty(), subnets, l.multicastSnooping(), mark.get().owner()));
        bridgeOwners.put(l.index(), mark.get().owner());
      } else if (l.kind().equals("veth")) {
        veths.add(l);
        String[] peer = peerOf(mark.get());
        peersByNamespace.computeIfAbsent(peer[0], k -> new HashSet<>()).add(peer[1]);
      }
    }
    List<Cidr> foreignAddresses = new ArrayList<>();
    for (AddressInfo a : hostReads.addresses()) {
      Owner owner = bridgeOwners.get(a.linkIndex());
      if (owner != null && a.scope() != Nl.RT_SCOPE_LINK) {
        owned.add(new AddressObject(KernelObject.HOST_NS, byIndex.get(a.linkIndex()).name(), a.address(), owner));
      } else if (!ownedIndexes.contains(a.linkIndex()) && a.scope() != Nl.RT_SCOPE_LINK) {
        foreignAddresses.add(a.address()); // link-local ones come and go with links, and nothing binds to them
      }
    }
    List<Cidr> foreignRoutes = new ArrayList<>();
    for (RouteInfo r : hostReads.routes()) {
      if (!ownedIndexes.contains(r.outputIndex())) {
        foreignRoutes.add(r.destination());
      }
    }
    Map<String, Owner> bridges = new LinkedHashMap<>();
    bridgeOwners.forEach((index, owner) -> bridges.put(byIndex.get(index).name(), owner));
    boolean ipv6Bridges = owned.stream().anyMatch(o -> o instanceof BridgeObject b
        && b.subnets().stream().anyMatch(c -> !c.address().isV4()));
    owned.addAll(hostSysctls(bridges, ipv6Bridges));

    // Only the namespaces in the namespace directory are read. One counts as netform's only when the
    // marker on its loopback says so (set before the namespace is mounted there, so no run leaves an
    // unmarked one behind); the inventory is a record of names and paths, never a proof.
    Map<String, Long> inodes = host.namespaces().mounted();
    Map<String, Path> candidates = new LinkedHashMap<>();
    inodes.keySet().forEach(n -> candidates.put(n, host.namespaces().path(n)));
    Set<Long> hostInodes = hostNamespaceInodes();
    Map<String, String> inventory = host.inventory().namespaces();
    Set<String> foreignNamespaces = new HashSet<>();
    Map<String, ForeignNamespace> foreignContents = new HashMap<>();
    Map<String, NamespaceView> views = new HashMap<>(); // by container name
    Map<String, NamespaceView> byFile = new HashMap<>();
    List<NamespaceView> read = reads.namespaces(candidates, inodes);
    // An overlay network's namespace (owned by the network) holds the host ends of its containers' ports.
    Map<NamespaceView, Owner> overlays = new LinkedHashMap<>();
    for (NamespaceView v : read) {
      namespaceMark(v).filter(m -> m.owner().kind() == Owner.Kind.NETWORK).ifPresent(m -> {
        overlays.put(v, m.owner());
        OverlayReads.peers(v, peersByNamespace);
      });
    }
    for (NamespaceView v : read) {
      byFile.put(v.name(), v);
      Optional<OwnershipAlias.Parsed> mark = namespaceMark(v);
      if (mark.isPresent()) {
        views.put(v.name(), v);
        boolean loopbackUp = v.link(LOOPBACK).map(LinkInfo::up).orElse(false);
        owned.add(new NamespaceObject(v.name(), Optional.empty(), loopbackUp, mark.get().owner()));
        if (!overlays.containsKey(v)) {
          containerObjects(v.name(), v, mark.get().owner(), peersByNamespace.getOrDefault(v.name(), Set.of()), true, owned);
        }
      } else {
        foreignNamespaces.add(v.name());
      }
    }
    // Adopted namespaces (namespace: in the desired state): a record names the container and the file;
    // inside, only what netform made there is its own.
    inventory.forEach((name, recorded) -> {
      if (views.containsKey(name)) {
        return; // netform's own namespace, found by its marker
      }
      Path path = Path.of(recorded);
      NamespaceView v = path.getParent() != null && path.getParent().equals(host.namespaces().dir())
          ? byFile.get(path.getFileName().toString()) : null;
      if (v == null || views.containsKey(v.name())) {
        owned.add(NamespaceObject.gone(name, recorded)); // not a namespace netform may use: the record is forgotten
        return;
      }
      views.put(name, v);
      Owner owner = Owner.container(name);
      owned.add(new NamespaceObject(name, Optional.of(recorded), owner));
      containerObjects(name, v, owner, peersByNamespace.getOrDefault(name, Set.of()), false, owned);
    });
    for (String file : foreignNamespaces) {
      NamespaceView v = byFile.get(file);
      Set<String> claimed = new HashSet<>();
      inventory.forEach((name, recorded) -> {
        if (views.get(name) == v) {
          claimed.addAll(peersByNamespace.getOrDefault(name, Set.of()));
          v.links().stream().filter(l -> isMarkedMacvlan(l, name)).forEach(l -> claimed.add(l.name()));
        }
      });
      foreignContents.put(file, foreignContents(v, claimed, hostInodes.contains(inodes.get(file))));
    }
    owned.addAll(OverlayReads.objects(overlays, views));
    for (LinkInfo veth : veths) {
      OwnershipAlias.Parsed mark = veth.alias().flatMap(OwnershipAlias::parse).orElseThrow();
      String[] peer = peerOf(mark);
      NamespaceView inside = views.get(peer[0]);
      Optional<LinkInfo> peerLink = inside == null ? Optional.empty() : inside.link(peer[1]);
      String bridge = veth.master() > 0 && byIndex.containsKey(veth.master()) ? byIndex.get(veth.master()).name() : "";
      owned.add(new VethObject(veth.name(), bridge, peerLink.isPresent() ? peer[0] : "(missing)", peer[1],
          peerLink.flatMap(LinkInfo::mac).orElse(new MacAddress(0)), veth.mtu(),
          veth.up() && peerLink.map(LinkInfo::up).orElse(false), veth.hairpin(),
          peerLink.map(LinkInfo::ipv6).orElse(false), mark.owner()));
    }
    FirewallBackend.Observed fw = reads.firewall(host.firewall());
    owned.addAll(fw.chains());
    owned.addAll(fw.rules());
    NameFileStore.Observed names;
    try {
      names = nameFiles.join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : e;
    }
    owned.addAll(names.owned());
    ForeignObjects foreign = new ForeignObjects(foreignLinks, foreignRoutes, foreignNamespaces, foreignAddresses,
        foreignContents, fw.foreign(), host.namespaces().dir().toString(), names.foreign(), host.namespaces().others());
    // Two objects with one key (a route listed twice) would make the model ambiguous: the first is kept.
    return new ObservedHost(new HostModel(SortedByKey.firstOfEachKey(owned)), foreign);
  }

  private static Optional<OwnershipAlias.Parsed> namespaceMark(NamespaceView v) {
    return v.link(LOOPBACK).flatMap(LinkInfo::alias).flatMap(OwnershipAlias::parse);
  }

  /** {@code namespace/name} of a veth's peer, from the marker on its host end. */
  private static String[] peerOf(OwnershipAlias.Parsed mark) {
    String[] peer = mark.get("peer").orElse("?/?").split("/", 2);
    return peer.length > 1 ? peer : new String[] {peer[0], "?"};
  }

  private static boolean isMarkedMacvlan(LinkInfo l, String container) {
    return l.kind().equals("macvlan") && l.alias().flatMap(OwnershipAlias::parse)
        .filter(m -> m.owner().equals(Owner.container(container))).isPresent();
  }

  /**
   * Addresses, default routes and macvlans inside a namespace netform uses: only on the links it
   * made there ({@code claimed}: its veths' peers, named by the markers on their host ends; and
   * macvlans carrying its marker), never on one someone else added. In a namespace netform created
   * ({@code created}) an unmarked macvlan counts too: netform puts macvlans there and marks them a
   * moment later, so a crash in between must not leave one it cannot recognise.
   */
  private static void containerObjects(String name, NamespaceView v, Owner owner, Set<String> claimed, boolean created,
      List<KernelObject> owned) {
    Set<Integer> mine = new HashSet<>();
    for (LinkInfo l : v.links()) {
      boolean ours = claimed.contains(l.name()) || isMarkedMacvlan(l, name) || (created && l.kind().equals("macvlan"));
      if (!ours) {
        continue;
      }
      mine.add(l.index());
      if (l.kind().equals("macvlan")) {
        OwnershipAlias.Parsed mark = l.alias().flatMap(OwnershipAlias::parse).orElse(null);
        owned.add(new MacvlanObject(name, l.name(), mark == null ? "?" : mark.get("parent").orElse("?"),
            l.mac().orElse(new MacAddress(0)), l.mtu(), l.up(), l.ipv6(), owner));
      }
    }
    for (AddressInfo a : v.addresses()) {
      Optional<LinkInfo> l = v.link(a.linkIndex());
      if (l.isPresent() && mine.contains(a.linkIndex()) && a.scope() != Nl.RT_SCOPE_LINK) {
        owned.add(new AddressObject(name, l.get().name(), a.address(), owner));
      }
    }
    for (RouteInfo r : v.routes()) {
      if (r.destination().prefix() == 0 && r.protocol() != Nl.RTPROT_KERNEL && mine.contains(r.outputIndex())) {
        String dev = v.link(r.outputIndex()).map(LinkInfo::name).orElse("?");
        owned.add(new RouteObject(name, r.destination(), r.gateway(), dev, owner));
      }
    }
  }

  /** What a namespace netform did not create holds, but for the links netform made in it. */
  private static ForeignNamespace foreignContents(NamespaceView v, Set<String> claimed, boolean isHost) {
    Set<String> names = new HashSet<>();
    Set<Integer> foreignIndexes = new HashSet<>();
    for (LinkInfo l : v.links()) {
      if (!claimed.contains(l.name())) {
        names.add(l.name());
        foreignIndexes.add(l.index());
      }
    }
    List<Cidr> routes = new ArrayList<>();
    for (RouteInfo r : v.routes()) {
      if (foreignIndexes.contains(r.outputIndex()) || r.outputIndex() == 0) {
        routes.add(r.destination());
      }
    }
    return new ForeignNamespace(names, routes, isHost);
  }

  /**
   * The namespaces that are the host's own: the one netform manages as the host, the one it runs
   * in, and PID 1's. Mounted under a name in the namespace directory, one is still never adopted.
   */
  private Set<Long> hostNamespaceInodes() {
    Set<Long> out = new HashSet<>();
    for (Path p : List.of(host.root().path(), Path.of("/proc/self/ns/net"), Path.of("/proc/1/ns/net"))) {
      long inode = NamedNamespaces.inode(p);
      if (inode != 0) {
        out.add(inode);
      }
    }
    return out;
  }

  private static List<Cidr> cidrs(String text) {
    List<Cidr> out = new ArrayList<>();
    for (String s : text.split(",")) {
      Cidr.tryParse(s).ifPresent(out::add);
    }
    return out;
  }
}
