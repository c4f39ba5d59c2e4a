package io.netform.compile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.netform.desired.DesiredState;
import io.netform.fleet.LocalState;
import io.netform.model.AddressObject;
import io.netform.model.ForeignNames;
import io.netform.model.ForeignObjects;
import io.netform.model.HostModel;
import io.netform.model.HostResolvers;
import io.netform.model.KernelObject;
import io.netform.model.ObservedHost;
import io.netform.net.Cidr;
import io.netform.testing.Hosts;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** A goal met again against an unchanged host reuses its model; anything it was made from changing makes it anew. */
class TargetStateTest {

  private static final DesiredState DESIRED = Hosts.example("02-testbridge2-ip-range.yaml");

  @Test
  void theSameHostGivesTheSameModelAndAnotherAllocationAFreshOne() {
    LocalState local = LocalState.of(DESIRED);
    TargetState.LastModel last = new TargetState.LastModel();
    ObservedHost empty = ObservedHost.emptyHost();
    HostModel first = TargetState.against(local, empty, last).model();
    assertSame(first, TargetState.against(local, empty, last).model(), "nothing changed: compiled once");

    // The host now holds the first container at another address of the range: addresses are sticky.
    AddressObject address = first.objects().values().stream().filter(o -> o instanceof AddressObject a
        && !a.namespace().isEmpty()).map(o -> (AddressObject) o).findFirst().orElseThrow();
    Cidr moved = new Cidr(address.address().address().plus(7), address.address().prefix());
    TreeMap<String, KernelObject> held = new TreeMap<>(first.objects());
    held.remove(address.key());
    AddressObject there = new AddressObject(address.namespace(), address.device(), moved, address.owner());
    held.put(there.key(), there);
    ObservedHost elsewhere = new ObservedHost(new HostModel(held), empty.foreign());
    HostModel again = TargetState.against(local, elsewhere, last).model();
    assertNotSame(first, again);
    assertEquals(TargetState.against(local, elsewhere).model(), again, "as a model made without the last one");
    assertEquals(there, again.objects().get(there.key()), "the container keeps the address the host holds");
  }

  @Test
  void aStateWithADynamicPortIsCompiledOnceThoughItsPortsAreChosenAnewEachTime() {
    LocalState local = LocalState.of(Hosts.desired("""
        networks:
          web: {ipam: {config: [{subnet: 10.61.0.0/24}]}}
        containers:
          w1: {networks: [web], ports: ["80"]}
        """));
    TargetState.LastModel last = new TargetState.LastModel();
    ObservedHost empty = ObservedHost.emptyHost();
    HostModel first = TargetState.against(local, empty, last).model();
    assertSame(first, TargetState.against(local, empty, last).model(), "the same port chosen: compiled once");
  }

  @Test
  void otherHostResolversGiveAFreshModel() {
    LocalState local = LocalState.of(Hosts.example("14-names-aliases-links.yaml"));
    TargetState.LastModel last = new TargetState.LastModel();
    ObservedHost empty = ObservedHost.emptyHost();
    HostModel first = TargetState.against(local, empty, last).model();
    ForeignObjects none = empty.foreign();
    ObservedHost resolving = new ObservedHost(empty.owned(), new ForeignObjects(none.hostLinkNames(), none.hostRoutes(),
        none.namespaces(), none.hostAddresses(), none.namespaceContents(), none.firewallRules(), none.namespaceDir(),
        new ForeignNames(java.util.Map.of(), HostResolvers.parse("nameserver 192.0.2.53\nsearch corp.example\n", ""))));
    HostModel again = TargetState.against(local, resolving, last).model();
    assertNotSame(first, again, "the host's resolvers go into containers' resolv.conf");
    assertEquals(TargetState.against(local, resolving).model(), again);
  }
}
