package io.netform.kernel.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netform.kernel.KernelTest;
import io.netform.kernel.netns.NetnsHandle;
import io.netform.kernel.sandbox.Sandbox;
import io.netform.testing.Hosts;
import io.netform.testing.Traffic;
import java.net.ServerSocket;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * IPv6 networks behave as Docker's with ip6tables: published ports reached over IPv6 from the
 * world, networks isolated from each other, internal networks closed, egress masqueraded. Real
 * IPv6 TCP in a sandbox whose uplink has an IPv6 address.
 */
@KernelTest
class Ipv6TrafficTest extends InSandbox {

  static final String HOST6 = Sandbox.HOST_ADDRESS_V6.toString();
  static final String STATE = """
      networks:
        front: {enable_ipv6: true, bridge_name: br-front6, ipam: {config: [{subnet: 10.93.0.0/24}, {subnet: "fd00:93::/64"}]}}
        back: {enable_ipv6: true, bridge_name: br-back6, ipam: {config: [{subnet: 10.94.0.0/24}, {subnet: "fd00:94::/64"}]}}
        inner: {enable_ipv6: true, internal: true, bridge_name: br-inner6,
                ipam: {config: [{subnet: 10.95.0.0/24}, {subnet: "fd00:95::/64"}]}}
      containers:
        web: {networks: {front: {ipv6_address: "fd00:93::10"}}, ports: ["9090:80", "[::]:9443:80"]}
        other: {networks: {back: {ipv6_address: "fd00:94::10"}}}
        hidden: {networks: {inner: {ipv6_address: "fd00:95::10"}}}
      """;

  static Optional<String> seenBy(ServerSocket server, NetnsHandle from, String address, int port) throws Exception {
    return Traffic.accept(server, from, address, port).map(Traffic.Accepted::client);
  }

  /** Traffic.accept's addresses are Java's long form: compare as addresses. */
  static Optional<String> canonical(Optional<String> address) {
    return address.map(a -> io.netform.net.IpAddress.parse(a).toString());
  }

  @Test
  void aPublishedPortIsReachedOverIpv6FromTheWorldAndOtherNetworksButNotDirectly() throws Exception {
    Hosts.converge(sandbox.host(), BehaviourTest.yaml(STATE));
    ServerSocket web = listen(ns("web"), 80);
    assertEquals(Optional.of(Sandbox.WORLD_ADDRESS_V6.toString()), canonical(seenBy(web, sandbox.world(), HOST6, 9090)),
        "from the world, with its own address");
    assertTrue(seenBy(web, sandbox.world(), HOST6, 9443).isPresent(), "[::] publishes on every IPv6 address");
    assertTrue(seenBy(web, sandbox.world(), Sandbox.HOST_ADDRESS.toString(), 9090).isPresent(), "9090 on IPv4 as well");
    assertFalse(seenBy(web, sandbox.world(), Sandbox.HOST_ADDRESS.toString(), 9443).isPresent(), "[::]: IPv6 only");
    assertEquals(Optional.of(HOST6), canonical(seenBy(web, sandbox.host().root(), HOST6, 9090)),
        "from the host, at its IPv6 address");
    assertTrue(seenBy(web, ns("other"), HOST6, 9090).isPresent(), "from another network, through the host");
    assertTrue(seenBy(web, ns("web"), HOST6, 9090).isPresent(), "from the container itself (hairpin)");
    assertFalse(BehaviourTest.connects(ns("other"), "fd00:93::10", 80), "but never directly: IPv6 networks stay isolated");
  }

  @Test
  void egressIsMasqueradedAndAnInternalNetworkIsClosedOverIpv6() throws Exception {
    Hosts.converge(sandbox.host(), BehaviourTest.yaml(STATE));
    ServerSocket world = listen(sandbox.world(), 7000);
    assertEquals(Optional.of(HOST6), canonical(seenBy(world, ns("web"), Sandbox.WORLD_ADDRESS_V6.toString(), 7000)),
        "leaves with the host's IPv6 address");
    // A route out, as a process in the container could add: the firewall, not routing, must stop it.
    PublishedPortsTest.run(ns("hidden"), "ip", "-6", "route", "add", "default", "via", "fd00:95::1");
    assertFalse(BehaviourTest.connects(ns("hidden"), Sandbox.WORLD_ADDRESS_V6.toString(), 7000), "internal: no way out");
    listen(ns("hidden"), 80);
    assertFalse(BehaviourTest.connects(ns("other"), "fd00:95::10", 80), "internal: no way in");
  }

  /**
   * Container addresses are usable when apply returns: no duplicate address detection keeps them
   * "tentative" (it takes a second or more), as Docker adds them.
   */
  @Test
  void containerIpv6AddressesAreUsableWhenApplyReturns() throws Exception {
    Hosts.converge(sandbox.host(), BehaviourTest.yaml(STATE));
    NetnsHandle web = ns("web");
    listen(web, 80);
    assertTrue(BehaviourTest.connects(sandbox.host().root(), "fd00:93::10", 80), "the host reaches the container at once");
    assertFalse(PublishedPortsTest.output(web, "ip", "-6", "-o", "address", "show", "scope", "global")
        .contains("tentative"), "the container's address (its link-local one may still be: nothing needs it)");
    assertFalse(PublishedPortsTest.output(sandbox.host().root(), "ip", "-6", "-o", "address", "show", "dev", "br-front6", "scope", "global")
        .contains("tentative"), "nor the gateway's");
  }
}
