package io.netform.ipam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netform.desired.DesiredState;
import io.netform.net.Cidr;
import java.util.List;
import io.netform.validate.DesiredStateCheck;
import org.junit.jupiter.api.Test;

class AllocatorTest {

  private static DesiredState state(String yaml) {
    DesiredStateCheck.Checked c = DesiredStateCheck.runText("t.yaml", yaml);
    assertTrue(c.valid(), c.diagnostics()::toString);
    return c.state();
  }

  private static Allocation allocate(String yaml) {
    AllocationResult r = Allocator.allocate(state(yaml), Allocation.none());
    assertTrue(r.problems().isEmpty(), r.problems()::toString);
    return r.allocation();
  }

  private static String ip(Allocation a, String container, String network) {
    return a.endpoint(container, network).orElseThrow().ipv4().toString();
  }

  @Test
  void auxAddressesAreSkipped() {
    // Seed 002: gateway .1, aux .2 and .3 -> first container .4
    Allocation a = allocate("networks:\n  t: {ipam: {config: [{subnet: 10.15.20.0/24, gateway: 10.15.20.1,"
        + " aux_addresses: {a: 10.15.20.2, b: 10.15.20.3}}]}}\ncontainers:\n  c1: {networks: [t]}\n  c2: {networks: [t]}\n");
    assertEquals("10.15.20.4", ip(a, "c1", "t"));
    assertEquals("10.15.20.5", ip(a, "c2", "t"));
  }

  @Test
  void gatewayNotFirstGivesTheFirstAddressToAContainer() {
    // Seed 004: gateway .2 -> first container .1, second .3
    Allocation a = allocate("networks:\n  mynet: {ipam: {config: [{subnet: 192.168.0.0/16, gateway: 192.168.0.2}]}}\n"
        + "containers:\n  c1: {networks: [mynet]}\n  c2: {networks: [mynet]}\n");
    assertEquals("192.168.0.1", ip(a, "c1", "mynet"));
    assertEquals("192.168.0.3", ip(a, "c2", "mynet"));
  }

  @Test
  void gatewayDefaultsToTheFirstUsableAddress() {
    Allocation a = allocate("networks:\n  n: {ipam: {config: [{subnet: 10.1.0.0/24, ip_range: 10.1.0.128/25}]}}\n"
        + "containers:\n  c: {networks: [n]}\n");
    assertEquals("10.1.0.1", a.networks().get("n").ipv4().orElseThrow().gateway().toString());
    assertEquals("10.1.0.128", ip(a, "c", "n"), "dynamic addresses come from the range");
  }

  @Test
  void defaultPoolsSkipTakenSubnets() {
    Allocation a = allocate("networks:\n  bridge: {ipam: {config: [{subnet: 172.17.0.0/16}]}}\n  x: {}\n  y: {}\n");
    assertEquals("172.18.0.0/16", a.networks().get("x").ipv4().orElseThrow().subnet().toString());
    assertEquals("172.19.0.0/16", a.networks().get("y").ipv4().orElseThrow().subnet().toString());
    assertEquals("172.18.0.1", a.networks().get("x").ipv4().orElseThrow().gateway().toString());
  }

  @Test
  void staticAddressesAreNeverHandedOutDynamically() {
    Allocation a = allocate("networks:\n  n: {ipam: {config: [{subnet: 10.1.0.0/24}]}}\ncontainers:\n"
        + "  dyn: {networks: [n]}\n  fixed: {networks: {n: {ipv4_address: 10.1.0.2}}}\n");
    assertEquals("10.1.0.3", ip(a, "dyn", "n"));
    assertEquals("10.1.0.2", ip(a, "fixed", "n"));
  }

  @Test
  void macAndInterfaceNames() {
    Allocation a = allocate("networks:\n  a: {ipam: {config: [{subnet: 172.17.0.0/16}]}}\n  b: {ipam: {config: [{subnet: 10.9.0.0/24}]}}\n"
        + "containers:\n  c: {networks: {a: {}, b: {mac_address: \"02:00:00:00:00:01\"}}}\n");
    assertEquals("02:42:ac:11:00:02", a.endpoint("c", "a").orElseThrow().mac().toString());
    assertEquals("eth0", a.endpoint("c", "a").orElseThrow().interfaceName());
    assertEquals("eth1", a.endpoint("c", "b").orElseThrow().interfaceName());
    assertEquals("02:00:00:00:00:01", a.endpoint("c", "b").orElseThrow().mac().toString());
  }

  @Test
  void removingAnEarlierContainerMovesNobodyAndKeepsInterfaceNames() {
    String two = "networks:\n  a: {ipam: {config: [{subnet: 10.1.0.0/24}]}}\n  b: {ipam: {config: [{subnet: 10.2.0.0/24}]}}\n"
        + "containers:\n  first: {networks: [a]}\n  second: {networks: [a, b]}\n";
    Allocation before = allocate(two);
    String after = "networks:\n  a: {ipam: {config: [{subnet: 10.1.0.0/24}]}}\n  b: {ipam: {config: [{subnet: 10.2.0.0/24}]}}\n"
        + "containers:\n  second: {networks: [b]}\n  third: {networks: [a]}\n";
    Allocation next = Allocator.allocate(state(after), before).allocation();
    assertEquals(before.endpoint("second", "b"), next.endpoint("second", "b"), "second keeps eth1 and its address");
    assertEquals("eth1", next.endpoint("second", "b").orElseThrow().interfaceName());
    assertEquals("10.1.0.2", ip(next, "third", "a"), "the freed address is reused by a new container");
  }

