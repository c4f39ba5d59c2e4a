package io.netform.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netform.diagnostics.render.Style;
import io.netform.model.AddressObject;
import io.netform.model.BridgeObject;
import io.netform.model.ForeignObjects;
import io.netform.model.HostModel;
import io.netform.model.KernelObject;
import io.netform.model.ObservedHost;
import io.netform.model.Owner;
import io.netform.model.RouteObject;
import io.netform.model.SysctlObject;
import io.netform.model.VethObject;
import io.netform.net.Cidr;
import io.netform.net.IpAddress;
import io.netform.net.MacAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class PlannerTest {

  static final Owner NET = Owner.network("web");
  static final Owner BOX = Owner.container("box");

  static BridgeObject bridge(String subnet, int mtu) {
    return new BridgeObject("br-web", mtu, Optional.empty(), List.of(Cidr.parse(subnet)), true, NET);
  }

  static VethObject veth(int mtu) {
    return new VethObject("nfvbox", "br-web", "box", "eth0", MacAddress.parse("02:42:0a:00:00:02"), mtu, true, false, false,
        BOX);
  }

  static AddressObject address(String cidr) {
    return new AddressObject("box", "eth0", Cidr.parse(cidr), BOX);
  }

  static RouteObject route(String via) {
    return new RouteObject("box", Cidr.parse("0.0.0.0/0"), Optional.of(IpAddress.parse(via)), "eth0", BOX);
  }

  static ObservedHost host(KernelObject... objects) {
    return new ObservedHost(HostModel.of(List.of(objects)), ForeignObjects.none());
  }

  static Map<String, Action> actions(Plan p) {
    return p.changes().stream().collect(Collectors.toMap(Change::key, Change::action));
  }

  /** A setting netform never resets (forwarding) is no change when no longer wanted: the plan tells no removal. */
  @Test
  void anUnwantedSysctlIsNoChange() {
    SysctlObject forwarding = new SysctlObject(KernelObject.HOST_NS, "net.ipv4.ip_forward", "1", Owner.HOST);
    Plan p = Planner.plan(HostModel.of(List.of()), host(bridge("10.0.0.0/24", 1500), forwarding));
    assertEquals(Map.of(bridge("10.0.0.0/24", 1500).key(), Action.DELETE), actions(p));
    assertEquals(1, p.toDestroy());
  }

  @Test
  void everythingIsCreatedOnAnEmptyHost() {
    HostModel target = HostModel.of(List.of(bridge("10.0.0.0/24", 1500), veth(1500), address("10.0.0.2/24")));
    Plan p = Planner.plan(target, ObservedHost.emptyHost());
    assertEquals(3, p.toAdd());
    assertEquals(0, p.toChange() + p.toDestroy());
    assertEquals(List.of("link/host/br-web", "link/host/nfvbox", "addr/ns:box/eth0/10.0.0.2/24"),
        p.steps().stream().map(s -> s.object().key()).toList(), "dependencies first");
  }

  @Test
  void nothingChangesWhenTheHostMatches() {
    HostModel target = HostModel.of(List.of(bridge("10.0.0.0/24", 1500), veth(1500)));
    Plan p = Planner.plan(target, new ObservedHost(target, ForeignObjects.none()));
    assertTrue(p.isEmpty());
    assertTrue(PlanText.render(p, Style.PLAIN).contains(PlanText.NO_CHANGES));
  }

  @Test
  void anMtuChangeIsInPlaceAndTouchesNothingElse() {
    Plan p = Planner.plan(HostModel.of(List.of(bridge("10.0.0.0/24", 1500), veth(9000), address("10.0.0.2/24"))),
        host(bridge("10.0.0.0/24", 1500), veth(1500), address("10.0.0.2/24")));
    assertEquals(Map.of("link/host/nfvbox", Action.UPDATE), actions(p));
    assertTrue(PlanText.render(p, Style.PLAIN).contains("mtu: \"1500\" -> \"9000\""));
  }

  @Test
  void aChangedAddressKeepsTheVeth() {
    Plan p = Planner.plan(HostModel.of(List.of(bridge("10.0.0.0/24", 1500), veth(1500), address("10.0.0.7/24"))),
        host(bridge("10.0.0.0/24", 1500), veth(1500), address("10.0.0.2/24")));
    assertEquals(Map.of("addr/ns:box/eth0/10.0.0.7/24", Action.CREATE, "addr/ns:box/eth0/10.0.0.2/24", Action.DELETE), actions(p));
  }

  @Test
  void aSubnetChangeReplacesTheNetworkWithItsAttachments() {
    Plan p = Planner.plan(
        HostModel.of(List.of(bridge("10.1.0.0/24", 1500), veth(1500), address("10.1.0.2/24"), route("10.1.0.1"))),
        host(bridge("10.0.0.0/24", 1500), veth(1500), address("10.0.0.2/24"), route("10.0.0.1")));
    Map<String, Action> a = actions(p);
    assertEquals(Action.REPLACE, a.get("link/host/br-web"));
    assertEquals(Action.REPLACE, a.get("link/host/nfvbox"), "the veth goes with its bridge");
    assertEquals(Action.REPLACE, a.get("route/ns:box/0.0.0.0/0"), "the route goes with the veth");
    String text = PlanText.render(p, Style.PLAIN);
    assertTrue(text.contains("-/+ bridge br-web"), text);
    assertTrue(text.contains("# forces replacement"), text);
    assertTrue(text.contains("replaced because bridge br-web is replaced"), text);
    assertTrue(text.contains("Plan: 4 to add, 0 to change, 4 to destroy."), text);
  }

  @Test
  void deletionsRunBeforeCreationsAndInReverseDependencyOrder() {
    Plan p = Planner.plan(HostModel.empty(), host(bridge("10.0.0.0/24", 1500), veth(1500), address("10.0.0.2/24")));
    assertEquals(List.of("addr/ns:box/eth0/10.0.0.2/24", "link/host/nfvbox", "link/host/br-web"),
        p.steps().stream().map(s -> s.object().key()).toList());
    assertEquals(3, p.toDestroy());
  }

  @Test
  void foreignObjectsAreConflictsNamingTheObject() {
    ObservedHost observed = new ObservedHost(HostModel.empty(),
        new ForeignObjects(Set.of("br-web"), List.of(Cidr.parse("10.0.0.0/16")), Set.of()));
    Plan p = Planner.plan(HostModel.of(List.of(bridge("10.0.0.0/24", 1500))), observed);
    assertEquals(2, p.conflicts().size());
    assertTrue(p.conflicts().get(0).message().contains("\"br-web\" already exists"), p.conflicts()::toString);
    assertTrue(p.conflicts().get(1).message().contains("overlaps the host route 10.0.0.0/16"));
  }
}
