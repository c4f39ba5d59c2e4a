package io.netform.kernel.apply;

import io.netform.kernel.OwnershipAlias;
import io.netform.kernel.netlink.LinkInfo;
import io.netform.kernel.netlink.Rtnl;
import io.netform.kernel.netns.CreateNameLookup;
import io.netform.kernel.netns.NetnsHandle;
import io.netform.model.FdbEntryObject;
import io.netform.model.KernelObject;
import io.netform.model.NeighbourObject;
import io.netform.model.OverlayBridgeObject;
import io.netform.model.OverlayPortObject;
import io.netform.model.VxlanObject;
import io.netform.net.Cidr;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.ToIntFunction;
import java.util.stream.Collectors;

/**
 * The overlay objects' share of an apply: in each overlay namespace its bridge, then its VXLAN
 * device (made by the host's namespace straight into the overlay's, so that its UDP socket stays
 * with the host), the local containers' ports, then the forwarding and neighbour entries; each
 * namespace's work in a few batches. Their in-place changes and deletions too.
 */
final class OverlayLinks {

  private final Rtnl root;
  private final ToIntFunction<String> namespaceFd;
  private final Function<String, NetnsHandle> namespace;

  /** {@code namespaceFd}: an open file of a namespace (for links created into it); {@code namespace}: a handle inside one. */
  OverlayLinks(Rtnl root, ToIntFunction<String> namespaceFd, Function<String, NetnsHandle> namespace) {
    this.root = root;
    this.namespaceFd = namespaceFd;
    this.namespace = namespace;
  }

  static boolean handles(KernelObject o) {
    return o instanceof OverlayBridgeObject || o instanceof VxlanObject || o instanceof OverlayPortObject
        || o instanceof FdbEntryObject || o instanceof NeighbourObject;
  }

  /** The overlay namespace an object lives in and dies with (a port dies with its container, as a veth does). */
  static Optional<String> diesWith(KernelObject o) {
    if (o instanceof OverlayPortObject p) {
      return Optional.of(p.peerNamespace());
    }
    return o instanceof OverlayBridgeObject b ? Optional.of(b.namespace()) : o instanceof VxlanObject v
        ? Optional.of(v.namespace()) : o instanceof FdbEntryObject f ? Optional.of(f.namespace())
        : o instanceof NeighbourObject n ? Optional.of(n.namespace()) : Optional.empty();
  }

  /**
   * Creates the overlay objects among {@code creates}, grouped by overlay namespace; returns how
   * many. A port into a namespace of {@code fresh} (made in this apply) is made from its container
   * end, up at once, where that is safe (see CreateNameLookup.fromContainerEnd); {@code madeDown} hears of the others, whose container end is left
   * for the container namespace's batch to bring up.
   */
  int create(List<KernelObject> creates, Set<String> fresh, Consumer<OverlayPortObject> madeDown) {
    Map<String, List<KernelObject>> byNamespace = new LinkedHashMap<>();
    for (KernelObject o : creates) {
      String ns = o instanceof OverlayPortObject p ? p.namespace() : diesWith(o).orElse(null);
      if (ns != null && handles(o)) {
        byNamespace.computeIfAbsent(ns, k -> new java.util.ArrayList<>()).add(o);
      }
    }
    int done = 0;
    for (Map.Entry<String, List<KernelObject>> e : byNamespace.entrySet()) {
      done += createIn(e.getKey(), e.getValue(), fresh, madeDown);
    }
    return done;
  }

  private int createIn(String ns, List<KernelObject> objects, Set<String> fresh, Consumer<OverlayPortObject> madeDown) {
    Rtnl inside = namespace.apply(ns).rtnl();
    Rtnl.Batch batch = inside.batch();
    for (KernelObject o : objects) {
      if (o instanceof OverlayBridgeObject b) {
        String subnets = b.subnets().stream().map(Cidr::toString).collect(Collectors.joining(","));
        inside.createBridge(batch, b.name(), b.mtu(), Optional.empty(),
            Optional.of(OwnershipAlias.format(b.owner(), Map.of("subnets", subnets))), true, false);
      }
    }
    inside.run(batch);
    Rtnl.Batch fromHost = root.batch();
    for (KernelObject o : objects) {
      if (o instanceof VxlanObject v) {
        root.createVxlanInto(fromHost, v.name(), v.vni(), v.port(), v.mtu(), namespaceFd.applyAsInt(ns), true);
      }
    }
    root.run(fromHost);
    Map<String, Integer> index = indexes(inside);
    for (KernelObject o : objects) {
      if (o instanceof VxlanObject v) {
        inside.setLink(batch, index(index, v.name(), ns), "vxlan " + v.name(), Optional.empty(), 0, Optional.empty(),
            Optional.of(v.up()), index(index, v.bridge(), ns), Optional.of(OwnershipAlias.format(v.owner(), Map.of())));
      } else if (o instanceof OverlayPortObject p) {
        Optional<String> alias = Optional.of(alias(p));
        int bridge = index(index, p.bridge(), ns);
        int peerFd = namespaceFd.applyAsInt(p.peerNamespace());
        if (CreateNameLookup.fromContainerEnd(fresh.contains(p.peerNamespace()), index.containsKey(p.peerName()))) {
          inside.createContainerVeth(batch, p.name(), p.mtu(), bridge, alias, p.up(), p.peerName(), peerFd, Optional.of(p.peerMac()));
        } else {
          inside.createVeth(batch, p.name(), p.mtu(), bridge, alias, p.up(), p.peerName(), peerFd, Optional.of(p.peerMac()));
          madeDown.accept(p);
        }
      }
      if (batch.size() >= 256) {
        inside.run(batch);
      }
    }
    inside.run(batch);
    // The entries are on the VXLAN devices, all of them in the listing above.
    for (KernelObject o : objects) {
      if (o instanceof FdbEntryObject f) {
        inside.addFdb(batch, index(index, f.device(), ns), f.mac(), f.destination(), f.port());
      } else if (o instanceof NeighbourObject n) {
        inside.addNeighbour(batch, index(index, n.device(), ns), n.address(), n.mac());
      }
      if (batch.size() >= 256) {
        inside.run(batch);
      }
    }
    inside.run(batch);
    return objects.size();
  }

