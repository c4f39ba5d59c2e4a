package io.netform.ipam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netform.desired.Attachment;
import io.netform.desired.Container;
import io.netform.desired.DesiredState;
import io.netform.desired.IpamPool;
import io.netform.desired.Network;
import io.netform.desired.NetworkMode;
import io.netform.desired.Driver;
import io.netform.desired.SourceMap;
import io.netform.net.Cidr;
import io.netform.net.IpAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Allocation invariants over generated desired states (no IP arbitraries ship with jqwik: composed here). */
class AllocatorProperties {

  /** A generated scenario: networks with small subnets, containers attached to some of them. */
  record Scenario(DesiredState state) {}

  @Provide
  Arbitrary<Scenario> scenarios() {
    Arbitrary<Integer> networkCount = Arbitraries.integers().between(1, 4);
    return networkCount.flatMap(nets -> {
      Arbitrary<List<Integer>> prefixes = Arbitraries.integers().between(26, 29).list().ofSize(nets);
      Arbitrary<List<Integer>> auxCounts = Arbitraries.integers().between(0, 2).list().ofSize(nets);
      Arbitrary<List<Integer>> gatewayOffsets = Arbitraries.integers().between(1, 3).list().ofSize(nets);
      Arbitrary<List<List<Integer>>> memberships = Arbitraries.integers().between(0, nets - 1).set().ofMinSize(1)
          .ofMaxSize(nets).map(s -> (List<Integer>) new ArrayList<>(s)).list().ofMaxSize(12);
      return Combinators.combine(prefixes, auxCounts, gatewayOffsets, memberships)
          .as((p, aux, gw, members) -> new Scenario(build(p, aux, gw, members)));
    });
  }

  private static DesiredState build(List<Integer> prefixes, List<Integer> aux, List<Integer> gw, List<List<Integer>> members) {
    Map<String, Network> networks = new LinkedHashMap<>();
    for (int i = 0; i < prefixes.size(); i++) {
      Cidr subnet = new Cidr(IpAddress.v4(10, i, 0, 0), prefixes.get(i));
      Map<String, IpAddress> auxAddresses = new LinkedHashMap<>();
      for (int k = 0; k < aux.get(i); k++) {
        auxAddresses.put("r" + k, subnet.first().plus(4 + k));
      }
      IpamPool pool = new IpamPool(subnet, Optional.of(subnet.first().plus(gw.get(i))), Optional.empty(), auxAddresses);
      networks.put("n" + i, new Network("n" + i, Driver.BRIDGE, Optional.empty(), List.of(pool), false, true, true, 1500,
          Optional.empty(), false, Map.of(), Optional.empty(), false));
    }
    Map<String, Container> containers = new LinkedHashMap<>();
    for (int c = 0; c < members.size(); c++) {
      List<Attachment> attachments = members.get(c).stream().map(n -> Attachment.dynamic("n" + n)).toList();
      containers.put("c" + c, new Container("c" + c, NetworkMode.OWN, attachments, List.of(), Optional.empty()));
    }
    return new DesiredState(networks, containers, SourceMap.empty());
  }

  @Property
  void noTwoEndpointsShareAnAddressOnANetwork(@ForAll("scenarios") Scenario s) {
    Allocation a = Allocator.allocate(s.state(), Allocation.none()).allocation();
    Set<String> seen = new HashSet<>();
    a.endpoints().values().forEach(e -> assertTrue(seen.add(e.id().network() + "/" + e.ipv4()), "duplicate " + e));
  }

  @Property
  void noReservedAddressIsHandedOut(@ForAll("scenarios") Scenario s) {
    Allocation a = Allocator.allocate(s.state(), Allocation.none()).allocation();
    for (EndpointAllocation e : a.endpoints().values()) {
      Network n = s.state().networks().get(e.id().network());
      IpamPool pool = n.pools().get(0);
      Cidr subnet = pool.subnet();
      assertTrue(subnet.contains(e.ipv4()));
      assertFalse(e.ipv4().equals(subnet.first()) || e.ipv4().equals(subnet.last()), "network/broadcast " + e);
      assertFalse(pool.gateway().orElseThrow().equals(e.ipv4()), "gateway " + e);
      assertFalse(pool.auxAddresses().containsValue(e.ipv4()), "aux " + e);
    }
  }

