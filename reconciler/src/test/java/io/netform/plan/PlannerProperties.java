package io.netform.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netform.compile.TargetCompiler;
import io.netform.desired.Attachment;
import io.netform.desired.Container;
import io.netform.desired.DesiredState;
import io.netform.desired.Driver;
import io.netform.desired.IpamPool;
import io.netform.desired.Network;
import io.netform.desired.NetworkMode;
import io.netform.desired.PortMapping;
import io.netform.desired.Protocol;
import io.netform.desired.SourceMap;
import io.netform.ipam.Allocation;
import io.netform.ipam.Allocator;
import io.netform.ipam.ObservedAllocation;
import io.netform.model.HostModel;
import io.netform.model.KernelObject;
import io.netform.model.ObservedHost;
import io.netform.model.Owner;
import io.netform.net.Cidr;
import io.netform.net.IpAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Planner properties over generated desired states compiled to kernel objects, applied to an
 * in-memory host that destroys dependents like the kernel does.
 */
class PlannerProperties {

  @Provide
  Arbitrary<DesiredState> states() {
    Arbitrary<List<Boolean>> internal = Arbitraries.of(true, false).list().ofMinSize(1).ofMaxSize(4);
    return internal.flatMap(flags -> {
      int nets = flags.size();
      Arbitrary<List<Integer>> subnetChoice = Arbitraries.integers().between(0, 1).list().ofSize(nets);
      Arbitrary<List<Integer>> mtus = Arbitraries.of(1500, 1450, 9000).list().ofSize(nets);
      Arbitrary<List<Boolean>> icc = Arbitraries.of(true, false).list().ofSize(nets);
      Arbitrary<List<List<Integer>>> members = Arbitraries.integers().between(0, nets - 1).set().ofMaxSize(nets)
          .map(s -> (List<Integer>) new ArrayList<>(s)).list().ofMaxSize(6);
      Arbitrary<List<Integer>> ports = Arbitraries.integers().between(0, 2).list().ofSize(6);
      Arbitrary<List<Boolean>> ipv6 = Arbitraries.of(true, false).list().ofSize(nets);
      return Combinators.combine(subnetChoice, mtus, icc, members, ports, ipv6)
          .as((sub, mtu, iccs, mem, port, v6) -> build(flags, sub, mtu, iccs, mem, port, v6));
    });
  }

  private static DesiredState build(List<Boolean> internal, List<Integer> subnet, List<Integer> mtu, List<Boolean> icc,
      List<List<Integer>> members, List<Integer> ports, List<Boolean> ipv6) {
    Map<String, Network> networks = new LinkedHashMap<>();
    for (int i = 0; i < internal.size(); i++) {
      Cidr cidr = new Cidr(IpAddress.v4(10, i, subnet.get(i), 0), 24);
      List<IpamPool> pools = new ArrayList<>(List.of(new IpamPool(cidr, Optional.empty(), Optional.empty(), Map.of())));
      if (ipv6.get(i)) { // an IPv6 network: its containers' interfaces have IPv6 on, the others off
        pools.add(new IpamPool(Cidr.parse("fd00:" + i + "::/64"), Optional.empty(), Optional.empty(), Map.of()));
      }
      networks.put("n" + i, new Network("n" + i, Driver.BRIDGE, Optional.of("br-n" + i), pools, internal.get(i), icc.get(i),
          true, mtu.get(i), Optional.empty(), ipv6.get(i), Map.of(), Optional.empty(), false));
    }
    Map<String, Container> containers = new LinkedHashMap<>();
    for (int c = 0; c < members.size(); c++) {
      List<Attachment> att = members.get(c).stream().map(n -> Attachment.dynamic("n" + n)).toList();
      List<PortMapping> published = new ArrayList<>();
      for (int p = 0; p < ports.get(c); p++) {
        published.add(new PortMapping(Optional.empty(), 8000 + c * 10 + p, 80 + p, Protocol.TCP));
      }
      NetworkMode mode = att.isEmpty() ? NetworkMode.NONE : NetworkMode.OWN;
      containers.put("c" + c, new Container("c" + c, mode, att, att.isEmpty() ? List.of() : published, Optional.empty()));
    }
    return new DesiredState(networks, containers, SourceMap.empty());
  }

  private static HostModel target(DesiredState desired, ObservedHost host) {
    Allocation previous = ObservedAllocation.from(host.owned(), desired);
    return TargetCompiler.compile(desired, Allocator.allocate(desired, previous).allocation());
  }

  @Property(tries = 300)
  void applyingAPlanThenPlanningAgainGivesAnEmptyPlan(@ForAll("states") DesiredState before,
      @ForAll("states") DesiredState after) {
    FakeHost host = new FakeHost(target(before, ObservedHost.emptyHost()));
    HostModel want = target(after, host.observe());
    host.apply(Planner.plan(want, host.observe()));
    Plan again = Planner.plan(want, host.observe());
    assertTrue(again.isEmpty(), () -> "not converged: " + again.changes());
  }

