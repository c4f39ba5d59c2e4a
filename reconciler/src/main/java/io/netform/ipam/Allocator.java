package io.netform.ipam;

import io.netform.desired.Attachment;
import io.netform.desired.Container;
import io.netform.desired.DesiredState;
import io.netform.desired.Host;
import io.netform.desired.IpamPool;
import io.netform.desired.Network;
import io.netform.desired.NetworkMode;
import io.netform.desired.SourceMap;
import io.netform.diagnostics.Diagnostic;
import io.netform.net.Cidr;
import io.netform.net.IpAddress;
import io.netform.net.MacAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Docker-compatible, deterministic address allocation; a pure function of the desired state and
 * the previous allocation.
 *
 * <ul>
 *   <li>Gateway: as given, else the first usable address of the subnet. (Docker 20.10 took the
 *       first address of {@code ip_range} when a range and no gateway were given; netform follows
 *       newer Docker and the subnet — see {@link #defaultGateway}.)
 *   <li>Networks without a subnet get the first of Docker's default pools that overlaps no subnet
 *       already configured or allocated, and no route or address the host has that netform does not
 *       own ({@link HostAddressSpace}; Docker's FindAvailableNetwork). A network keeps its previous
 *       default subnet while no other network's subnet claims it, even if the host has gained an
 *       overlapping route since: a live network is never renumbered by what the host does.
 *   <li>Per network, in this order: static addresses of every container are reserved; then every
 *       endpoint that had an address before keeps it (if still in range and free); then the rest
 *       take the first free address of the ip_range (else the subnet), in declaration order. So
 *       adding or removing a container never moves another.
 *   <li>Interface names eth0, eth1, … in attachment order; a kept endpoint keeps its name, a new
 *       one takes the lowest free name. MAC: as given, else {@code 02:42:} + the IPv4 bytes.
 * </ul>
 */
public final class Allocator {

  private Allocator() {}

  /** Allocation for a host whose routes and addresses are not known (validation, an offline plan of an empty host). */
  public static AllocationResult allocate(DesiredState desired, Allocation previous) {
    return allocate(desired, previous, HostAddressSpace.none());
  }

  public static AllocationResult allocate(DesiredState desired, Allocation previous, HostAddressSpace host) {
    List<Diagnostic> problems = new ArrayList<>();
    Map<String, NetworkAllocation> networks = allocateNetworks(desired, previous, host, problems);
    Map<String, List<AddressPool>> pools = new HashMap<>();
    networks.forEach((name, n) -> pools.put(name, n.pools().stream().map(AddressPool::new).toList()));
    desired.networks().values().forEach(n -> reserveAux(n, pools.getOrDefault(n.name(), List.of())));

    List<EndpointId> order = endpointOrder(desired);
    reserveStatics(desired, order, pools);
    problems.addAll(staticsTakenFromRunning(desired, order, previous, pools));
    Map<EndpointId, IpAddress> v4 = new HashMap<>();
    Map<EndpointId, Optional<IpAddress>> v6 = new HashMap<>();
    for (EndpointId id : order) {
      Attachment a = attachment(desired, id);
      List<AddressPool> netPools = pools.getOrDefault(id.network(), List.of());
      a.ipv4Address().ifPresent(ip -> v4.put(id, ip));
      a.ipv6Address().ifPresent(ip -> v6.put(id, Optional.of(ip)));
      Optional.ofNullable(previous.endpoints().get(id)).ifPresent(prev -> {
        if (!v4.containsKey(id)) {
          keep(prev.ipv4(), netPools).ifPresent(ip -> v4.put(id, ip));
        }
        if (!v6.containsKey(id) && prev.ipv6().isPresent()) {
          keep(prev.ipv6().get(), netPools).ifPresent(ip -> v6.put(id, Optional.of(ip)));
        }
      });
    }
    Map<EndpointId, EndpointAllocation> endpoints = new LinkedHashMap<>();
    Map<String, Set<String>> namesInUse = keptInterfaceNames(order, previous);
    for (EndpointId id : order) {
      List<AddressPool> netPools = pools.getOrDefault(id.network(), List.of());
      IpAddress ip = v4.get(id);
      if (ip == null) {
        ip = next(netPools, true).orElse(null);
      }
      if (ip == null && netPools.isEmpty() && networks.containsKey(id.network())) {
        continue; // its network got no pool at all, which is said once for the network (no-free-pool)
      }
      if (ip == null) {
        Network n = desired.networks().get(id.network());
        String subnets = n == null ? "" : " (" + String.join(", ", netPools.stream()
            .map(p -> p.pool().ipRange().orElse(p.pool().subnet()).toString()).toList()) + ")";
        problems.add(Diagnostic.error("pool-exhausted", desired.sources().key(attachmentPath(id)),
            "no free address left in network \"" + id.network() + "\"" + subnets + " for container \"" + id.container() + "\"",
            "use a larger subnet or ip_range, or give the network fewer containers"));
        continue;
      }
      Attachment a = attachment(desired, id);
      Network n = desired.networks().get(id.network());
      Optional<IpAddress> ipv6 = v6.getOrDefault(id, Optional.empty());
      if (ipv6.isEmpty() && n != null && n.enableIpv6()) {
        ipv6 = next(netPools, false);
      }
      String ifName = interfaceName(id, previous, namesInUse);
      MacAddress mac = a.macAddress().orElse(MacAddress.dockerStyle(ip));
      endpoints.put(id, new EndpointAllocation(id, ifName, ip, ipv6, mac));
    }
    return new AllocationResult(new Allocation(networks, endpoints), problems);
  }

  /** The first usable address of the subnet: .1 for IPv4, ::1 for IPv6. */
  static IpAddress defaultGateway(Cidr subnet) {
    Cidr canonical = subnet.network();
    return canonical.address().isV4() && canonical.prefix() >= 31 ? canonical.first() : canonical.first().plus(1);
  }

  private static Map<String, NetworkAllocation> allocateNetworks(DesiredState desired, Allocation previous,
      HostAddressSpace host, List<Diagnostic> problems) {
    List<Cidr> taken = new ArrayList<>();
    desired.networks().values().forEach(n -> n.pools().forEach(p -> taken.add(p.subnet().network())));
    List<IpAddress> underlay = desired.fleet().hosts().values().stream().map(Host::address).toList();
    Map<String, NetworkAllocation> out = new LinkedHashMap<>();
    List<Network> needDefault = new ArrayList<>();
    for (Network n : desired.networks().values()) {
      if (n.hasUserSubnet()) {
        List<PoolAllocation> pools = new ArrayList<>();
        for (IpamPool p : n.pools()) {
          pools.add(new PoolAllocation(p.subnet().network(), p.gateway().orElse(defaultGateway(p.subnet())),
              p.ipRange().map(Cidr::network)));
        }
        out.put(n.name(), new NetworkAllocation(n.name(), pools));
        continue;
      }
      Optional<PoolAllocation> kept = Optional.ofNullable(previous.networks().get(n.name()))
          .flatMap(NetworkAllocation::ipv4)
          .filter(p -> taken.stream().noneMatch(t -> t.overlaps(p.subnet())));
      if (kept.isPresent()) {
        taken.add(kept.get().subnet());
        out.put(n.name(), new NetworkAllocation(n.name(), List.of(kept.get())));
      } else {
        needDefault.add(n);
      }
    }
    for (Network n : needDefault) {
      Optional<Cidr> free = DefaultPools.CANDIDATES.stream().filter(c -> taken.stream().noneMatch(t -> t.overlaps(c)))
          .filter(c -> host.collision(c).isEmpty())
          .filter(c -> underlay.stream().noneMatch(c::contains)) // a fleet's hosts must stay reachable
          .findFirst();
      if (free.isEmpty()) {
        String path = "/networks/" + SourceMap.segment(n.name());
        problems.add(Diagnostic.error("no-free-pool", desired.sources().key(path),
            "no default address pool is free for network \"" + n.name() + "\" (other networks' subnets, the host's "
                + "own routes and addresses" + (underlay.isEmpty() ? "" : " and the hosts' underlay addresses")
                + " cover all of 172.17.0.0/16-172.31.0.0/16 and 192.168.0.0/16)",
            desired.isGatewayBridge(n) ? "netform makes this network for the overlay containers here; give this host's "
                + "other networks subnets outside those pools" : "configure a subnet for it under ipam.config"));
        out.put(n.name(), new NetworkAllocation(n.name(), List.of()));
        continue;
      }
      taken.add(free.get());
      out.put(n.name(), new NetworkAllocation(n.name(), List.of(new PoolAllocation(free.get(), defaultGateway(free.get()),
          Optional.empty()))));
    }
    // Keep declaration order of networks in the result for readable output.
    Map<String, NetworkAllocation> ordered = new LinkedHashMap<>();
    desired.networks().keySet().forEach(k -> ordered.put(k, out.get(k)));
    return ordered;
  }

  private static void reserveAux(Network n, List<AddressPool> pools) {
    for (IpamPool p : n.pools()) {
      for (IpAddress aux : p.auxAddresses().values()) {
        pools.stream().filter(pool -> pool.inSubnet(aux)).forEach(pool -> pool.reserve(aux));
      }
    }
  }

  private static void reserveStatics(DesiredState desired, List<EndpointId> order, Map<String, List<AddressPool>> pools) {
    for (EndpointId id : order) {
      Attachment a = attachment(desired, id);
      List<AddressPool> netPools = pools.getOrDefault(id.network(), List.of());
      a.ipv4Address().ifPresent(ip -> netPools.stream().filter(p -> p.inSubnet(ip)).forEach(p -> p.reserve(ip)));
      a.ipv6Address().ifPresent(ip -> netPools.stream().filter(p -> p.inSubnet(ip)).forEach(p -> p.reserve(ip)));
    }
  }

  /**
   * A static address that another container of the network holds now, which it would have to give
   * up: Docker refuses to start a container at an address in use ("Address already in use"), so
   * netform never moves a running container for a newcomer's static address. The holder keeps it
   * unless it gets a static address of its own (moving it is then what the desired state says).
   */
  private static List<Diagnostic> staticsTakenFromRunning(DesiredState desired, List<EndpointId> order, Allocation previous,
      Map<String, List<AddressPool>> pools) {
    Map<String, Map<IpAddress, EndpointId>> holders = new HashMap<>(); // network → address → the endpoint holding it
    for (EndpointId id : order) {
      Attachment a = attachment(desired, id);
      EndpointAllocation prev = previous.endpoints().get(id);
      Network n = desired.networks().get(id.network());
      if (prev == null || n == null || n.isOverlay()) {
        continue; // an overlay network's addresses are the lock file's, which says so itself
      }
      Map<IpAddress, EndpointId> held = holders.computeIfAbsent(id.network(), k -> new HashMap<>());
      List<AddressPool> netPools = pools.getOrDefault(id.network(), List.of());
      // only an address it could keep: one the network's ranges still hold
      if (a.ipv4Address().isEmpty() && netPools.stream().anyMatch(p -> p.inRange(prev.ipv4()))) {
        held.put(prev.ipv4(), id);
      }
      if (a.ipv6Address().isEmpty()) {
        prev.ipv6().filter(ip -> netPools.stream().anyMatch(p -> p.inRange(ip))).ifPresent(ip -> held.put(ip, id));
      }
    }
    List<Diagnostic> out = new ArrayList<>();
    for (EndpointId id : order) {
      Attachment a = attachment(desired, id);
      Map<IpAddress, EndpointId> held = holders.getOrDefault(id.network(), Map.of());
      a.ipv4Address().map(held::get).filter(holder -> !holder.equals(id))
          .ifPresent(holder -> out.add(inUse(desired, id, a.ipv4Address().get(), holder, "ipv4_address")));
      a.ipv6Address().map(held::get).filter(holder -> !holder.equals(id))
          .ifPresent(holder -> out.add(inUse(desired, id, a.ipv6Address().get(), holder, "ipv6_address")));
    }
    return out;
  }

  private static Diagnostic inUse(DesiredState desired, EndpointId id, IpAddress ip, EndpointId holder, String key) {
    return Diagnostic.error("address-in-use", desired.sources().value(attachmentPath(id) + "/" + key),
        "Address already in use: container \"" + holder.container() + "\" holds " + ip + " on network \"" + id.network()
            + "\" on this host (given to it when it was attached; a container keeps its address)",
        "give container \"" + id.container() + "\" another address, or first give \"" + holder.container()
            + "\" an " + key + " of its own (or remove it) and apply that");
  }

  private static Optional<IpAddress> keep(IpAddress ip, List<AddressPool> pools) {
    for (AddressPool p : pools) {
      if (p.inRange(ip) && p.isAvailable(ip)) {
        p.reserve(ip);
        return Optional.of(ip);
      }
    }
    return Optional.empty();
  }

  private static Optional<IpAddress> next(List<AddressPool> pools, boolean v4) {
    for (AddressPool p : pools) {
      if (p.pool().subnet().address().isV4() == v4) {
        Optional<IpAddress> ip = p.takeNext();
        if (ip.isPresent()) {
          return ip;
        }
      }
    }
    return Optional.empty();
  }

  /** Endpoints that get addresses: containers with their own namespace, attachments to known networks. */
  static List<EndpointId> endpointOrder(DesiredState desired) {
    List<EndpointId> out = new ArrayList<>();
    Set<EndpointId> seen = new HashSet<>();
    for (Container c : desired.containers().values()) {
      if (!(c.mode() instanceof NetworkMode.Own)) {
        continue;
      }
      for (Attachment a : c.attachments()) {
        EndpointId id = new EndpointId(c.name(), a.network());
        if (desired.networks().containsKey(a.network()) && seen.add(id)) {
          out.add(id);
        }
      }
    }
    return out;
  }

  private static Attachment attachment(DesiredState desired, EndpointId id) {
    return desired.containers().get(id.container()).attachments().stream()
        .filter(a -> a.network().equals(id.network())).findFirst().orElseThrow();
  }

  private static Map<String, Set<String>> keptInterfaceNames(List<EndpointId> order, Allocation previous) {
    Map<String, Set<String>> inUse = new HashMap<>();
    for (EndpointId id : order) {
      EndpointAllocation prev = previous.endpoints().get(id);
      if (prev != null) {
        inUse.computeIfAbsent(id.container(), k -> new HashSet<>()).add(prev.interfaceName());
      }
    }
    return inUse;
  }

  private static String interfaceName(EndpointId id, Allocation previous, Map<String, Set<String>> namesInUse) {
    EndpointAllocation prev = previous.endpoints().get(id);
    if (prev != null) {
      return prev.interfaceName();
    }
    Set<String> used = namesInUse.computeIfAbsent(id.container(), k -> new HashSet<>());
    for (int i = 0; ; i++) {
      String name = "eth" + i;
      if (used.add(name)) {
        return name;
      }
    }
  }

  private static String attachmentPath(EndpointId id) {
    return "/containers/" + SourceMap.segment(id.container()) + "/networks/" + SourceMap.segment(id.network());
  }
}
