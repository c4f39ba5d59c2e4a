package io.netform.kernel.apply;

import io.netform.kernel.KernelHost;
import io.netform.kernel.OwnershipAlias;
import io.netform.kernel.ffi.Errno;
import io.netform.kernel.ffi.LibC;
import io.netform.kernel.ffi.SyscallException;
import io.netform.kernel.files.NameFileStore;
import io.netform.kernel.netlink.NetlinkException;
import io.netform.kernel.netlink.Nl;
import io.netform.kernel.netlink.Rtnl;
import io.netform.kernel.netns.CreateNameLookup;
import io.netform.kernel.netns.NetnsHandle;
import io.netform.model.AddressObject;
import io.netform.model.BridgeObject;
import io.netform.model.KernelObject;
import io.netform.model.MacvlanObject;
import io.netform.model.NameFileObject;
import io.netform.model.NamespaceObject;
import io.netform.model.OverlayPortObject;
import io.netform.model.RouteObject;
import io.netform.model.SysctlObject;
import io.netform.model.VethObject;
import io.netform.net.Cidr;
import io.netform.plan.Plan;
import io.netform.plan.StaleConnections;
import io.netform.plan.Step;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.IntConsumer;
import java.util.stream.Collectors;

/**
 * Carries out a plan's steps on a {@link KernelHost}, in the plan's order (deletions, most
 * dependent first; then creations, dependencies first). Firewall changes are gathered into two
 * atomic restores: removals before everything else, additions after everything else. Deleting
 * something the kernel already removed with its parent (an address with its veth) is not an error.
 * Last, the connections the kernel still tracks to what the plan removed are deleted
 * ({@link StaleConnections}).
 */
public final class KernelExecutor implements AutoCloseable {

  static final Set<Integer> ALREADY_GONE = Set.of(Errno.ENODEV, Errno.ENOENT, 99 /* EADDRNOTAVAIL */, 3 /* ESRCH */);

  /**
   * Crash tests only: halt the JVM (no cleanup, as kill -9) after this many steps. Unset in
   * normal use; set with {@code -Dnetform.test.crashAfterSteps=N}.
   */
  private static final int CRASH_AFTER_STEPS = Integer.getInteger("netform.test.crashAfterSteps", -1);
  private final KernelHost host;
  private final Map<String, NetnsHandle> namespaces = new HashMap<>();
  /** Namespace files open during the creations (see namespaceFd); closed when the links exist. */
  private final Map<String, Integer> openNamespaceFiles = new HashMap<>();
  /** The inventory as this run knows it: read once, kept in step with every write. */
  private Map<String, String> inventory;
  private NameFileStore files;

  public KernelExecutor(KernelHost host) {
    this.host = host;
  }

  /**
   * Deletions run step by step first (they are few); creations run in bulk: all new namespaces at
   * once, then one netlink batch for the host's links and addresses, then one batch per container
   * namespace; then in-place updates; the firewall last, in one atomic restore per address family.
   */
  public void apply(Plan plan, IntConsumer progress) {
    Schedule schedule = Schedule.of(plan);
    int done = 0;
    List<Step> deletions = schedule.deletions();
    for (int i = 0; i <= deletions.size(); i++) {
      if (i == schedule.bulkAt() && !schedule.dying().isEmpty()) {
        schedule.dying().keySet().forEach(this::closeNamespace);
        BulkDeletion.run(host, schedule.dying());
        schedule.dying().keySet().forEach(inventory()::remove);
        done = ticks(progress, done, schedule.dyingSteps());
      }
      if (i < deletions.size()) {
        run(deletions.get(i));
        done = tick(progress, done);
      }
    }
    done = createAll(schedule, progress, done);
    host.firewall().apply(schedule.firewall()); // one transaction per family: its steps are done together
    StaleConnectionCleanup.run(host.root(), StaleConnections.of(plan)); // part of the firewall's steps: after them
    ticks(progress, done, schedule.firewallSteps());
  }

