package io.netform.kernel.observe;

import io.netform.kernel.OwnershipAlias;
import io.netform.kernel.netlink.AddressInfo;
import io.netform.kernel.netlink.LinkInfo;
import io.netform.kernel.netlink.NeighbourInfo;
import io.netform.kernel.netlink.NetlinkSocket;
import io.netform.kernel.netlink.Nl;
import io.netform.kernel.netlink.Rtnl;
import io.netform.kernel.netns.NamespaceHopper;
import io.netform.model.AddressObject;
import io.netform.model.FdbEntryObject;
import io.netform.model.KernelObject;
import io.netform.model.NeighbourObject;
import io.netform.model.OverlayBridgeObject;
import io.netform.model.OverlayPortObject;
import io.netform.model.Owner;
import io.netform.model.VxlanObject;
import io.netform.net.Cidr;
import io.netform.net.MacAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What an overlay namespace netform made holds, all of it netform's: its bridge, VXLAN device,
 * the containers' ports and the bridge's address (from the namespace's view, which may be kept
 * current by events), and the VXLAN device's id and port, forwarding and neighbour entries (read
 * afresh every time: they raise no link or address event, and there are few overlay namespaces).
 */
final class OverlayReads {

  private OverlayReads() {}

  /** What a dump of the VXLAN device and its entries found in one overlay namespace. */
  private record Entries(String namespace, Map<String, int[]> vxlans, List<NeighbourInfo> fdb, List<NeighbourInfo> neighbours) {}

  /** The container links that the ports of an overlay namespace name as their peers, by container namespace. */
  static void peers(NamespaceView overlay, Map<String, Set<String>> byNamespace) {
    for (LinkInfo l : overlay.links()) {
      if (l.kind().equals("veth")) {
        l.alias().flatMap(OwnershipAlias::parse).flatMap(m -> m.get("peer")).map(p -> p.split("/", 2))
            .filter(p -> p.length == 2).ifPresent(p -> byNamespace.computeIfAbsent(p[0], k -> new HashSet<>()).add(p[1]));
      }
    }
  }

  /** The overlay objects of {@code overlays} (each with the owner its loopback names); {@code containers}: views by name. */
  static List<KernelObject> objects(Map<NamespaceView, Owner> overlays, Map<String, NamespaceView> containers) {
    List<KernelObject> out = new ArrayList<>();
    if (overlays.isEmpty()) {
      return out;
    }
    Map<String, Entries> entries = new HashMap<>();
    NamespaceHopper.map(new ArrayList<>(overlays.keySet()), NamespaceView::path, OverlayReads::entries, true)
        .forEach(e -> entries.put(e.namespace(), e));
    overlays.forEach((v, owner) -> {
      Entries e = entries.get(v.name());
      if (e != null) {
        objects(v, owner, e, containers, out);
      }
    });
    return out;
  }

  private static Entries entries(NamespaceView v) {
    try (NetlinkSocket socket = NetlinkSocket.open()) {
      Rtnl rtnl = new Rtnl(socket);
      Map<String, int[]> vxlans = new HashMap<>();
      v.links().stream().filter(l -> l.kind().equals("vxlan"))
          .forEach(l -> rtnl.vxlanIdAndPort(l.name()).ifPresent(idPort -> vxlans.put(l.name(), idPort)));
      return new Entries(v.name(), vxlans, rtnl.neighbours(Nl.AF_BRIDGE), rtnl.neighbours(Nl.AF_INET));
    }
  }

  private static void objects(NamespaceView v, Owner owner, Entries e, Map<String, NamespaceView> containers,
      List<KernelObject> out) {
    String ns = v.name();
    Map<Integer, String> names = new HashMap<>();
    v.links().forEach(l -> names.put(l.index(), l.name()));
    Set<Integer> bridges = new HashSet<>();
    Map<Integer, String> vxlans = new HashMap<>();
    for (LinkInfo l : v.links()) {
      Optional<OwnershipAlias.Parsed> mark = l.alias().flatMap(OwnershipAlias::parse);
      String master = names.getOrDefault(l.master(), "");
      if (l.kind().equals("bridge")) {
        bridges.add(l.index());
        List<Cidr> subnets = new ArrayList<>();
        mark.flatMap(m -> m.get("subnets")).ifPresent(s -> {
          for (String c : s.split(",")) {
            Cidr.tryParse(c).ifPresent(subnets::add);
          }
        });
        out.add(new OverlayBridgeObject(ns, l.name(), l.mtu(), subnets, l.multicastSnooping(), owner));
      } else if (l.kind().equals("vxlan") && e.vxlans().containsKey(l.name())) {
        int[] idPort = e.vxlans().get(l.name());
        vxlans.put(l.index(), l.name());
        out.add(new VxlanObject(ns, l.name(), idPort[0], idPort[1], l.mtu(), master, l.up(), owner));
      } else if (l.kind().equals("veth") && mark.isPresent() && mark.get().get("peer").isPresent()) {
        String[] peer = mark.get().get("peer").get().split("/", 2);
        String peerName = peer.length > 1 ? peer[1] : "?";
        NamespaceView inside = containers.get(peer[0]);
        Optional<LinkInfo> peerLink = inside == null ? Optional.empty() : inside.link(peerName);
        out.add(new OverlayPortObject(ns, l.name(), master, peerLink.isPresent() ? peer[0] : "(missing)", peerName,
            peerLink.flatMap(LinkInfo::mac).orElse(new MacAddress(0)), l.mtu(),
            l.up() && peerLink.map(LinkInfo::up).orElse(false), peerLink.map(LinkInfo::ipv6).orElse(false),
            mark.get().owner()));
      }
    }
    for (AddressInfo a : v.addresses()) {
      if (bridges.contains(a.linkIndex()) && a.scope() != Nl.RT_SCOPE_LINK) {
        out.add(new AddressObject(ns, names.get(a.linkIndex()), a.address(), owner));
      }
    }
    // Only the static entries netform adds: a VXLAN device's own (with a destination), and permanent neighbours.
    for (NeighbourInfo f : e.fdb()) {
      String device = vxlans.get(f.linkIndex());
      if (device != null && f.destination().isPresent() && f.lladdr().isPresent() && (f.state() & Nl.NUD_PERMANENT) != 0) {
        out.add(new FdbEntryObject(ns, device, f.lladdr().get(), f.destination().get(), f.port(), owner));
      }
    }
    for (NeighbourInfo n : e.neighbours()) {
      String device = vxlans.get(n.linkIndex());
      if (device != null && n.destination().isPresent() && n.lladdr().isPresent() && (n.state() & Nl.NUD_PERMANENT) != 0) {
        out.add(new NeighbourObject(ns, device, n.destination().get(), n.lladdr().get(), owner));
      }
    }
  }
}
