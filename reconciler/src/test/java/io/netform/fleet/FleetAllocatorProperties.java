package io.netform.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netform.desired.Attachment;
import io.netform.desired.Container;
import io.netform.desired.DesiredState;
import io.netform.desired.Driver;
import io.netform.desired.Fleet;
import io.netform.desired.Host;
import io.netform.desired.IpamPool;
import io.netform.desired.NameSettings;
import io.netform.desired.Network;
import io.netform.desired.NetworkMode;
import io.netform.desired.OverlayLock.LockedNetwork;
import io.netform.desired.OverlayLock;
import io.netform.desired.SourceMap;
import io.netform.net.Cidr;
import io.netform.net.IpAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** With the lock, the overlay allocation is stable: a container added anywhere, or one removed, renumbers no other. */
class FleetAllocatorProperties {

  /** A fleet: overlay networks (a small configured subnet, or none), containers on hosts with their memberships. */
  record Fleetwide(List<Optional<Integer>> prefixes, List<Member> members) {}

  /** One container: its host and the overlay networks it joins. */
  record Member(int host, List<Integer> networks) {}

  @Provide
  Arbitrary<Fleetwide> fleets() {
    return Arbitraries.integers().between(1, 3).flatMap(nets -> {
      Arbitrary<List<Optional<Integer>>> prefixes = Arbitraries.integers().between(26, 28).optional().list().ofSize(nets);
      Arbitrary<Member> member = Combinators.combine(Arbitraries.integers().between(0, 2),
          Arbitraries.integers().between(0, nets - 1).set().ofMinSize(1).ofMaxSize(nets).map(s -> List.copyOf(s)))
          .as(Member::new);
      return Combinators.combine(prefixes, member.list().ofMaxSize(14)).as(Fleetwide::new);
    });
  }

  /** Containers named by their place in {@code f}: c0, c1, … */
  static DesiredState state(Fleetwide f, Optional<OverlayLock> lock) {
    Map<String, Member> named = new LinkedHashMap<>();
    for (int c = 0; c < f.members().size(); c++) {
      named.put("c" + c, f.members().get(c));
    }
    return state(f.prefixes(), named, lock);
  }

  static DesiredState state(List<Optional<Integer>> prefixes, Map<String, Member> members, Optional<OverlayLock> lock) {
    Map<String, Host> hosts = new LinkedHashMap<>();
    for (int h = 0; h < 3; h++) {
      hosts.put("h" + h, new Host("h" + h, IpAddress.v4(192, 0, 2, 10 + h), Host.DEFAULT_VXLAN_PORT));
    }
    Map<String, Network> networks = new LinkedHashMap<>();
    for (int i = 0; i < prefixes.size(); i++) {
      int third = i;
      List<IpamPool> pools = prefixes.get(i).map(p -> List.of(new IpamPool(new Cidr(IpAddress.v4(10, 9, third, 0), p),
          Optional.empty(), Optional.empty(), Map.of()))).orElse(List.of());
      networks.put("o" + i, new Network("o" + i, Driver.OVERLAY, Optional.empty(), pools, false, true, true,
          Network.OVERLAY_MTU, Optional.empty(), false, Map.of(), Optional.empty(), false));
    }
    Map<String, Container> containers = new LinkedHashMap<>();
    for (Map.Entry<String, Member> e : members.entrySet()) {
      Member m = e.getValue();
      String name = e.getKey();
      List<Attachment> attachments = m.networks().stream().map(n -> Attachment.dynamic("o" + n)).toList();
      containers.put(name, new Container(name, NetworkMode.OWN, attachments, List.of(), Optional.empty(), List.of(),
          Optional.of("h" + m.host()), NameSettings.NONE));
    }
    return new DesiredState(networks, containers, SourceMap.empty(), new Fleet(hosts, lock));
  }

  private static FleetAllocator.Result allocate(DesiredState s) {
    FleetAllocator.Result r = FleetAllocator.allocate(s);
    Assume.that(r.problems().isEmpty()); // an exhausted subnet has nothing to keep
    return r;
  }

  /** Everything {@code before} holds, but the endpoints of {@code removed}, is in {@code after} unchanged. */
  private static void keeps(OverlayLock before, OverlayLock after, String what, Optional<String> removed) {
    before.networks().forEach((name, n) -> {
      LockedNetwork now = after.networks().get(name);
      assertEquals(n.subnet(), now.subnet(), what);
      assertEquals(n.vni(), now.vni(), what);
      n.endpoints().forEach((c, e) -> {
        if (removed.isEmpty() || !removed.get().equals(c)) {
          assertEquals(e, now.endpoints().get(c), what + ": " + c + " on " + name);
        }
      });
    });
  }

  @Property
  void aContainerAddedAnywhereRenumbersNoOther(@ForAll("fleets") Fleetwide f, @ForAll("fleets") Fleetwide other,
      @ForAll int where) {
    Assume.that(!other.members().isEmpty() && other.prefixes().size() <= f.prefixes().size());
    OverlayLock lock = allocate(state(f, Optional.empty())).allocation();
    Map<String, Member> grown = new LinkedHashMap<>();
    int at = Math.floorMod(where, f.members().size() + 1);
    for (int c = 0; c <= f.members().size(); c++) {
      if (c == at) {
        grown.put("added", other.members().get(0));
      }
      if (c < f.members().size()) {
        grown.put("c" + c, f.members().get(c));
      }
    }
    OverlayLock after = allocate(state(f.prefixes(), grown, Optional.of(lock))).allocation();
    keeps(lock, after, "after adding a container", Optional.empty());
  }

  @Property
  void aContainerRemovedRenumbersNoOther(@ForAll("fleets") Fleetwide f, @ForAll int which) {
    Assume.that(!f.members().isEmpty());
    OverlayLock lock = allocate(state(f, Optional.empty())).allocation();
    Map<String, Member> shrunk = new LinkedHashMap<>();
    int gone = Math.floorMod(which, f.members().size());
    for (int c = 0; c < f.members().size(); c++) {
      if (c != gone) {
        shrunk.put("c" + c, f.members().get(c));
      }
    }
    OverlayLock after = allocate(state(f.prefixes(), shrunk, Optional.of(lock))).allocation();
    keeps(lock, after, "after removing a container", Optional.of("c" + gone));
  }

  @Property
  void theLockOfAnAllocationIsThatAllocation(@ForAll("fleets") Fleetwide f) {
    OverlayLock lock = allocate(state(f, Optional.empty())).allocation();
    assertEquals(lock.networks(), allocate(state(f, Optional.of(lock))).allocation().networks());
  }
}