  /**
   * Indexes of the host links the creations refer to (bridges of veths, parents of macvlans,
   * devices of host addresses and routes) and of any host link named as a veth's container end
   * (see createVeth): looked up one by one when they are few (a change to one container), from one
   * dump of every link when they are many (a dump of a host with thousands of links costs tens of
   * milliseconds).
   */
  private static Map<String, Integer> hostIndexes(Rtnl root, List<KernelObject> creates) {
    Set<String> names = new HashSet<>();
    for (KernelObject o : creates) {
      if (o instanceof VethObject v) {
        names.add(v.bridge());
        names.add(v.peerName());
      } else if (o instanceof MacvlanObject m) {
        names.add(m.parent());
      } else if (o instanceof AddressObject a && a.namespace().isEmpty()) {
        names.add(a.device());
      } else if (o instanceof RouteObject rt && rt.namespace().isEmpty()) {
        names.add(rt.device());
      }
    }
    Map<String, Integer> index = new HashMap<>();
    if (names.size() <= 32) {
      names.forEach(n -> root.linkIndex(n).ifPresent(i -> index.put(n, i)));
    } else {
      root.links().forEach(l -> index.put(l.name(), l.index()));
    }
    return index;
  }

  /**
   * netform's namespaces get an id in the host, so that their netlink events reach the host's
   * listeners (drift repair, the event-driven view); the kernel names other namespaces' events
   * only by that id. Foreign namespaces never get one from netform.
   */
  private void giveIds(Map<String, Path> namespaces, Set<Path> justCreated) {
    Rtnl root = host.root().rtnl();
    List<Integer> without = new ArrayList<>();
    for (Map.Entry<String, Path> n : namespaces.entrySet()) {
      int fd;
      try {
        fd = namespaceFd(n.getKey());
      } catch (SyscallException e) {
        continue; // not there: nothing to give an id to
      }
      // A namespace created a moment ago has no id yet; only an adopted one needs asking.
      if (justCreated.contains(n.getValue()) || root.currentNamespaceId(fd) < 0) {
        without.add(fd);
      }
    }
    root.assignNamespaceIds(without);
  }

  private int tick(IntConsumer progress, int done) {
    progress.accept(++done);
    if (done >= CRASH_AFTER_STEPS && CRASH_AFTER_STEPS > 0) {
      Runtime.getRuntime().halt(137);
    }
    return done;
  }

  private int ticks(IntConsumer progress, int done, int count) {
    for (int i = 0; i < count; i++) {
      done = tick(progress, done);
    }
    return done;
  }

