package io.netform.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netform.desired.DesiredState;
import io.netform.diagnostics.render.Style;
import io.netform.model.FirewallRule;
import io.netform.model.ForeignObjects;
import io.netform.model.HostModel;
import io.netform.model.KernelObject;
import io.netform.model.ObservedHost;
import io.netform.model.Owner;
import io.netform.testing.Hosts;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A rule's key is its text, so two containers can swap the same rule (a hairpin masquerade when
 * their addresses swap): its comment must then be rewritten, or a destroy of one owner later
 * takes the other's rule. The same for every object that carries its owner's mark.
 */
public class OwnerChangeTest {

  /** Two containers on two networks, each publishing a port (the kernel test's too). */
  public static final String SUBNETS = """
      networks:
        netA: {ipam: {config: [{subnet: 10.1.0.0/24}]}}
        netB: {ipam: {config: [{subnet: 10.2.0.0/24}]}}
      containers:
        a1: {networks: [netA], ports: ["7000:80"]}
        b1: {networks: [netB], ports: ["7001:80"]}
      """;

  public static final String SWAPPED_SUBNETS = SUBNETS.replace("10.1.0.0", "10.9.9.9").replace("10.2.0.0", "10.1.0.0")
      .replace("10.9.9.9", "10.2.0.0");

  static final String ADDRESSES = """
      networks:
        net: {ipam: {config: [{subnet: 10.3.0.0/24}]}}
      containers:
        c1: {networks: {net: {ipv4_address: 10.3.0.10}}, ports: ["7000:80"]}
        c2: {networks: {net: {ipv4_address: 10.3.0.11}}, ports: ["7001:80"]}
      """;

  static final String SWAPPED_ADDRESSES = ADDRESSES.replace("10.3.0.10", "10.3.0.99").replace("10.3.0.11", "10.3.0.10")
      .replace("10.3.0.99", "10.3.0.11");

  /** The host as netform left it after applying {@code yaml}. */
  static ObservedHost appliedOn(String yaml) {
    return new ObservedHost(Hosts.target(Hosts.desired(yaml), ObservedHost.emptyHost()), ForeignObjects.none());
  }

  static List<Change> ownerChanges(Plan plan) {
    return plan.changes().stream().filter(c -> c.before().isPresent() && c.after().isPresent()
        && !c.before().get().owner().equals(c.after().get().owner())).toList();
  }

  @Test
  void aRuleThatTwoContainersSwapWithTheirSubnetsIsRelabelledInPlace() {
    ObservedHost observed = appliedOn(SUBNETS);
    Plan plan = Hosts.plan(Hosts.desired(SWAPPED_SUBNETS), observed);
    List<Change> relabelled = ownerChanges(plan);
    assertTrue(relabelled.stream().anyMatch(c -> c.object() instanceof FirewallRule
        && c.before().get().owner().equals(Owner.container("b1")) && c.owner().equals(Owner.container("a1"))),
        () -> "b1's rule now serving a1 is relabelled: " + plan.changes());
    for (Change c : relabelled) {
      assertEquals(Action.UPDATE, c.action(), c::toString);
      assertEquals(List.of(KernelObject.OWNER), c.changedAttributes(), c::toString);
    }
    String text = PlanText.render(plan, Style.PLAIN);
    assertTrue(text.contains("owner: \"container:b1\" -> \"container:a1\""), text);
    convergesTouchingOnlyWhatDiffers(plan, Hosts.target(Hosts.desired(SWAPPED_SUBNETS), observed), observed);
  }

  @Test
  void forwardRulesOfTwoContainersThatSwapAddressesAreRelabelled() {
    ObservedHost observed = appliedOn(ADDRESSES);
    Plan plan = Hosts.plan(Hosts.desired(SWAPPED_ADDRESSES), observed);
    List<Change> relabelled = ownerChanges(plan);
    for (String chain : List.of("NETFORM-FORWARD", "NETFORM-POSTROUTING")) {
      assertTrue(relabelled.stream().anyMatch(c -> c.object() instanceof FirewallRule r && r.chain().equals(chain)
          && c.before().get().owner().equals(Owner.container("c1")) && c.owner().equals(Owner.container("c2"))),
          () -> chain + ": c1's rule now serving c2 is relabelled: " + plan.changes());
    }
    relabelled.forEach(c -> assertEquals(Action.UPDATE, c.action(), c::toString));
    convergesTouchingOnlyWhatDiffers(plan, Hosts.target(Hosts.desired(SWAPPED_ADDRESSES), observed), observed);
  }

  @Test
  void aNetworkRenamedKeepingItsBridgeNameRelabelsTheBridge() {
    String before = """
        networks:
          web: {bridge_name: br-web, ipam: {config: [{subnet: 10.4.0.0/24}]}}
        """;
    ObservedHost observed = appliedOn(before);
    DesiredState renamed = Hosts.desired(before.replace("web:", "front:"));
    Plan plan = Hosts.plan(renamed, observed);
    Change bridge = plan.changes().stream().filter(c -> c.key().equals("link/host/br-web")).findFirst()
        .orElseThrow(() -> new AssertionError("the bridge is relabelled: " + plan.changes()));
    assertEquals(Action.UPDATE, bridge.action());
    assertEquals(List.of(KernelObject.OWNER), bridge.changedAttributes());
    assertEquals(Owner.network("front"), bridge.owner());
    convergesTouchingOnlyWhatDiffers(plan, Hosts.target(renamed, observed), observed);
  }

  @Test
  void anAddressFollowsItsInterfacesMarkAndIsNotPlannedOnItsOwn() {
    KernelObject address = new io.netform.model.AddressObject("box", "eth0", io.netform.net.Cidr.parse("10.0.0.2/24"),
        Owner.container("old"));
    HostModel target = HostModel.of(List.of(new io.netform.model.AddressObject("box", "eth0",
        io.netform.net.Cidr.parse("10.0.0.2/24"), Owner.container("new"))));
    assertFalse(address.marksOwner());
    assertTrue(Planner.plan(target, new ObservedHost(HostModel.of(List.of(address)), ForeignObjects.none())).isEmpty(),
        "nothing to write on the address: the owner is read from its interface's mark");
  }

  /**
   * Applied (on an in-memory host), the plan leaves nothing to do; and it touches only objects
   * that differ (an owner included) or whose dependency it destroys.
   */
  static void convergesTouchingOnlyWhatDiffers(Plan plan, HostModel target, ObservedHost observed) {
    for (Change c : plan.changes()) {
      if (c.before().isPresent() && c.after().isPresent()
          && c.before().get().comparedAttributes().equals(c.after().get().comparedAttributes())) {
        assertTrue(c.action() == Action.REPLACE && c.reason().isPresent(), () -> "unchanged object planned: " + c);
      }
    }
    FakeHost host = new FakeHost(observed.owned());
    host.apply(plan);
    Plan again = Planner.plan(target, host.observe());
    assertTrue(again.isEmpty(), () -> "not converged: " + again.changes());
  }
}