  @Property
  void addingAContainerNeverMovesAnother(@ForAll("scenarios") Scenario s, @ForAll("extra") List<Integer> joins) {
    Allocation before = Allocator.allocate(s.state(), Allocation.none()).allocation();
    Map<String, Container> more = new LinkedHashMap<>();
    // Insert the newcomer first: declaration order must not let it take an existing address.
    List<Attachment> attachments = joins.stream().distinct().filter(n -> s.state().networks().containsKey("n" + n))
        .map(n -> Attachment.dynamic("n" + n)).toList();
    more.put("newcomer", new Container("newcomer", NetworkMode.OWN, attachments, List.of(), Optional.empty()));
    more.putAll(s.state().containers());
    DesiredState grown = new DesiredState(s.state().networks(), more, SourceMap.empty());
    Allocation after = Allocator.allocate(grown, before).allocation();
    before.endpoints().forEach((id, e) -> assertEquals(e, after.endpoints().get(id)));
  }

  @Property
  void removingAContainerNeverMovesAnother(@ForAll("scenarios") Scenario s, @ForAll int pick) {
    Allocation before = Allocator.allocate(s.state(), Allocation.none()).allocation();
    if (s.state().containers().isEmpty()) {
      return;
    }
    List<String> names = new ArrayList<>(s.state().containers().keySet());
    String gone = names.get(Math.floorMod(pick, names.size()));
    Map<String, Container> fewer = new LinkedHashMap<>(s.state().containers());
    fewer.remove(gone);
    Allocation after = Allocator.allocate(new DesiredState(s.state().networks(), fewer, SourceMap.empty()), before)
        .allocation();
    before.endpoints().forEach((id, e) -> {
      if (!id.container().equals(gone)) {
        assertEquals(e, after.endpoints().get(id));
      }
    });
  }

  @Property
  void allocationIsAPureFunctionOfItsInputs(@ForAll("scenarios") Scenario s) {
    assertEquals(Allocator.allocate(s.state(), Allocation.none()), Allocator.allocate(s.state(), Allocation.none()));
  }

  @Provide
  Arbitrary<List<Integer>> extra() {
    return Arbitraries.integers().between(0, 3).list().ofMinSize(1).ofMaxSize(3);
  }

  /** Networks without a subnet: each gets one of Docker's default pools. */
  @Provide
  Arbitrary<DesiredState> poolNetworks() {
    return Arbitraries.integers().between(1, 6).map(count -> {
      Map<String, Network> networks = new LinkedHashMap<>();
      for (int i = 0; i < count; i++) {
        networks.put("p" + i, new Network("p" + i, Driver.BRIDGE, Optional.empty(), List.of(), false, true, true, 1500,
            Optional.empty(), false, Map.of(), Optional.empty(), false));
      }
      return new DesiredState(networks, Map.of(), SourceMap.empty());
    });
  }

  /** Routes and addresses of a host, in and around the default pools (a LAN, a VPN, a wide split route). */
  @Provide
  Arbitrary<HostAddressSpace> hosts() {
    Arbitrary<Cidr> routes = Combinators.combine(Arbitraries.integers().between(16, 31), Arbitraries.integers().between(0, 255),
            Arbitraries.integers().between(1, 28), Arbitraries.of(true, false))
        .as((b, c, prefix, in172) -> new Cidr(in172 ? IpAddress.v4(172, b, c, 0) : IpAddress.v4(192, 168, c, 0), prefix).network());
    Arbitrary<Cidr> addresses = Combinators.combine(Arbitraries.integers().between(16, 31), Arbitraries.integers().between(0, 255),
            Arbitraries.integers().between(1, 254), Arbitraries.of(true, false))
        .as((b, c, d, in172) -> new Cidr(in172 ? IpAddress.v4(172, b, c, d) : IpAddress.v4(192, 168, c, d), 32));
    return Combinators.combine(routes.list().ofMaxSize(5), addresses.list().ofMaxSize(4)).as(HostAddressSpace::new);
  }

  @Property
  void aChosenPoolNeverOverlapsTheHostUnlessItWasAlreadyTheNetworks(@ForAll("poolNetworks") DesiredState state,
      @ForAll("hosts") HostAddressSpace earlier, @ForAll("hosts") HostAddressSpace now, @ForAll boolean applied) {
    Allocation previous = applied ? Allocator.allocate(state, Allocation.none(), earlier).allocation() : Allocation.none();
    Allocation a = Allocator.allocate(state, previous, now).allocation();
    List<Cidr> chosen = new ArrayList<>();
    a.networks().forEach((name, n) -> n.ipv4().ifPresent(pool -> {
      Optional<Cidr> before = Optional.ofNullable(previous.networks().get(name)).flatMap(NetworkAllocation::ipv4)
          .map(PoolAllocation::subnet);
      assertTrue(now.collision(pool.subnet()).isEmpty() || before.equals(Optional.of(pool.subnet())),
          () -> name + " got " + pool.subnet() + ", which collides with " + now.collision(pool.subnet()).orElseThrow());
      chosen.forEach(other -> assertFalse(other.overlaps(pool.subnet()), "two networks share " + other));
      chosen.add(pool.subnet());
    }));
  }
}