  /**
   * Creations in bulk, with in-place updates interleaved by rank: link updates after the host's
   * links exist (a veth may need its recreated bridge) and before addresses and routes (a route
   * needs its interface up); the other updates last.
   */
  private int createAll(Schedule schedule, IntConsumer progress, int done) {
    List<KernelObject> creates = schedule.creations();
    Rtnl root = host.root().rtnl();
    Map<String, NamespaceBatch.Work> work = new LinkedHashMap<>();
    // Namespaces: recorded in the inventory first (one atomic write), then created together.
    Map<String, Path> newNamespaces = new LinkedHashMap<>();
    List<String> toCreate = new ArrayList<>();
    Map<String, String> markers = new HashMap<>();
    for (KernelObject o : creates) {
      if (o instanceof NamespaceObject n) {
        Path path = host.namespacePath(n.name(), n.path());
        newNamespaces.put(n.name(), path);
        if (n.path().isEmpty() && !host.namespaces().exists(n.name())) {
          toCreate.add(n.name());
          markers.put(n.name(), alias(n));
        }
        workFor(work, n.name(), path);
      }
    }
    host.inventory().putNamespaces(newNamespaces);
    newNamespaces.forEach((n, p) -> inventory().put(n, p.toString()));
    Set<Path> created = new HashSet<>(host.namespaces().createAll(toCreate, markers));
    Set<String> fresh = markers.keySet(); // made now, marked: their new interfaces start with IPv6 off
    giveIds(newNamespaces, created);
    done = ticks(progress, done, newNamespaces.size());
    int hostSteps = 0;
    for (KernelObject o : creates) {
      if (o instanceof SysctlObject sc && sc.device().isEmpty()) {
        create(sc);
        done = tick(progress, done);
      }
    }
    // Host links: bridges, then veths and macvlans, in batches (indexes read once).
    Rtnl.Batch batch = root.batch();
    for (KernelObject o : creates) {
      if (o instanceof BridgeObject b) {
        root.createBridge(batch, b.name(), b.mtu(), b.mac(), Optional.of(alias(b)), true,
            false); // snooping on once the ports are up: see multicastSnoopingOn
        hostSteps++;
      }
    }
    root.run(batch);
    Map<String, Integer> hostIndex = hostIndexes(root, creates);
    try {
      for (KernelObject o : creates) {
        if (o instanceof VethObject v) {
          Integer bridge = hostIndex.get(v.bridge());
          if (bridge == null) {
            throw missing("bridge " + v.bridge());
          }
          NamespaceBatch.Work inside = workFor(work, v.peerNamespace(), null);
          inside.objects.add(v);
          createVeth(root, batch, v, bridge,
              CreateNameLookup.fromContainerEnd(fresh.contains(v.peerNamespace()), hostIndex.containsKey(v.peerName())), inside);
          hostSteps++;
        } else if (o instanceof MacvlanObject m) {
          Integer parent = hostIndex.get(m.parent());
          if (parent == null) {
            throw missing("parent interface " + m.parent());
          }
          root.createMacvlan(batch, m.name(), parent, m.mtu(), Optional.of(m.mac()), namespaceFd(m.namespace()),
              Optional.empty());
          workFor(work, m.namespace(), null).objects.add(m);
          hostSteps++;
        }
        if (batch.size() >= 256) {
          root.run(batch);
        }
      }
      root.run(batch);
      // overlay namespaces' links: their ports reach into container namespaces
      hostSteps += overlay().create(creates, fresh, p -> workFor(work, p.peerNamespace(), null).bringUp
          .add(p.peerName()));
      creates.stream().filter(o -> o instanceof OverlayPortObject).map(o -> (OverlayPortObject) o)
          .forEach(p -> workFor(work, p.peerNamespace(), null).objects.add(p));
    } finally {
      closeNamespaceFiles();
    }
    // Settings of the links just made: their creation succeeded, so these never touch an interface of someone else's.
    for (KernelObject o : creates) {
      if (o instanceof SysctlObject sc && sc.device().isPresent()) {
        create(sc);
        done = tick(progress, done);
      }
    }
    // Addresses and routes: the host's in one batch, each container namespace's in one batch of its own.
    for (KernelObject o : creates) {
      if (o instanceof VethObject v && v.hairpin()) {
        root.setHairpin(batch, v.hostName(), true); // part of the veth's step
      }
      if (o instanceof AddressObject a && a.namespace().isEmpty()) {
        Integer index = hostIndex.get(a.device());
        if (index == null) {
          throw missing("interface " + a.device());
        }
        root.addAddress(batch, index, a.device(), a.address());
        hostSteps++;
      } else if (o instanceof RouteObject rt && rt.namespace().isEmpty()) {
        root.replaceRoute(batch, rt.destination(), rt.gateway(), hostIndex.getOrDefault(rt.device(), 0), Nl.RTPROT_STATIC);
        hostSteps++;
      } else if ((o instanceof AddressObject || o instanceof RouteObject) && !Schedule.namespaceOf(o).isEmpty()) {
        workFor(work, Schedule.namespaceOf(o), null).objects.add(o);
      }
    }
    root.run(batch);
    done = ticks(progress, done, hostSteps);
    for (Step s : schedule.linkUpdates()) {
      run(s);
      done = tick(progress, done);
    }
    List<NamespaceBatch.Work> perNamespace = new ArrayList<>(work.values());
    NamespaceBatch.run(perNamespace);
    int nsSteps = (int) creates.stream().filter(o -> (o instanceof AddressObject || o instanceof RouteObject)
        && !Schedule.namespaceOf(o).isEmpty()).count();
    done = ticks(progress, done, nsSteps);
    List<NameFileObject> nameFiles = creates.stream().filter(o -> o instanceof NameFileObject)
        .map(o -> (NameFileObject) o).toList();
    files().writeAll(nameFiles);
    done = ticks(progress, done, nameFiles.size());
    multicastSnoopingOn(creates);
    for (Step s : schedule.otherUpdates()) {
      run(s);
      done = tick(progress, done);
    }
    return done;
  }

