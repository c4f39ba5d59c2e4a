package io.netform.kernel.apply;

import io.netform.kernel.OwnershipAlias;
import io.netform.kernel.netlink.LinkInfo;
import io.netform.kernel.netlink.NetlinkSocket;
import io.netform.kernel.netlink.Nl;
import io.netform.kernel.netlink.Rtnl;
import io.netform.kernel.netns.InterfaceIpv6;
import io.netform.kernel.netns.NamespaceHopper;
import io.netform.kernel.netns.NetnsHandle;
import io.netform.model.AddressObject;
import io.netform.model.KernelObject;
import io.netform.model.MacvlanObject;
import io.netform.model.OverlayPortObject;
import io.netform.model.RouteObject;
import io.netform.model.VethObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything one container namespace needs after its links exist, in two round trips: one link
 * dump (names to indexes; IPv6 then turned on or off where an interface differs from what is
 * wanted), then one batch (interfaces up where their creation left them down, a macvlan marked,
 * addresses, routes), done by
 * {@link NamespaceHopper}'s threads. (A new namespace's loopback is marked and up, and its new
 * interfaces made with IPv6 off, before the namespace is mounted: see NamedNamespaces.createAll.)
 */
final class NamespaceBatch {

  private NamespaceBatch() {}

  /** One namespace's share of the creations: interfaces up, addresses, routes. */
  static final class Work {
    final String namespace;
    final Path path;
    final List<KernelObject> objects = new ArrayList<>();
    /** Container ends of veths made from their host end, still down (see Rtnl.createContainerVeth). */
    final List<String> bringUp = new ArrayList<>();

    Work(String namespace, Path path) {
      this.namespace = namespace;
      this.path = path;
    }
  }

  static void run(List<Work> work) {
    NamespaceHopper.forEach(work, w -> w.path, NamespaceBatch::inside);
  }

  /** Runs inside the namespace: one link dump, then one batch. */
  private static void inside(Work w) {
    try (NetlinkSocket socket = NetlinkSocket.open()) {
      Rtnl r = new Rtnl(socket);
      Map<String, Integer> index = new HashMap<>();
      Map<String, Boolean> ipv6 = new HashMap<>();
      for (LinkInfo l : r.links()) {
        index.put(l.name(), l.index());
        ipv6.put(l.name(), l.ipv6());
      }
      // Before the interfaces made down come up, and before addresses: an IPv6 address cannot be added while IPv6 is off.
      // (One made up with its creation is in a namespace netform has just made, whose interfaces start with IPv6 off.)
      for (KernelObject o : w.objects) {
        containerInterface(o).ifPresent(i -> {
          if (ipv6.getOrDefault(i.name(), i.ipv6()) != i.ipv6()) {
            InterfaceIpv6.set(i.name(), i.ipv6());
          }
        });
      }
      Rtnl.Batch b = r.batch();
      w.bringUp.forEach(name -> r.setLinkByName(b, name, Optional.of(true), 0, Optional.empty(), Optional.empty()));
      for (KernelObject o : w.objects) {
        if (o instanceof MacvlanObject m) {
          r.setLinkByName(b, m.name(), Optional.of(true), 0, Optional.empty(),
              Optional.of(OwnershipAlias.format(m.owner(), Map.of("parent", m.parent()))));
        }
      }
      for (KernelObject o : w.objects) {
        if (o instanceof AddressObject a) {
          r.addAddress(b, indexOf(index, a.device(), w), a.device(), a.address());
        }
      }
      for (KernelObject o : w.objects) {
        if (o instanceof RouteObject rt) {
          r.replaceRoute(b, rt.destination(), rt.gateway(), indexOf(index, rt.device(), w), Nl.RTPROT_STATIC);
        }
      }
      r.run(b);
    }
  }

  /**
   * An update's IPv6 step: a container's interface whose IPv6 is to be turned on or off gets it
   * turned, in its namespace {@code inside}, before the interface comes up (an IPv6 address, if
   * new, comes later).
   */
  static void setIpv6IfChanged(NetnsHandle inside, KernelObject before, KernelObject after) {
    Optional<ContainerInterface> was = containerInterface(before);
    containerInterface(after).filter(i -> was.map(w -> w.ipv6() != i.ipv6()).orElse(false))
        .ifPresent(i -> inside.setIpv6(i.name(), i.ipv6()));
  }

  /** A link's container end: its name there and whether IPv6 is to be on on it. */
  private record ContainerInterface(String name, boolean ipv6) {}

  private static Optional<ContainerInterface> containerInterface(KernelObject o) {
    return o instanceof VethObject v ? Optional.of(new ContainerInterface(v.peerName(), v.ipv6()))
        : o instanceof OverlayPortObject p ? Optional.of(new ContainerInterface(p.peerName(), p.ipv6()))
        : o instanceof MacvlanObject m ? Optional.of(new ContainerInterface(m.name(), m.ipv6())) : Optional.empty();
  }

  private static int indexOf(Map<String, Integer> index, String device, Work w) {
    Integer i = index.get(device);
    if (i == null) {
      throw new IllegalStateException("interface " + device + " does not exist in namespace " + w.namespace);
    }
    return i;
  }
}
