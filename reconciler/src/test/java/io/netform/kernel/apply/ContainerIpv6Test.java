package io.netform.kernel.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netform.converge.Outcome;
import io.netform.desired.DesiredState;
import io.netform.kernel.KernelTest;
import io.netform.kernel.netlink.LinkInfo;
import io.netform.kernel.netlink.Message;
import io.netform.kernel.netlink.NetlinkSocket;
import io.netform.kernel.netlink.Rtnl;
import io.netform.kernel.netns.NetnsHandle;
import io.netform.kernel.observe.HostObserver;
import io.netform.plan.Action;
import io.netform.plan.Change;
import io.netform.plan.Plan;
import io.netform.testing.Hosts;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * IPv6 is off on a container's interface on an IPv4-only network and on where the network has
 * IPv6, as Docker 26+ has it: an IPv4-only container sends no duplicate address probe, router
 * solicitation or multicast report and takes no router advertisement.
 */
@KernelTest
class ContainerIpv6Test extends InSandbox {

  static final String V4 = """
      networks:
        plain: {bridge_name: br-plain6, ipam: {config: [{subnet: 10.96.0.0/24}]}}
      containers:
        app: {networks: [plain]}
      """;
  static final String V6 = """
      networks:
        plain: {bridge_name: br-plain6, enable_ipv6: true, ipam: {config: [{subnet: 10.96.0.0/24}, {subnet: "fd00:96::/64"}]}}
      containers:
        app: {networks: {plain: {ipv6_address: "fd00:96::10"}}}
      """;

  static String disableIpv6(NetnsHandle where, String device) {
    return where.readSysctl("net/ipv6/conf/" + device + "/disable_ipv6");
  }

  static String ipv6Addresses(NetnsHandle where, String device) throws Exception {
    return PublishedPortsTest.output(where, "ip", "-6", "-o", "address", "show", "dev", device);
  }

  /** Applies {@code desired}: one plan carried out must be enough, with nothing left for another round. */
  void convergeInOneApply(DesiredState desired) {
    Outcome outcome = Hosts.converge(sandbox.host(), desired);
    assertEquals(List.of(), outcome.rounds(), "more rounds were needed");
  }

  /** The plan against the host as it is now: fresh reads, as every command makes them. */
  Plan replan(DesiredState desired) {
    return Hosts.plan(desired, new HostObserver(sandbox.host()).observe());
  }

  /** A plan that turns IPv6 back off on one container interface, in place, and does nothing else. */
  static void assertOnlyIpv6Updated(Plan plan, String kind) {
    assertEquals(1, plan.changes().size(), plan.changes()::toString);
    Change c = plan.changes().get(0);
    assertEquals(Action.UPDATE, c.action(), c::toString);
    assertEquals(kind, c.object().kindLabel());
    assertEquals(List.of("ipv6"), c.changedAttributes());
    assertEquals("off", c.object().attributes().get("ipv6"));
  }

  @Test
  void aContainerOnAnIpv4OnlyNetworkHasIpv6OffOnItsInterfaceButKeepsItsLoopbackAddress() throws Exception {
    convergeInOneApply(BehaviourTest.yaml(V4));
    NetnsHandle app = ns("app");
    assertEquals("1", disableIpv6(app, "eth0"));
    assertEquals("", ipv6Addresses(app, "eth0").strip(), "no link-local address: no IPv6 at all on it");
    assertTrue(ipv6Addresses(app, "lo").contains("::1/128"), "the loopback keeps ::1, as in Docker");
    assertEquals("1", app.readSysctl("net/ipv6/conf/default/disable_ipv6"),
        "an interface made there starts with IPv6 off: not a moment with it on (a probe, a solicitation) before it is set");
    assertEquals("0", sandbox.host().root().readSysctl("net/ipv6/conf/default/disable_ipv6"),
        "the host's namespace is left as it is");
  }

  @Test
  void aContainerOnAnIpv6NetworkHasIpv6OnAndItsAddressAnswers() throws Exception {
    convergeInOneApply(BehaviourTest.yaml(V6));
    NetnsHandle app = ns("app");
    assertEquals("0", disableIpv6(app, "eth0"), "turned on in a namespace whose new interfaces start without");
    assertTrue(ipv6Addresses(app, "eth0").contains("fd00:96::10/64"));
    listen(app, 80);
    assertTrue(BehaviourTest.connects(sandbox.host().root(), "fd00:96::10", 80));
  }

  @Test
  void ipv6TurnedOnByHandIsPlannedAndTurnedOffAgain() throws Exception {
    DesiredState desired = BehaviourTest.yaml(V4);
    convergeInOneApply(desired);
    NetnsHandle app = ns("app");
    app.writeSysctl("net/ipv6/conf/eth0/disable_ipv6", "0");
    assertOnlyIpv6Updated(replan(desired), "veth");
    convergeInOneApply(desired);
    assertEquals("1", disableIpv6(app, "eth0"));
    assertTrue(replan(desired).isEmpty(), () -> replan(desired).changes().toString());
  }