  /**
   * New bridges are made with multicast snooping off, which spares the kernel re-arming every
   * port's multicast timers each time one more port comes up (see Rtnl.setMulticastSnooping);
   * it is turned on here, once their ports are up, part of each bridge's creation step.
   */
  private void multicastSnoopingOn(List<KernelObject> creates) {
    Rtnl root = host.root().rtnl();
    Rtnl.Batch batch = root.batch();
    for (KernelObject o : creates) {
      if (o instanceof BridgeObject b && b.multicastSnooping()) {
        root.setMulticastSnooping(batch, b.name(), true);
      }
    }
    root.run(batch);
    overlay().multicastSnoopingOn(creates);
  }

  /**
   * A container's veth: made from its container end, up inside its namespace at once, where that
   * is safe (see CreateNameLookup.fromContainerEnd); otherwise from
   * its host end, the container end brought up by the namespace's batch.
   */
  private void createVeth(Rtnl root, Rtnl.Batch batch, VethObject v, int bridge, boolean fromContainerEnd,
      NamespaceBatch.Work inside) {
    Optional<String> alias = Optional.of(OwnershipAlias.format(v.owner(), Map.of("peer", v.peerNamespace() + "/" + v.peerName())));
    int fd = namespaceFd(v.peerNamespace());
    if (fromContainerEnd) {
      root.createContainerVeth(batch, v.hostName(), v.mtu(), bridge, alias, true, v.peerName(), fd, Optional.of(v.peerMac()));
    } else {
      root.createVeth(batch, v.hostName(), v.mtu(), bridge, alias, true, v.peerName(), fd, Optional.of(v.peerMac()));
      inside.bringUp.add(v.peerName());
    }
  }

  private NameFileStore files() {
    if (files == null) {
      files = new NameFileStore(host.names(), host.state().nameRecords());
    }
    return files;
  }

  private NamespaceBatch.Work workFor(Map<String, NamespaceBatch.Work> work, String namespace, Path known) {
    return work.computeIfAbsent(namespace, n -> new NamespaceBatch.Work(n, known != null ? known : pathOf(n)));
  }

  private Path pathOf(String namespace) {
    String known = inventory().get(namespace);
    return known != null ? Path.of(known) : host.namespaces().path(namespace);
  }

  private Map<String, String> inventory() {
    if (inventory == null) {
      inventory = new HashMap<>(host.inventory().namespaces());
    }
    return inventory;
  }

  private void closeNamespaceFiles() {
    openNamespaceFiles.values().forEach(LibC.get()::close);
    openNamespaceFiles.clear();
  }

  /** The namespace's file, opened once for all the creations that need it (ids, links created into it). */
  private int namespaceFd(String namespace) {
    Integer known = openNamespaceFiles.get(namespace);
    if (known != null) {
      return known;
    }
    int fd = LibC.get().open(pathOf(namespace).toString(), LibC.O_RDONLY | LibC.O_CLOEXEC);
    if (fd < 0) {
      throw new SyscallException("opening namespace " + namespace, LibC.errno());
    }
    openNamespaceFiles.put(namespace, fd);
    return fd;
  }

  private void run(Step s) {
    KernelObject o = s.object();
    try {
      switch (s.kind()) {
        case CREATE -> throw new IllegalStateException("creations run in bulk: " + o.displayName());
        case UPDATE -> update(o, s.before().orElseThrow());
        case DELETE -> delete(o);
      }
    } catch (NetlinkException e) {
      if (s.kind() == Step.Kind.DELETE && ALREADY_GONE.contains(e.errno())) {
        return;
      }
      throw s.kind() == Step.Kind.UPDATE ? refusedUpdate(e, o, s.before().orElseThrow()) : e;
    }
  }

