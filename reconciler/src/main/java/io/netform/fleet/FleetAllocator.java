package io.netform.fleet;

import io.netform.desired.Attachment;
import io.netform.desired.Container;
import io.netform.desired.DesiredState;
import io.netform.desired.Host;
import io.netform.desired.IpamPool;
import io.netform.desired.Network;
import io.netform.desired.NetworkMode;
import io.netform.desired.OverlayLock.LockedEndpoint;
import io.netform.desired.OverlayLock.LockedNetwork;
import io.netform.desired.OverlayLock;
import io.netform.desired.SourceMap;
import io.netform.desired.VxlanId;
import io.netform.diagnostics.Diagnostic;
import io.netform.ipam.Allocation;
import io.netform.ipam.AllocationResult;
import io.netform.ipam.Allocator;
import io.netform.ipam.EndpointAllocation;
import io.netform.ipam.EndpointId;
import io.netform.ipam.NetworkAllocation;
import io.netform.ipam.PoolAllocation;
import io.netform.net.Cidr;
import io.netform.net.IpAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The overlay allocation of a fleet: each overlay network's subnet, gateway and VXLAN id, each
 * overlay endpoint's address and MAC. A pure function of the committed desired state and its
 * lock file, never of what one host observes, so every host computes the same one.
 *
 * <ul>
 *   <li>Subnets: as configured; else the one the lock holds, while no configured subnet claims it;
 *       else the first /24 of 10.0.0.0/8 that no network's subnet overlaps and that holds no
 *       host's underlay address (Docker's global default pool).
 *   <li>VXLAN ids: as given; else the locked one, while no given id takes it; else the first
 *       free from 256 (Docker's first).
 *   <li>Addresses: netform's own allocator over every host's containers together, in declaration
 *       order (Docker hands them out in creation order across hosts), with the lock as the
 *       previous allocation: a locked endpoint keeps its address, so adding or removing a
 *       container renumbers nothing. MAC: as given, else {@code 02:42} and the IPv4 bytes.
 * </ul>
 */
public final class FleetAllocator {

  /** Docker's first automatic VXLAN id; below it ids are left to the user. */
  public static final int FIRST_VNI = 256;

  private FleetAllocator() {}

  public record Result(OverlayLock allocation, List<Diagnostic> problems) {

    public Result {
      problems = List.copyOf(problems);
    }
  }

  public static Result allocate(DesiredState desired) {
    Map<String, LockedNetwork> locked = desired.fleet().lock().map(OverlayLock::networks).orElse(Map.of());
    List<Network> overlays = desired.networks().values().stream().filter(Network::isOverlay).toList();
    if (overlays.isEmpty()) {
      return new Result(new OverlayLock("", Map.of()), List.of());
    }
    List<Diagnostic> problems = new ArrayList<>();
    Map<String, IpamPool> pools = subnets(desired, overlays, locked, problems);
    Map<String, Integer> vnis = vnis(overlays, locked);
    AllocationResult endpoints = Allocator.allocate(overlayOnly(desired, pools), previous(locked, pools));
    problems.addAll(endpoints.problems());
    problems.addAll(staticsTakingLocked(desired, locked, endpoints.allocation()));
    Map<String, LockedNetwork> out = new LinkedHashMap<>();
    for (Network n : overlays) {
      NetworkAllocation na = endpoints.allocation().networks().get(n.name());
      Optional<PoolAllocation> pool = na == null ? Optional.empty() : na.ipv4();
      if (pool.isEmpty()) {
        continue; // no subnet could be found: reported
      }
      Map<String, LockedEndpoint> byContainer = new LinkedHashMap<>();
      for (Container c : desired.containers().values()) {
        endpoints.allocation().endpoint(c.name(), n.name())
            .ifPresent(e -> byContainer.put(c.name(), new LockedEndpoint(e.ipv4(), e.mac())));
      }
      out.put(n.name(), new LockedNetwork(pool.get().subnet(), pool.get().gateway(), vnis.get(n.name()), byContainer));
    }
    return new Result(new OverlayLock("", out), problems);
  }

  /**
   * A static address that the lock gives another container, which would lose it: locked endpoints
   * keep their values (the lock's promise), so this is the static address's error, never a silent
   * renumbering of the other (a container with a static address of its own may move).
   */
  private static List<Diagnostic> staticsTakingLocked(DesiredState desired, Map<String, LockedNetwork> locked,
      Allocation allocated) {
    List<Diagnostic> out = new ArrayList<>();
    Map<String, Map<IpAddress, String>> holdersByAddress = new HashMap<>(); // per network, made once
    String file = desired.fleet().lock().map(OverlayLock::file).orElse("");
    for (Container c : desired.containers().values()) {
      for (Attachment a : c.attachments()) {
        LockedNetwork l = locked.get(a.network());
        if (a.ipv4Address().isEmpty() || l == null) {
          continue;
        }
        IpAddress ip = a.ipv4Address().get();
        Map<IpAddress, String> holders = holdersByAddress.computeIfAbsent(a.network(), n -> {
          Map<IpAddress, String> byAddress = new HashMap<>();
          l.endpoints().forEach((holder, e) -> byAddress.put(e.ipv4(), holder));
          return byAddress;
        });
        Optional.ofNullable(holders.get(ip)).ifPresent(holder -> {
          Optional<Attachment> held = Optional.ofNullable(desired.containers().get(holder)).flatMap(h -> h.attachments()
              .stream().filter(x -> x.network().equals(a.network())).findFirst());
          boolean moved = allocated.endpoint(holder, a.network()).filter(now -> !now.ipv4().equals(ip)).isPresent();
          if (!holder.equals(c.name()) && moved && held.isPresent() && held.get().ipv4Address().isEmpty()) {
            out.add(Diagnostic.error("address-in-use", desired.sources().value("/containers/"
                + SourceMap.segment(c.name()) + "/networks/" + SourceMap.segment(a.network()) + "/ipv4_address"),
                "Address already in use: the lock file " + file + " gives " + ip + " on network \"" + a.network()
                    + "\" to container \"" + holder + "\", and locked endpoints keep their addresses",
                "pick another address for \"" + c.name() + "\", or move \"" + holder + "\" first (give it an "
                    + "ipv4_address of its own) and run netform lock"));
          }
        });
      }
    }
    return out;
  }

  private static Map<String, IpamPool> subnets(DesiredState desired, List<Network> overlays,
      Map<String, LockedNetwork> locked, List<Diagnostic> problems) {
    List<Cidr> taken = new ArrayList<>();
    desired.networks().values().forEach(n -> n.pools().forEach(p -> taken.add(p.subnet().network())));
    Map<String, IpamPool> out = new HashMap<>();
    List<Network> needDefault = new ArrayList<>();
    for (Network n : overlays) {
      if (n.hasUserSubnet()) {
        out.put(n.name(), n.pools().get(0));
        continue;
      }
      LockedNetwork l = locked.get(n.name());
      if (l != null && taken.stream().noneMatch(t -> t.overlaps(l.subnet()))) {
        taken.add(l.subnet());
        out.put(n.name(), new IpamPool(l.subnet(), Optional.of(l.gateway()), Optional.empty(), Map.of()));
      } else {
        needDefault.add(n);
      }
    }
    List<IpAddress> underlay = desired.fleet().hosts().values().stream().map(Host::address).toList();
    for (Network n : needDefault) {
      Optional<Cidr> free = Optional.empty();
      for (Cidr c : OverlayPools.candidates()) {
        if (taken.stream().noneMatch(t -> t.overlaps(c)) && underlay.stream().noneMatch(c::contains)) {
          free = Optional.of(c);
          break;
        }
      }
      if (free.isEmpty()) {
        problems.add(Diagnostic.error("no-free-pool", desired.sources().key("/networks/" + SourceMap.segment(n.name())),
            "no /24 of 10.0.0.0/8 is free for overlay network \"" + n.name() + "\"", "configure a subnet for it under ipam.config"));
        continue;
      }
      taken.add(free.get());
      out.put(n.name(), new IpamPool(free.get(), Optional.empty(), Optional.empty(), Map.of()));
    }
    return out;
  }

  private static Map<String, Integer> vnis(List<Network> overlays, Map<String, LockedNetwork> locked) {
    Set<Integer> used = new HashSet<>();
    overlays.forEach(n -> n.vxlanId().ifPresent(used::add));
    Map<String, Integer> out = new HashMap<>();
    List<Network> needed = new ArrayList<>();
    for (Network n : overlays) {
      if (n.vxlanId().isPresent()) {
        out.put(n.name(), n.vxlanId().get());
      } else if (locked.containsKey(n.name()) && used.add(locked.get(n.name()).vni())) {
        out.put(n.name(), locked.get(n.name()).vni());
      } else {
        needed.add(n);
      }
    }
    int next = FIRST_VNI;
    for (Network n : needed) {
      while (used.contains(next) && next < VxlanId.MAX) {
        next++;
      }
      used.add(next);
      out.put(n.name(), next);
    }
    return out;
  }

  /** The overlay networks with their subnets, and every container of every host with its overlay attachments only. */
  private static DesiredState overlayOnly(DesiredState desired, Map<String, IpamPool> pools) {
    Map<String, Network> networks = new LinkedHashMap<>();
    desired.networks().values().stream().filter(n -> pools.containsKey(n.name()))
        .forEach(n -> networks.put(n.name(), n.withOverlayAllocation(List.of(pools.get(n.name())), 0)));
    Map<String, Container> containers = new LinkedHashMap<>();
    for (Container c : desired.containers().values()) {
      if (c.mode() instanceof NetworkMode.Own) {
        List<Attachment> onOverlays = c.attachments().stream().filter(a -> networks.containsKey(a.network())).toList();
        containers.put(c.name(), c.withAttachments(onOverlays));
      }
    }
    return new DesiredState(networks, containers, desired.sources());
  }

  /** The lock as the previous allocation: endpoints keep their addresses (interface names do not matter here). */
  private static Allocation previous(Map<String, LockedNetwork> locked, Map<String, IpamPool> pools) {
    Map<String, NetworkAllocation> networks = new HashMap<>();
    Map<EndpointId, EndpointAllocation> endpoints = new HashMap<>();
    locked.forEach((network, l) -> {
      if (!pools.containsKey(network)) {
        return;
      }
      networks.put(network, new NetworkAllocation(network, List.of(new PoolAllocation(l.subnet(), l.gateway(),
          Optional.empty()))));
      l.endpoints().forEach((container, e) -> {
        EndpointId id = new EndpointId(container, network);
        endpoints.put(id, new EndpointAllocation(id, "eth0", e.ipv4(), Optional.empty(), e.mac()));
      });
    });
    return new Allocation(networks, endpoints);
  }
}
