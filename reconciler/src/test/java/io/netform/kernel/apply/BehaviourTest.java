package io.netform.kernel.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netform.desired.DesiredState;
import io.netform.kernel.KernelTest;
import io.netform.kernel.netlink.LinkInfo;
import io.netform.kernel.netns.NetnsHandle;
import io.netform.kernel.observe.HostObserver;
import io.netform.kernel.sandbox.Sandbox;
import io.netform.model.RouteObject;
import io.netform.net.IpAddress;
import io.netform.plan.Plan;
import io.netform.testing.Datagrams;
import io.netform.testing.Hosts;
import io.netform.validate.DesiredStateCheck;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Docker's behaviour, proven with real TCP connections inside a sandbox. */
@KernelTest
class BehaviourTest extends InSandbox {

  static final int PORT = 7000;

  static boolean connects(NetnsHandle from, String address, int port) {
    return io.netform.testing.Traffic.connects(from, address, port, 700);
  }

  static DesiredState yaml(String text) {
    DesiredStateCheck.Checked c = DesiredStateCheck.runText("test.yaml", text);
    assertTrue(c.valid(), c.diagnostics()::toString);
    return c.state();
  }

  String iptables(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("iptables"));
    cmd.addAll(List.of(args));
    Process p = sandbox.host().root().start(new ProcessBuilder(cmd).redirectErrorStream(true));
    String out = new String(p.getInputStream().readAllBytes());
    assertEquals(0, p.waitFor(), out);
    return out;
  }

  @Test
  void iccOffKeepsNeighboursApartButNotFromTheWorld() {
    Hosts.converge(sandbox.host(), Hosts.example("08-icc-off.yaml"));
    NetnsHandle a = ns("noicc-a");
    listen(ns("noicc-b"), PORT);
    listen(sandbox.world(), PORT);
    assertFalse(connects(a, "10.50.0.3", PORT), "ICC off: no traffic between members");
    assertTrue(connects(a, Sandbox.WORLD_ADDRESS.toString(), PORT), "members still reach the world");
  }

  /**
   * Isolation holds for packets without a connection too (untracked here; invalid ones alike): a
   * container that sends them cannot reach another network through the egress accept.
   */
  @Test
  void isolationHoldsForPacketsWithoutAConnection() throws Exception {
    Hosts.converge(sandbox.host(), Hosts.example("03-test-net1-test-net2.yaml"));
    iptables("-t", "raw", "-A", "PREROUTING", "-p", "udp", "-j", "NOTRACK");
    java.net.DatagramSocket receiver = ns("net2-box").call(() -> new java.net.DatagramSocket(9999));
    open.add(receiver);
    IpAddress net2Box = IpAddress.parse("173.20.0.4");
    assertFalse(Datagrams.arrivesWhole(ns("net1-box"), net2Box, 9999, 10, receiver), "from test_net1 to test_net2");
    assertTrue(Datagrams.arrivesWhole(ns("both-box"), net2Box, 9999, 10, receiver), "on the same network it arrives");
  }

  @Test
  void internalNetworksReachEachOtherAndTheHostButNothingElse() {
    Hosts.converge(sandbox.host(), Hosts.example("05-internal-bridge.yaml"));
    NetnsHandle one = ns("internal-web1");
    listen(ns("internal-web2"), PORT);
    listen(sandbox.world(), PORT);
    listen(one, PORT);
    assertTrue(connects(one, "10.40.0.3", PORT), "members reach each other");
    assertFalse(connects(one, Sandbox.WORLD_ADDRESS.toString(), PORT), "no egress");
    assertTrue(connects(sandbox.host().root(), "10.40.0.2", PORT), "the host still reaches members");
    assertFalse(connects(sandbox.world(), "10.40.0.2", PORT), "no way in from outside");
  }

  @Test
  void publishedPortsReachTheContainerFromTheWorldAndFromTheHostItself() {
    Hosts.converge(sandbox.host(), Hosts.example("09-tomcat-mysql-ports.yaml"));
    listen(ns("mysql1"), 3306);
    assertTrue(connects(sandbox.world(), Sandbox.HOST_ADDRESS.toString(), 3306), "from outside the host");
    assertTrue(connects(sandbox.host().root(), Sandbox.HOST_ADDRESS.toString(), 3306), "from the host itself (OUTPUT DNAT)");
    assertTrue(connects(ns("tomcat1"), "10.20.0.3", 3306), "a neighbour reaches it at its own address");
  }

  @Test
  void hostBindingLimitsWhereAPortIsPublished() {
    Hosts.converge(sandbox.host(), yaml("networks:\n  n: {bridge_name: br-n, host_binding_ipv4: 198.18.0.9, ipam: {config: [{subnet: 10.9.0.0/24}]}}\n"
        + "containers:\n  c: {networks: [n], ports: [\"8080:80\"]}\n"));
    listen(ns("c"), 80);
    assertFalse(connects(sandbox.world(), Sandbox.HOST_ADDRESS.toString(), 8080), "not on other host addresses");
  }

  @Test
  void masqueradeHidesTheContainerAddressAndItsAbsenceDoesNot() throws Exception {
    Hosts.converge(sandbox.host(), yaml("networks:\n  on: {bridge_name: br-on, ipam: {config: [{subnet: 10.61.0.0/24}]}}\n"
        + "  off: {bridge_name: br-off, masquerade: false, ipam: {config: [{subnet: 10.62.0.0/24}]}}\n"
        + "containers:\n  m1: {networks: [on]}\n  m2: {networks: [off]}\n"));
    ServerSocket world = listen(sandbox.world(), PORT);
    CompletableFuture<String> peer = CompletableFuture.supplyAsync(() -> {
      try (Socket s = world.accept()) {
        return s.getInetAddress().getHostAddress();
      } catch (IOException e) {
        throw new RuntimeException(e);
      }
    });
    assertTrue(connects(ns("m1"), Sandbox.WORLD_ADDRESS.toString(), PORT));
    assertEquals(Sandbox.HOST_ADDRESS.toString(), peer.get(5, TimeUnit.SECONDS), "masqueraded behind the host");
    assertFalse(connects(ns("m2"), Sandbox.WORLD_ADDRESS.toString(), PORT),
        "without masquerade the world sees 10.62.0.2, which it has no route back to");
  }

  @Test
  void aForwardPolicyOfDropStillWorksAndIsLeftAlone() throws Exception {
    applyUnderAForwardPolicyOfDrop();
    assertTrue(egress(), "egress despite the DROP policy");
    assertTrue(publishedPort(), "published port despite the DROP policy");
    assertTrue(iptables("-S", "FORWARD").contains("-P FORWARD DROP"), "netform never changes the policy");
  }

  /** Example 09 applied under iptables' FORWARD policy DROP, with listeners in the world and in mysql1. */
  void applyUnderAForwardPolicyOfDrop() throws Exception {
    iptables("-P", "FORWARD", "DROP");
    Hosts.converge(sandbox.host(), Hosts.example("09-tomcat-mysql-ports.yaml"));
    listen(sandbox.world(), PORT);
    listen(ns("mysql1"), 3306);
  }

  boolean egress() {
    return connects(ns("tomcat1"), Sandbox.WORLD_ADDRESS.toString(), PORT);
  }

  boolean publishedPort() {
    return connects(sandbox.world(), Sandbox.HOST_ADDRESS.toString(), 3306);
  }

  @Test
  void theDefaultRouteMovesWhenThePrimaryNetworkGoes() {
    String both = "networks:\n  a: {bridge_name: br-a, ipam: {config: [{subnet: 10.71.0.0/24}]}}\n"
        + "  b: {bridge_name: br-b, ipam: {config: [{subnet: 10.72.0.0/24}]}}\n"
        + "containers:\n  c: {networks: [a, b]}\n";
    Hosts.converge(sandbox.host(), yaml(both));
    assertEquals("eth0", defaultRoute("c").device());
    Hosts.converge(sandbox.host(), yaml(both.replace("networks: [a, b]", "networks: [b]")));
    RouteObject moved = defaultRoute("c");
    assertEquals("eth1", moved.device(), "b keeps its interface name eth1 (seed 002)");
    assertEquals("10.72.0.1", moved.gateway().orElseThrow().toString());
    listen(sandbox.world(), PORT);
    assertTrue(connects(ns("c"), Sandbox.WORLD_ADDRESS.toString(), PORT), "still reaches the world through b");
  }

  RouteObject defaultRoute(String container) {
    return (RouteObject) new HostObserver(sandbox.host()).observe().owned().get("route/ns:" + container + "/0.0.0.0/0")
        .orElseThrow();
  }

  @Test
  void macvlanMembersReachEachOtherButNotTheHostThroughTheParent() {
    Hosts.converge(sandbox.host(), Hosts.example("10-macvlan.yaml"));
    listen(ns("mv2"), PORT);
    assertTrue(connects(ns("mv1"), "172.16.10.3", PORT), "members on the same parent reach each other");
    assertFalse(connects(sandbox.host().root(), "172.16.10.3", PORT), "the host cannot reach them through the parent");
  }

  /** Minimality: a second apply touches nothing that did not change (interface indexes, rule counters). */
  @Test
  void addingAContainerLeavesEverythingElseUntouched() throws Exception {
    Hosts.converge(sandbox.host(), Hosts.example("09-tomcat-mysql-ports.yaml"));
    listen(ns("mysql1"), 3306);
    assertTrue(connects(sandbox.world(), Sandbox.HOST_ADDRESS.toString(), 3306)); // make counters move
    Map<String, Integer> indexes = indexes();
    Map<String, String> counters = counters();
    String grown = java.nio.file.Files.readString(io.netform.testing.RepoFiles.examples().resolve("09-tomcat-mysql-ports.yaml"))
        + "  redis1:\n    networks: [myBridge]\n";
    Plan plan = Hosts.converge(sandbox.host(), yaml(grown)).plan();
    assertTrue(plan.changes().stream().allMatch(c -> c.owner().equals(io.netform.model.Owner.container("redis1"))),
        plan.changes()::toString);
    Map<String, Integer> after = indexes();
    indexes.forEach((name, index) -> assertEquals(index, after.get(name), name + " was recreated"));
    Map<String, String> countersAfter = counters();
    // Live traffic may add to counters between the two reads; a rule that was replaced would restart from zero.
    counters.forEach((rule, count) -> assertTrue(packets(countersAfter.get(rule)) >= packets(count) && packets(count) >= 0,
        "counters of " + rule + " went from " + count + " to " + countersAfter.get(rule)));
    assertTrue(counters.values().stream().anyMatch(c -> packets(c) > 0), "some counter moved before the change");
  }

  @Test
  void changingAContainersAddressKeepsItsVeth() {
    String base = "networks:\n  n: {bridge_name: br-n, ipam: {config: [{subnet: 10.81.0.0/24}]}}\n"
        + "containers:\n  c: {networks: {n: {ipv4_address: 10.81.0.10}}}\n";
    Hosts.converge(sandbox.host(), yaml(base));
    Map<String, Integer> before = indexes();
    Plan plan = Hosts.converge(sandbox.host(), yaml(base.replace("10.81.0.10", "10.81.0.20"))).plan();
    // The MAC follows the address (02:42 + IPv4) and changes in place; the veth itself stays.
    assertTrue(plan.changes().stream().noneMatch(c -> c.object().kindLabel().equals("veth")
        && c.action() != io.netform.plan.Action.UPDATE), plan.changes()::toString);
    assertEquals(before, indexes());
  }

  static long packets(String counter) {
    return counter == null ? -1 : Long.parseLong(counter.substring(1, counter.indexOf(':')));
  }

  Map<String, Integer> indexes() {
    Map<String, Integer> out = new HashMap<>();
    for (LinkInfo l : sandbox.host().root().rtnl().links()) {
      out.put(l.name(), l.index());
    }
    return out;
  }

  /** netform's rules with their packet/byte counters, from iptables-save -c. */
  Map<String, String> counters() throws Exception {
    Process p = sandbox.host().root().start(new ProcessBuilder("iptables-save", "-c"));
    String save = new String(p.getInputStream().readAllBytes());
    p.waitFor();
    Map<String, String> out = new HashMap<>();
    Matcher m = Pattern.compile("^(\\[\\d+:\\d+\\]) -A (.*netform:.*)$", Pattern.MULTILINE).matcher(save);
    while (m.find()) {
      out.put(m.group(2), m.group(1));
    }
    return out;
  }
}
