package io.netform.kernel.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netform.converge.Goal;
import io.netform.desired.DesiredState;
import io.netform.kernel.KernelTest;
import io.netform.kernel.observe.HostObserver;
import io.netform.kernel.sandbox.Sandbox;
import io.netform.model.FirewallRule;
import io.netform.model.KernelObject;
import io.netform.model.Owner;
import io.netform.plan.OwnerChangeTest;
import io.netform.testing.Hosts;
import java.net.ServerSocket;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Objects whose owner changes while they stay: their markers must name the new owner, or a later
 * destroy takes one owner's objects for another's. Two containers whose addresses swap (their
 * networks' subnets swapped) swap rules of the same text, so the same keys; a network renamed
 * keeping its bridge_name keeps its bridge. Real rules, real TCP, in a sandbox.
 */
@KernelTest
class RelabelledOwnersTest extends InSandbox {

  /** What the partial destroy names: a1 and its network, as they are now. */
  static final String A_ONLY = """
      networks:
        netA: {ipam: {config: [{subnet: 10.2.0.0/24}]}}
      containers:
        a1: {networks: [netA], ports: ["7000:80"]}
      """;

  static final String A1_ADDRESS = "10.2.0.2";
  static final String B1_ADDRESS = "10.1.0.2";

  List<FirewallRule> rules() {
    return new HostObserver(sandbox.host()).observe().owned().objects().values().stream()
        .filter(o -> o instanceof FirewallRule).map(o -> (FirewallRule) o).toList();
  }

  /** Every rule naming {@code address} is labelled {@code owner}; there is at least one. */
  void labelled(String address, Owner owner) {
    List<FirewallRule> naming = rules().stream().filter(r -> r.spec().contains(address + "/32")
        || r.spec().contains(address + ":")).toList();
    assertTrue(!naming.isEmpty(), () -> "rules naming " + address + ": " + rules());
    naming.forEach(r -> assertEquals(owner, r.owner(), () -> "labelled as its owner: " + r));
  }

  @Test
  void afterASwapEachRuleNamesItsOwnerAndDestroyingOneContainerLeavesTheOthersPortWorking() throws Exception {
    Hosts.converge(sandbox.host(), BehaviourTest.yaml(OwnerChangeTest.SUBNETS));
    Hosts.converge(sandbox.host(), BehaviourTest.yaml(OwnerChangeTest.SWAPPED_SUBNETS));
    labelled(A1_ADDRESS, Owner.container("a1"));
    labelled(B1_ADDRESS, Owner.container("b1"));

    Hosts.converge(sandbox.host(), Goal.without(BehaviourTest.yaml(A_ONLY)));
    List<FirewallRule> left = rules();
    assertTrue(left.stream().noneMatch(r -> r.owner().equals(Owner.container("a1")) || r.spec().contains(A1_ADDRESS)),
        () -> "a1's rules are gone: " + left);
    labelled(B1_ADDRESS, Owner.container("b1"));
    String host = Sandbox.HOST_ADDRESS.toString();
    ServerSocket b1 = listen(ns("b1"), 80);
    assertEquals(Optional.of(Sandbox.WORLD_ADDRESS.toString()), PublishedPortsTest.seenBy(b1, sandbox.world(), host, 7001),
        "b1's published port from the world");
    assertEquals(Optional.of("10.1.0.1"), PublishedPortsTest.seenBy(b1, ns("b1"), host, 7001),
        "and from b1 itself (hairpin: its masquerade rule is still there)");
  }

  @Test
  void aNetworkRenamedKeepingItsBridgeNameHandsTheBridgeOverAndItsDestroyLeavesNothing() {
    String web = """
        networks:
          web: {bridge_name: br-web, ipam: {config: [{subnet: 10.4.0.0/24}]}}
        containers:
          c: {networks: [web], ports: ["7002:80"]}
        """;
    String front = web.replace("web:", "front:").replace("[web]", "[front]");
    Hosts.converge(sandbox.host(), BehaviourTest.yaml(web));
    Hosts.converge(sandbox.host(), BehaviourTest.yaml(front));
    assertEquals(Optional.of(Owner.network("front")), new HostObserver(sandbox.host()).observe().owned()
        .get("link/host/br-web").map(KernelObject::owner), "the bridge's alias names its new owner");

    Hosts.converge(sandbox.host(), Goal.without(BehaviourTest.yaml(front)));
    assertEquals(List.of(), List.copyOf(new HostObserver(sandbox.host()).observe().owned().objects().keySet()),
        "destroying the network and its container leaves nothing of netform's");
  }

  @Test
  void aNamespaceMarkedAsAnothersIsMarkedAgainAsItsOwners() throws Exception {
    DesiredState one = BehaviourTest.yaml("""
        networks:
          n: {ipam: {config: [{subnet: 10.5.0.0/24}]}}
        containers:
          c: {networks: [n]}
        """);
    Hosts.converge(sandbox.host(), one);
    PublishedPortsTest.run(ns("c"), "ip", "link", "set", "lo", "alias", "netform:v1 owner=container:other");
    assertEquals(Optional.of(Owner.container("other")), new HostObserver(sandbox.host()).observe().owned()
        .get("netns/c").map(KernelObject::owner), "as edited by hand");
    Hosts.converge(sandbox.host(), one);
    assertEquals(Optional.of(Owner.container("c")), new HostObserver(sandbox.host()).observe().owned()
        .get("netns/c").map(KernelObject::owner), "the loopback's alias names its owner again");
  }
}
