package io.netform.compile;

import io.netform.desired.Attachment;
import io.netform.desired.Container;
import io.netform.desired.Driver;
import io.netform.desired.Fleet;
import io.netform.desired.Host;
import io.netform.desired.IpamPool;
import io.netform.desired.Network;
import io.netform.desired.NetworkMode;
import io.netform.gateway.GatewayOrder;
import io.netform.model.FdbEntryObject;
import io.netform.model.FirewallRule;
import io.netform.model.KernelObject;
import io.netform.model.NeighbourObject;
import io.netform.model.OverlayBridgeObject;
import io.netform.model.VxlanObject;
import io.netform.names.NameRecord;
import io.netform.net.IpAddress;
import io.netform.net.MacAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The overlay part of {@link Decompiler}. A host holding overlay networks was wired from a
 * multi-host desired state, so it is shown as one: {@code hosts:}, {@code driver: overlay}
 * networks and {@code host:} on every container. What the host holds of the fleet (see
 * OverlayObjects): each overlay's bridge (subnet, MTU), gateway and VXLAN device (id, this host's
 * port); per remote container a neighbour entry (address, MAC) and a forwarding entry (its host's
 * address, and port where it differs); the remote containers' names, aliases and hosts' names in
 * the first local container's name record; every other host's address in the VXLAN firewall
 * chain. The gateway bridge and each container's way out on it are derived, never shown.
 */
final class DecompiledOverlays {

  private static final Pattern PEER = Pattern.compile("^-s ([\\d.]+)/32 -j ACCEPT$");

  private DecompiledOverlays() {}

  /** The overlay networks' namespaces on this host: the network each one serves. */
  static Map<String, String> networkOfNamespace(List<KernelObject> all) {
    Map<String, String> out = new LinkedHashMap<>();
    all.stream().filter(o -> o instanceof OverlayBridgeObject).map(o -> (OverlayBridgeObject) o)
        .forEach(b -> out.put(b.namespace(), b.owner().name()));
    return out;
  }

  /** The overlay networks with their subnet, gateway and VXLAN id pinned (the lock file is not kept on a host). */
  static void networks(List<KernelObject> all, Map<String, Network> networks) {
    for (KernelObject o : all) {
      if (!(o instanceof OverlayBridgeObject b)) {
        continue;
      }
      List<IpamPool> pools = Decompiler.bridgePools(b.namespace(), b.name(), b.subnets(), all);
      Optional<Integer> vni = all.stream().filter(v -> v instanceof VxlanObject x && x.namespace().equals(b.namespace()))
          .map(v -> ((VxlanObject) v).vni()).findFirst();
      String name = b.owner().name();
      networks.put(name, new Network(name, Driver.OVERLAY, Optional.empty(), pools, false, true, true, b.mtu(),
          Optional.empty(), false, Map.of(), Optional.empty(), false, false, vni));
    }
  }