  /**
   * A refused change, said of the object and its changed attributes (the request alone names an
   * interface, not its container), with what the kernel allows where netform knows it.
   */
  private static NetlinkException refusedUpdate(NetlinkException e, KernelObject o, KernelObject before) {
    List<String> changed = new ArrayList<>();
    Map<String, String> was = before.attributes();
    o.attributes().forEach((name, value) -> {
      if (!value.equals(was.get(name))) {
        changed.add(name + " " + was.get(name) + " -> " + value);
      }
    });
    NetlinkException said = new NetlinkException(e.errno(), "changing " + o.kindLabel() + " " + o.displayName()
        + (changed.isEmpty() ? "" : " (" + String.join(", ", changed) + ")"), e.kernelMessage());
    if (o instanceof MacvlanObject m && e.errno() == io.netform.kernel.ffi.Errno.EINVAL
        && m.mtu() != ((MacvlanObject) before).mtu()) {
      return said.withHint("a macvlan interface's MTU cannot exceed its parent's (" + m.parent() + "): lower the "
          + "network's mtu, or raise " + m.parent() + "'s first");
    }
    return said;
  }

  /**
   * A route or a sysctl written in place (an update of either is a creation: route replace,
   * sysctl write). Everything else is created in bulk by {@link #createAll}.
   */
  private void create(KernelObject o) {
    if (o instanceof RouteObject rt) {
      Rtnl r = rtnlOf(rt.namespace());
      int index = r.linkIndex(rt.device()).orElseThrow(() -> missing("interface " + rt.device()));
      r.run(r.replaceRoute(r.batch(), rt.destination(), rt.gateway(), index, Nl.RTPROT_STATIC));
    } else if (o instanceof SysctlObject sc) {
      handleOf(sc.namespace()).writeSysctl(sc.name(), sc.value());
    } else if (o instanceof NameFileObject f) {
      files().write(f);
    } else {
      throw new IllegalStateException("a " + o.kindLabel() + " is created in bulk, not on its own: " + o.displayName());
    }
  }

  private void update(KernelObject o, KernelObject before) {
    Rtnl root = host.root().rtnl();
    if (o instanceof NamespaceObject n) {
      Rtnl inside = ns(n.name()).rtnl(); // only netform's own namespaces have a loopback state to keep
      inside.run(inside.setLinkByName(inside.batch(), "lo", Optional.of(n.loopbackUp()), 0, Optional.empty(),
          Optional.of(alias(n)))); // the marker again: the owner may be what changed
    } else if (o instanceof BridgeObject b) {
      Rtnl.Batch batch = root.setLinkByName(root.batch(), b.name(), Optional.empty(), b.mtu(), b.mac(), Optional.of(alias(b)));
      if (b.multicastSnooping() != ((BridgeObject) before).multicastSnooping()) {
        root.setMulticastSnooping(batch, b.name(), b.multicastSnooping());
      }
      root.run(batch);
    } else if (o instanceof VethObject v) {
      VethObject old = (VethObject) before;
      int bridge = root.linkIndex(v.bridge()).orElseThrow(() -> missing("bridge " + v.bridge()));
      int index = root.linkIndex(v.hostName()).orElseThrow(() -> missing("veth " + v.hostName()));
      root.run(root.setLink(root.batch(), index, "veth " + v.hostName(), Optional.empty(), v.mtu(), Optional.empty(),
          Optional.empty(), old.bridge().equals(v.bridge()) ? -1 : bridge, Optional.of(OwnershipAlias.format(v.owner(),
              Map.of("peer", v.peerNamespace() + "/" + v.peerName())))));
      Rtnl inside = ns(v.peerNamespace()).rtnl();
      if (!old.peerName().equals(v.peerName())) {
        int peer = inside.linkIndex(old.peerName()).orElseThrow(() -> missing("interface " + old.peerName()));
        inside.run(inside.setLink(inside.batch(), peer, old.peerName(), Optional.empty(), 0, Optional.empty(),
            Optional.of(false), -1, Optional.empty()));
        inside.run(inside.setLink(inside.batch(), peer, old.peerName(), Optional.of(v.peerName()), 0, Optional.empty(),
            Optional.of(true), -1, Optional.empty()));
      }
      NamespaceBatch.setIpv6IfChanged(ns(v.peerNamespace()), old, v);
      inside.run(inside.setLinkByName(inside.batch(), v.peerName(), Optional.of(v.up()), v.mtu(), Optional.of(v.peerMac()),
          Optional.empty()));
      root.run(root.setLinkByName(root.batch(), v.hostName(), Optional.of(v.up()), 0, Optional.empty(), Optional.empty()));
      if (v.hairpin() != old.hairpin() || !old.bridge().equals(v.bridge())) { // a port moved to another bridge starts without
        root.run(root.setHairpin(root.batch(), v.hostName(), v.hairpin()));
      }
    } else if (o instanceof MacvlanObject m) {
      Rtnl inside = ns(m.namespace()).rtnl();
      NamespaceBatch.setIpv6IfChanged(ns(m.namespace()), before, m);
      inside.run(inside.setLinkByName(inside.batch(), m.name(), Optional.of(m.up()), m.mtu(), Optional.of(m.mac()),
          Optional.empty()));
    } else if (OverlayLinks.handles(o)) {
      overlay().update(o, before);
    } else {
      create(o); // routes are replaced in place, sysctls rewritten
    }
  }