  @Property(tries = 300)
  void anObjectEqualOnBothSidesAppearsOnlyWhenADependencyIsDestroyed(@ForAll("states") DesiredState before,
      @ForAll("states") DesiredState after) {
    ObservedHost observed = new ObservedHost(target(before, ObservedHost.emptyHost()), io.netform.model.ForeignObjects.none());
    HostModel want = target(after, observed);
    for (Change c : Planner.plan(want, observed).changes()) {
      KernelObject have = observed.owned().objects().get(c.key());
      KernelObject wanted = want.objects().get(c.key());
      if (have != null && wanted != null && have.comparedAttributes().equals(wanted.comparedAttributes())) {
        assertTrue(c.action() == Action.REPLACE && c.reason().isPresent(), () -> "unchanged object planned: " + c);
      }
    }
  }

  @Property(tries = 300)
  void removingOneContainerPlansOnlyThatContainersObjectsAway(@ForAll("states") DesiredState state, @ForAll int pick) {
    if (state.containers().isEmpty()) {
      return;
    }
    List<String> names = new ArrayList<>(state.containers().keySet());
    String gone = names.get(Math.floorMod(pick, names.size()));
    ObservedHost observed = new ObservedHost(target(state, ObservedHost.emptyHost()), io.netform.model.ForeignObjects.none());
    Map<String, Container> fewer = new LinkedHashMap<>(state.containers());
    fewer.remove(gone);
    HostModel want = target(new DesiredState(state.networks(), fewer, SourceMap.empty()), observed);
    for (Change c : Planner.plan(want, observed).changes()) {
      assertEquals(Action.DELETE, c.action(), () -> "unexpected " + c);
      assertEquals(Owner.container(gone), c.owner(), () -> "touches another owner: " + c);
    }
  }

  /**
   * Objects whose mark names another owner (a rule two containers swapped, a bridge of a renamed
   * network) are relabelled in place, and nothing else is touched; applied, nothing is left to do.
   */
  @Property(tries = 200)
  void objectsMarkedWithAnotherOwnerAreRelabelledAndNothingElse(@ForAll("states") DesiredState state, @ForAll long seed) {
    HostModel want = target(state, ObservedHost.emptyHost());
    List<Owner> owners = want.objects().values().stream().map(KernelObject::owner).distinct().sorted().toList();
    java.util.Random random = new java.util.Random(seed);
    List<KernelObject> held = new ArrayList<>();
    java.util.Set<String> relabelled = new java.util.TreeSet<>();
    for (KernelObject o : want.objects().values()) {
      Owner other = owners.get(random.nextInt(owners.size()));
      if (o.marksOwner() && !other.equals(o.owner()) && random.nextInt(3) == 0) {
        held.add(withOwner(o, other));
        relabelled.add(o.key());
      } else {
        held.add(o);
      }
    }
    FakeHost host = new FakeHost(HostModel.of(held));
    Plan plan = Planner.plan(want, host.observe());
    assertEquals(relabelled, plan.changes().stream().map(Change::key).collect(Collectors.toCollection(java.util.TreeSet::new)));
    for (Change c : plan.changes()) {
      assertEquals(Action.UPDATE, c.action(), c::toString);
      assertEquals(List.of(KernelObject.OWNER), c.changedAttributes(), c::toString);
    }
    host.apply(plan);
    Plan again = Planner.plan(want, host.observe());
    assertTrue(again.isEmpty(), () -> "not converged: " + again.changes());
  }

  /** {@code o} with another owner, whatever its kind (as a snapshot would hold it). */
  private static KernelObject withOwner(KernelObject o, Owner owner) {
    tools.jackson.databind.node.ObjectNode json = (tools.jackson.databind.node.ObjectNode) PlanJson.object(o);
    json.put("owner", owner.toString());
    return io.netform.snapshot.ObjectJson.read(json);
  }

  @Property(tries = 200)
  void countsMatchTheChanges(@ForAll("states") DesiredState before, @ForAll("states") DesiredState after) {
    ObservedHost observed = new ObservedHost(target(before, ObservedHost.emptyHost()), io.netform.model.ForeignObjects.none());
    Plan p = Planner.plan(target(after, observed), observed);
    long creates = p.steps().stream().filter(s -> s.kind() == Step.Kind.CREATE).count();
    long deletes = p.steps().stream().filter(s -> s.kind() == Step.Kind.DELETE).count();
    assertEquals(creates, p.toAdd());
    assertEquals(deletes, p.toDestroy());
  }
}