  /**
   * The fleet as far as this host knows it. Marks each overlay network internal where one of its
   * containers here has no way out; gives every local container {@code host:}; adds the remote
   * containers with their overlay endpoints. {@code leaving}: the local containers with an
   * interface on the gateway bridge. What could not be read back is said in {@code notes}.
   */
  static Fleet fleet(List<KernelObject> all, Map<String, Network> networks, Map<String, Container> containers,
      Set<String> leaving, Decompiler.ThisHost here, List<String> notes) {
    markInternal(networks, containers, leaving, notes);
    int port = all.stream().filter(o -> o instanceof VxlanObject).map(o -> ((VxlanObject) o).port()).findFirst()
        .orElse(Host.DEFAULT_VXLAN_PORT);
    Map<String, Map<IpAddress, NameRecord.Remote>> recorded = recordedRemotes(all);
    Map<IpAddress, String> hostNames = new LinkedHashMap<>();
    Map<IpAddress, Integer> hostPorts = new LinkedHashMap<>();
    Map<String, Container> remotes = new LinkedHashMap<>();
    Map<String, IpAddress> remoteHost = new LinkedHashMap<>();
    List<String> unnamed = new ArrayList<>();
    for (Network n : networks.values()) {
      if (!n.isOverlay()) {
        continue;
      }
      String ns = KernelNames.overlayNamespace(n.name());
      Map<MacAddress, FdbEntryObject> fdb = new LinkedHashMap<>();
      all.stream().filter(o -> o instanceof FdbEntryObject f && f.namespace().equals(ns))
          .forEach(o -> fdb.put(((FdbEntryObject) o).mac(), (FdbEntryObject) o));
      List<NeighbourObject> neighbours = all.stream().filter(o -> o instanceof NeighbourObject x && x.namespace().equals(ns))
          .map(o -> (NeighbourObject) o).sorted(Comparator.comparing(NeighbourObject::address)).toList();
      for (NeighbourObject neighbour : neighbours) {
        FdbEntryObject entry = fdb.get(neighbour.mac());
        if (entry == null) {
          notes.add("The neighbour entry of " + neighbour.address() + " on " + n.name() + " has no forwarding entry, so its "
              + "host is unknown: it is not shown (plan --host restores the entry).");
          continue;
        }
        Optional<NameRecord.Remote> record = Optional.ofNullable(recorded.getOrDefault(n.name(), Map.of())
            .get(neighbour.address()));
        record.map(NameRecord.Remote::host).filter(h -> !h.isEmpty())
            .ifPresent(h -> hostNames.putIfAbsent(entry.destination(), h));
        entry.port().ifPresent(p -> hostPorts.put(entry.destination(), p));
        String name = record.map(NameRecord.Remote::container).orElseGet(() -> {
          unnamed.add(neighbour.address() + " on " + n.name());
          return "remote-" + dashed(neighbour.address());
        });
        MacAddress dockerMac = MacAddress.dockerStyle(neighbour.address());
        Attachment a = new Attachment(n.name(), Optional.of(neighbour.address()), Optional.empty(),
            neighbour.mac().equals(dockerMac) ? Optional.empty() : Optional.of(neighbour.mac()),
            record.map(NameRecord.Remote::aliases).orElse(List.of()), 0);
        Container before = remotes.getOrDefault(name, new Container(name, NetworkMode.OWN, List.of(), List.of(),
            Optional.empty()));
        List<Attachment> attachments = new ArrayList<>(before.attachments());
        attachments.add(a);
        remotes.put(name, before.withAttachments(attachments));
        remoteHost.putIfAbsent(name, entry.destination());
      }
    }
    if (!unnamed.isEmpty()) {
      notes.add("No name is recorded here for the container at " + String.join(", ", unnamed)
          + ": it is shown as remote-ADDRESS; rename it to its name on its host.");
    }
    Set<IpAddress> peers = new LinkedHashSet<>(peers(all));
    peers.addAll(remoteHost.values());
    Map<IpAddress, String> names = new LinkedHashMap<>();
    List<String> synthetic = new ArrayList<>();
    for (IpAddress peer : peers) {
      String name = hostNames.getOrDefault(peer, "host-" + dashed(peer));
      if (!hostNames.containsKey(peer)) {
        synthetic.add(name);
      }
      if (name.equals(here.name())) {
        throw new Decompiler.WrongHost("the overlay entries on this machine record " + here.name()
            + " as another host, at " + peer + "; give this machine's own name with --host");
      }
      names.put(peer, name);
    }
    if (!synthetic.isEmpty()) {
      notes.add("Hosts named after their address (" + String.join(", ", synthetic) + ") have no name recorded on this "
          + "host: rename them (and their containers' host:).");
    }
    TreeMap<String, Host> hosts = new TreeMap<>();
    hosts.put(here.name(), new Host(here.name(), thisAddress(here, peers, networks, notes), port));
    names.forEach((address, name) -> hosts.put(name, new Host(name, address, hostPorts.getOrDefault(address, port))));
    containers.replaceAll((name, c) -> c.withHost(here.name()));
    remotes.forEach((name, c) -> containers.put(name, c.withHost(names.get(remoteHost.get(name)))));
    if (!remotes.isEmpty()) {
      notes.add("Containers on other hosts are shown with what this host holds of them, their overlay endpoints; their "
          + "other networks, ports and name settings are their hosts' to show.");
    }
    notes.add("Overlay networks without a container on this host leave nothing here and are not shown.");
    return new Fleet(hosts, Optional.empty());
  }