  /** Multicast snooping on on the new overlay bridges, once their ports are up (as on a bridge network's: see KernelExecutor). */
  void multicastSnoopingOn(List<KernelObject> creates) {
    for (KernelObject o : creates) {
      if (o instanceof OverlayBridgeObject b && b.multicastSnooping()) {
        Rtnl inside = namespace.apply(b.namespace()).rtnl();
        inside.run(inside.setMulticastSnooping(inside.batch(), b.name(), true));
      }
    }
  }

  /** The marker on a port's overlay end: its owner, and the container end (see OverlayReads). */
  private static String alias(OverlayPortObject p) {
    return OwnershipAlias.format(p.owner(), Map.of("peer", p.peerNamespace() + "/" + p.peerName()));
  }

  void update(KernelObject o, KernelObject before) {
    if (o instanceof OverlayBridgeObject b) {
      Rtnl inside = namespace.apply(b.namespace()).rtnl();
      Rtnl.Batch batch = inside.setLinkByName(inside.batch(), b.name(), Optional.empty(), b.mtu(), Optional.empty(),
          Optional.empty());
      if (b.multicastSnooping() != ((OverlayBridgeObject) before).multicastSnooping()) {
        inside.setMulticastSnooping(batch, b.name(), b.multicastSnooping());
      }
      inside.run(batch);
    } else if (o instanceof VxlanObject v) {
      Rtnl inside = namespace.apply(v.namespace()).rtnl();
      inside.run(inside.setLink(inside.batch(), index(inside, v.name(), v.namespace()), "vxlan " + v.name(), Optional.empty(),
          v.mtu(), Optional.empty(), Optional.of(v.up()), index(inside, v.bridge(), v.namespace()), Optional.empty()));
    } else if (o instanceof OverlayPortObject p) {
      Rtnl peer = namespace.apply(p.peerNamespace()).rtnl();
      NamespaceBatch.setIpv6IfChanged(namespace.apply(p.peerNamespace()), before, p);
      peer.run(peer.setLinkByName(peer.batch(), p.peerName(), Optional.of(p.up()), p.mtu(), Optional.of(p.peerMac()),
          Optional.empty()));
      Rtnl inside = namespace.apply(p.namespace()).rtnl();
      inside.run(inside.setLinkByName(inside.batch(), p.name(), Optional.of(p.up()), p.mtu(), Optional.empty(),
          Optional.of(alias(p)))); // the marker again: the owner may be what changed
    } else if (o instanceof NeighbourObject n) {
      Rtnl inside = namespace.apply(n.namespace()).rtnl();
      inside.run(inside.addNeighbour(inside.batch(), index(inside, n.device(), n.namespace()), n.address(), n.mac()));
    } else {
      throw new IllegalStateException("a " + o.kindLabel() + " is replaced, not changed in place: " + o.displayName());
    }
  }

  /** Deletes an overlay object; nothing to do when its namespace is gone (it went with it). */
  void delete(KernelObject o, Predicate<String> namespaceExists) {
    String ns = o instanceof OverlayPortObject p ? p.namespace() : diesWith(o).orElseThrow();
    if (!namespaceExists.test(ns)) {
      return;
    }
    Rtnl inside = namespace.apply(ns).rtnl();
    if (o instanceof OverlayBridgeObject b) {
      inside.run(inside.deleteLinkByName(inside.batch(), b.name()));
    } else if (o instanceof VxlanObject v) {
      inside.run(inside.deleteLinkByName(inside.batch(), v.name()));
    } else if (o instanceof OverlayPortObject p) {
      inside.run(inside.deleteLinkByName(inside.batch(), p.name()));
    } else if (o instanceof FdbEntryObject f) {
      inside.linkIndex(f.device()).ifPresent(i -> inside.run(inside.deleteFdb(inside.batch(), i, f.mac(),
          Optional.of(f.destination()))));
    } else if (o instanceof NeighbourObject n) {
      inside.linkIndex(n.device()).ifPresent(i -> inside.run(inside.deleteNeighbour(inside.batch(), i, n.address(), n.mac())));
    }
  }

  private static Map<String, Integer> indexes(Rtnl r) {
    Map<String, Integer> out = new HashMap<>();
    for (LinkInfo l : r.links()) {
      out.put(l.name(), l.index());
    }
    return out;
  }

  private static int index(Map<String, Integer> index, String device, String ns) {
    Integer i = index.get(device);
    if (i == null) {
      throw missing(device, ns);
    }
    return i;
  }

  /** One interface's index, asked for by name (an update touches one or two, not every link there). */
  private static int index(Rtnl inside, String device, String ns) {
    return inside.linkIndex(device).orElseThrow(() -> missing(device, ns));
  }

  private static IllegalStateException missing(String device, String ns) {
    return new IllegalStateException("interface " + device + " does not exist in namespace " + ns);
  }
}