  /** The marker on a bridge: its owner, and its subnets (see BridgeObject). */
  private static String alias(BridgeObject b) {
    String subnets = b.subnets().stream().map(Cidr::toString).collect(Collectors.joining(","));
    return OwnershipAlias.format(b.owner(), subnets.isEmpty() ? Map.of() : Map.of("subnets", subnets));
  }

  /** The marker on the loopback of a namespace netform made. */
  private static String alias(NamespaceObject n) {
    return OwnershipAlias.format(n.owner(), Map.of());
  }

  private OverlayLinks overlay() {
    return new OverlayLinks(host.root().rtnl(), this::namespaceFd, this::ns);
  }

  private void delete(KernelObject o) {
    Rtnl root = host.root().rtnl();
    if (o instanceof NamespaceObject n) {
      closeNamespace(n.name());
      if (n.path().isEmpty()) {
        host.namespaces().delete(n.name());
      }
      host.inventory().removeNamespace(n.name());
      inventory().remove(n.name());
    } else if (o instanceof BridgeObject b) {
      root.run(root.deleteLinkByName(root.batch(), b.name()));
    } else if (o instanceof VethObject v) {
      root.run(root.deleteLinkByName(root.batch(), v.hostName()));
    } else if (o instanceof MacvlanObject m) {
      if (namespaceExists(m.namespace())) {
        Rtnl inside = ns(m.namespace()).rtnl();
        inside.run(inside.deleteLinkByName(inside.batch(), m.name()));
      }
    } else if (o instanceof AddressObject a) {
      if (a.namespace().isEmpty() || namespaceExists(a.namespace())) {
        Rtnl r = rtnlOf(a.namespace());
        Optional<Integer> index = r.linkIndex(a.device());
        if (index.isPresent()) {
          r.run(r.deleteAddress(r.batch(), index.get(), a.device(), a.address()));
        }
      }
    } else if (o instanceof RouteObject rt) {
      if (rt.namespace().isEmpty() || namespaceExists(rt.namespace())) {
        Rtnl r = rtnlOf(rt.namespace());
        r.run(r.deleteRoute(r.batch(), rt.destination(), Optional.empty(), 0));
      }
    } else if (OverlayLinks.handles(o)) {
      overlay().delete(o, this::namespaceExists);
    } else if (o instanceof NameFileObject f) {
      files().delete(f);
    }
    // SysctlObject: never reset; other software on the host may rely on the value.
  }

  private boolean namespaceExists(String name) {
    return namespaces.containsKey(name) || host.namespaces().exists(name) || inventory().containsKey(name);
  }

  private Rtnl rtnlOf(String namespace) {
    return handleOf(namespace).rtnl();
  }

  private NetnsHandle handleOf(String namespace) {
    return namespace.isEmpty() ? host.root() : ns(namespace);
  }

  private NetnsHandle ns(String name) {
    return namespaces.computeIfAbsent(name, n -> NetnsHandle.open(n, pathOf(n)));
  }

  private void closeNamespace(String name) {
    NetnsHandle h = namespaces.remove(name);
    if (h != null) {
      h.close();
    }
  }

  private static IllegalStateException missing(String what) {
    return new IllegalStateException(what + " does not exist on the host");
  }

  @Override
  public void close() {
    closeNamespaceFiles(); // left open only by a failure between giving ids and creating links
    namespaces.values().forEach(NetnsHandle::close);
    namespaces.clear();
  }
}