  /** The other hosts' addresses, from the VXLAN firewall chain (every other declared host's, whether it has containers here or not). */
  static List<IpAddress> peers(List<KernelObject> all) {
    List<IpAddress> out = new ArrayList<>();
    for (KernelObject o : all) {
      Matcher m = o instanceof FirewallRule r && r.chain().equals(Chains.VXLAN) ? PEER.matcher(r.spec()) : null;
      if (m != null && m.matches()) {
        out.add(IpAddress.parse(m.group(1)));
      }
    }
    return out;
  }

  /**
   * An overlay network is internal where one of its containers here has no interface on the
   * gateway bridge and no network with a gateway (which would spare it one, as in Docker). Where
   * each of its containers here is also on another overlay network or on a network with a
   * gateway, the host cannot tell: it is shown as not internal.
   */
  private static void markInternal(Map<String, Network> networks, Map<String, Container> containers, Set<String> leaving,
      List<String> notes) {
    Predicate<Container> hasGateway = c -> GatewayOrder.ipv4Gateway(networks, c.attachments()).isPresent();
    for (Network n : List.copyOf(networks.values())) {
      if (!n.isOverlay()) {
        continue;
      }
      List<Container> members = containers.values().stream()
          .filter(c -> c.attachments().stream().anyMatch(a -> a.network().equals(n.name()))).toList();
      if (members.stream().anyMatch(c -> !leaving.contains(c.name()) && !hasGateway.test(c))) {
        networks.put(n.name(), n.withInternal(true));
      } else if (!members.isEmpty() && members.stream().allMatch(c -> hasGateway.test(c) || c.attachments().stream()
          .anyMatch(a -> !a.network().equals(n.name()) && networks.containsKey(a.network())
              && networks.get(a.network()).isOverlay()))) {
        notes.add("Whether overlay network " + n.name() + " is internal cannot be told here (each of its containers here "
            + "is also on another overlay network or on a network with a gateway): it is shown as not internal.");
      }
    }
  }

  /** The remote containers each local name record carries, by network and address. */
  private static Map<String, Map<IpAddress, NameRecord.Remote>> recordedRemotes(List<KernelObject> all) {
    Map<String, Map<IpAddress, NameRecord.Remote>> out = new LinkedHashMap<>();
    DecompiledNames.records(all).values().forEach(r -> r.remotes().forEach(remote ->
        out.computeIfAbsent(remote.network(), k -> new LinkedHashMap<>()).putIfAbsent(remote.ipv4(), remote)));
    return out;
  }

  /**
   * This host's underlay address: as found (the address it reaches the other hosts from), else a
   * stand-in from TEST-NET-1 (RFC 5737), which is no real host's.
   */
  private static IpAddress thisAddress(Decompiler.ThisHost here, Set<IpAddress> peers, Map<String, Network> networks,
      List<String> notes) {
    if (here.address().isPresent()) {
      notes.add("Host " + here.name() + " is this machine; " + here.address().get() + " is the address it reaches the "
          + "other hosts from.");
      return here.address().get();
    }
    for (int i = 1; i < 255; i++) {
      IpAddress candidate = IpAddress.v4(192, 0, 2, i);
      if (!peers.contains(candidate) && networks.values().stream()
          .noneMatch(n -> n.pools().stream().anyMatch(p -> p.subnet().contains(candidate)))) {
        notes.add("Host " + here.name() + " is this machine; its underlay address could not be found (no other host is "
            + "reachable from here), so " + candidate + " stands in for it: write its real address.");
        return candidate;
      }
    }
    throw new IllegalStateException("every address of TEST-NET-1 is a host's or in a subnet"); // 254 hosts on it: not a fleet
  }

  private static String dashed(IpAddress address) {
    return address.toString().replace('.', '-');
  }
}