  @Test
  void aNetworkThatGetsIpv6ConvergesInOneApply() throws Exception {
    convergeInOneApply(BehaviourTest.yaml(V4));
    DesiredState v6 = BehaviourTest.yaml(V6);
    convergeInOneApply(v6);
    assertTrue(replan(v6).isEmpty(), () -> replan(v6).changes().toString());
    NetnsHandle app = ns("app");
    assertEquals("0", disableIpv6(app, "eth0"));
    listen(app, 80);
    assertTrue(BehaviourTest.connects(sandbox.host().root(), "fd00:96::10", 80));
    convergeInOneApply(BehaviourTest.yaml(V4));
    assertEquals("1", disableIpv6(app, "eth0"), "and back");
  }

  @Test
  void inAnAdoptedNamespaceOnlyTheInterfaceNetformMakesHasIpv6Off() throws Exception {
    Path adopted = sandbox.host().namespaces().create("adopted");
    convergeInOneApply(BehaviourTest.yaml(V4.replace("app: {networks: [plain]}",
        "app: {namespace: " + adopted + ", networks: [plain]}")));
    NetnsHandle app = ns("adopted");
    assertEquals("1", disableIpv6(app, "eth0"), "set on the interface itself");
    assertEquals("0", app.readSysctl("net/ipv6/conf/default/disable_ipv6"), "the owner's namespace keeps its defaults");
  }

  /**
   * In a namespace netform did not make, new interfaces start with IPv6 on: the container's ends
   * must have it turned off before they come up, or they start IPv6's address configuration for a
   * moment (a veth made from its container end comes up at once, so netform makes one that way
   * only in a namespace it has just made itself). Every notification of the namespace that shows
   * one of them up shows IPv6 off.
   */
  @Test
  void interfacesMadeInAnAdoptedNamespaceAreNeverUpWithIpv6On() throws Exception {
    Path adopted = sandbox.host().namespaces().create("adopted6");
    NetnsHandle inside = ns("adopted6");
    List<Message> seen = new ArrayList<>();
    try (NetlinkSocket events = inside.call(() -> NetlinkSocket.subscribeRouteChanges(100))) {
      // Two networks: the sandbox host has an eth0 of its own, which sends the first end the other way anyway.
      convergeInOneApply(BehaviourTest.yaml(V4.replace("app: {networks: [plain]}",
          "app: {namespace: " + adopted + ", networks: [plain, second]}").replace("containers:",
          "  second: {bridge_name: br-second6, ipam: {config: [{subnet: 10.97.0.0/24}]}}\ncontainers:")));
      drain(events, seen);
      List<LinkInfo> ups = seen.stream().flatMap(m -> Rtnl.parseLink(m).stream())
          .filter(l -> l.up() && l.name().startsWith("eth")).toList();
      assertTrue(ups.stream().map(LinkInfo::name).distinct().count() == 2, () -> "both interfaces seen up: " + ups);
      assertTrue(ups.stream().noneMatch(LinkInfo::ipv6), () -> "up with IPv6 on: " + ups);
      assertEquals("1", disableIpv6(inside, "eth0"));
      assertEquals("1", disableIpv6(inside, "eth1"));
      // The same notifications do show IPv6 on where it is (a notification without IPv6 data reads as off):
      // IPv6 turned on by hand, then a change of the link that the kernel announces with its state.
      List<Message> after = new ArrayList<>();
      inside.writeSysctl("net/ipv6/conf/eth1/disable_ipv6", "0");
      Rtnl r = inside.rtnl();
      r.run(r.setLinkByName(r.batch(), "eth1", Optional.empty(), 1400, Optional.empty(), Optional.empty()));
      drain(events, after);
      assertTrue(after.stream().flatMap(m -> Rtnl.parseLink(m).stream()).anyMatch(l -> l.name().equals("eth1") && l.ipv6()),
          "IPv6 turned on by hand shows in a notification");
    }
  }

  private static void drain(NetlinkSocket events, List<Message> into) {
    for (int got = events.pollEvent(into::add); got != NetlinkSocket.NO_EVENT; got = events.pollEvent(into::add)) {
      assertTrue(got != NetlinkSocket.EVENTS_LOST, "events were lost: nothing can be said");
    }
  }

  @Test
  void aMacvlanOnAnIpv4OnlyNetworkHasIpv6OffAndKeepsIt() throws Exception {
    DesiredState desired = BehaviourTest.yaml("""
        networks:
          mv: {driver: macvlan, parent: eth0, ipam: {config: [{subnet: 172.16.96.0/24}]}}
        containers:
          m1: {networks: [mv]}
        """);
    convergeInOneApply(desired);
    NetnsHandle m1 = ns("m1");
    assertEquals("1", disableIpv6(m1, "eth0"));
    assertEquals("", ipv6Addresses(m1, "eth0").strip());
    m1.writeSysctl("net/ipv6/conf/eth0/disable_ipv6", "0");
    assertOnlyIpv6Updated(replan(desired), "macvlan");
    convergeInOneApply(desired);
    assertEquals("1", disableIpv6(m1, "eth0"));
    assertFalse(replan(desired).changes().stream().anyMatch(c -> c.changedAttributes().contains("ipv6")));
  }
}