  /**
   * Docker refuses a container at an address a running one holds ("Address already in use"):
   * a newcomer's static address never moves a container that has it. The holder may be moved by
   * giving it an address of its own; a container leaving frees its address for a static one.
   */
  @Test
  void aStaticAddressARunningContainerHoldsIsRefusedNeverTakenFromIt() {
    String net = "networks:\n  n: {ipam: {config: [{subnet: 10.20.0.0/16}]}}\ncontainers:\n";
    Allocation before = allocate(net + "  tomcat: {networks: [n]}\n  mysql: {networks: [n]}\n");
    assertEquals("10.20.0.3", ip(before, "mysql", "n"));
    AllocationResult taken = Allocator.allocate(state(net + "  tomcat: {networks: [n]}\n  mysql: {networks: [n]}\n"
        + "  redis: {networks: {n: {ipv4_address: 10.20.0.3}}}\n"), before);
    assertEquals(1, taken.problems().size(), taken.problems()::toString);
    assertEquals("address-in-use", taken.problems().get(0).code());
    assertTrue(taken.problems().get(0).message().contains("container \"mysql\" holds 10.20.0.3"),
        taken.problems().get(0).message());
    assertEquals(6, taken.problems().get(0).location().line(), "at redis's ipv4_address");
    AllocationResult moved = Allocator.allocate(state(net + "  tomcat: {networks: [n]}\n"
        + "  mysql: {networks: {n: {ipv4_address: 10.20.0.9}}}\n  redis: {networks: {n: {ipv4_address: 10.20.0.3}}}\n"),
        before);
    assertEquals(List.of(), moved.problems(), "the holder given an address of its own moves, as the state says");
    assertEquals("10.20.0.3", ip(moved.allocation(), "redis", "n"));
    AllocationResult freed = Allocator.allocate(state(net + "  tomcat: {networks: [n]}\n"
        + "  redis: {networks: {n: {ipv4_address: 10.20.0.3}}}\n"), before);
    assertEquals(List.of(), freed.problems(), "a container removed gives its address up");
  }

  @Test
  void exhaustionIsReportedAtTheAttachment() {
    AllocationResult r = Allocator.allocate(new io.netform.desired.load.DesiredStateLoader().loadText("t.yaml", "networks:\n  t: {ipam: {config: [{subnet: 10.0.0.0/30}]}}\n"
        + "containers:\n  a: {networks: [t]}\n  b: {networks: [t]}\n").state(), Allocation.none());
    assertEquals(1, r.problems().size());
    assertEquals("pool-exhausted", r.problems().get(0).code());
    assertEquals(5, r.problems().get(0).location().line());
  }

  @Test
  void ipv6AddressesComeFromTheIpv6Pool() {
    Allocation a = allocate("networks:\n  n:\n    enable_ipv6: true\n    ipam: {config: [{subnet: 10.1.0.0/24}, {subnet: \"fd00:1::/64\"}]}\n"
        + "containers:\n  c: {networks: [n]}\n");
    assertEquals("fd00:1::2", a.endpoint("c", "n").orElseThrow().ipv6().orElseThrow().toString());
  }

  private static String subnetOf(Allocation a, String network) {
    return a.networks().get(network).ipv4().orElseThrow().subnet().toString();
  }

  @Test
  void defaultPoolsSkipTheHostsRoutesAndAddressesButNotItsDefaultRoute() {
    // A LAN on 172.17.0.0/16 (a route) and a VPN address in 172.18.0.0/16, as Docker's FindAvailableNetwork sees them.
    HostAddressSpace host = new HostAddressSpace(
        List.of(Cidr.parse("0.0.0.0/0"), Cidr.parse("172.17.0.0/16")), List.of(Cidr.parse("172.18.5.5/32")));
    String yaml = "networks:\n  x: {}\n  y: {}\n";
    AllocationResult r = Allocator.allocate(state(yaml), Allocation.none(), host);
    assertEquals(List.of(), r.problems());
    assertEquals("172.19.0.0/16", subnetOf(r.allocation(), "x"));
    assertEquals("172.20.0.0/16", subnetOf(r.allocation(), "y"));
    Allocation unknownHost = allocate(yaml);
    assertEquals("172.17.0.0/16", subnetOf(unknownHost, "x"), "a host that is not known blocks nothing");
  }

  @Test
  void aChosenSubnetIsKeptWhenTheHostLaterRoutesIt() {
    String yaml = "networks:\n  x: {}\n";
    Allocation before = allocate(yaml);
    HostAddressSpace vpnCameUp = new HostAddressSpace(List.of(Cidr.parse("172.17.0.0/16")), List.of());
    Allocation after = Allocator.allocate(state(yaml), before, vpnCameUp).allocation();
    assertEquals("172.17.0.0/16", subnetOf(after, "x"), "a live network is not renumbered");
  }

  @Test
  void whenTheHostCoversEveryPoolTheErrorSaysWhy() {
    HostAddressSpace everything = new HostAddressSpace(List.of(Cidr.parse("128.0.0.0/1")), List.of());
    AllocationResult r = Allocator.allocate(state("networks:\n  x: {}\n"), Allocation.none(), everything);
    assertEquals(List.of("no-free-pool"), r.problems().stream().map(d -> d.code()).toList());
    assertTrue(r.problems().get(0).message().contains("the host's own routes and addresses"), r.problems()::toString);
  }
}
