package io.netform.kernel.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netform.kernel.KernelTest;
import io.netform.kernel.netns.NetnsHandle;
import io.netform.kernel.sandbox.Sandbox;
import io.netform.testing.Hosts;
import io.netform.testing.Traffic;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A published port is reached through a host address from everywhere Docker's userland proxy
 * reaches it, with kernel rules alone, and each client is seen with its own address wherever the
 * kernel can keep it. Real TCP in a sandbox.
 */
@KernelTest
class PublishedPortsTest extends InSandbox {

  static final String HOST = Sandbox.HOST_ADDRESS.toString();
  static final String STATE = """
      networks:
        front: {bridge_name: br-front, ipam: {config: [{subnet: 10.91.0.0/24}]}}
        back: {bridge_name: br-back, ipam: {config: [{subnet: 10.92.0.0/24}]}}
      containers:
        web: {networks: {front: {ipv4_address: 10.91.0.10}}, ports: ["8080:80"]}
        neighbour: {networks: {front: {ipv4_address: 10.91.0.11}}}
        other: {networks: {back: {ipv4_address: 10.92.0.10}}}
      """;

  /** The address a connection from {@code from} to {@code address:port} was accepted from; empty if it did not connect. */
  static Optional<String> seenBy(ServerSocket server, NetnsHandle from, String address, int port) throws IOException {
    return Traffic.accept(server, from, address, port).map(Traffic.Accepted::client);
  }

  @Test
  void reachedFromTheWorldTheHostAndEveryContainerThroughAHostAddress() throws Exception {
    Hosts.converge(sandbox.host(), BehaviourTest.yaml(STATE));
    ServerSocket web = listen(ns("web"), 80);
    NetnsHandle host = sandbox.host().root();
    assertEquals(Optional.of(Sandbox.WORLD_ADDRESS.toString()), seenBy(web, sandbox.world(), HOST, 8080), "from the world");
    assertEquals(Optional.of(HOST), seenBy(web, host, HOST, 8080), "from the host, at its address");
    assertEquals(Optional.of("10.91.0.1"), seenBy(web, host, "127.0.0.1", 8080),
        "from the host at 127.0.0.1, which the container could not answer: seen as the bridge's address");
    assertEquals(Optional.of("10.91.0.1"), seenBy(web, ns("web"), HOST, 8080),
        "from the container itself (hairpin), seen as the bridge's address so that its answer goes back through the host");
    assertEquals(Optional.of("10.91.0.11"), seenBy(web, ns("neighbour"), HOST, 8080), "from a neighbour, with its address");
    // The client's network masquerades what leaves it (-s 10.92.0.0/24 ! -o br-back), as Docker's does.
    assertEquals(Optional.of("10.91.0.1"), seenBy(web, ns("other"), HOST, 8080), "from a container on another network");
    assertEquals(Optional.of("10.91.0.1"), seenBy(web, ns("other"), "10.92.0.1", 8080), "through its own gateway address too");
    assertFalse(BehaviourTest.connects(ns("other"), "10.91.0.10", 80), "but never directly: networks stay isolated");
  }

  /** C joined to B, B to A: C lives in A's namespace, so its port goes there (it is A's listener that answers). */
  @Test
  void aPortOfAContainerJoinedThroughAChainReachesTheNamespaceAtItsEnd() throws Exception {
    var chained = BehaviourTest.yaml(STATE
        + "  b: {network_mode: \"container:web\"}\n  c: {network_mode: \"container:b\", ports: [\"8086:81\"]}\n");
    Hosts.converge(sandbox.host(), chained);
    assertTrue(Hosts.inSync(sandbox.host(), chained), "a second plan has nothing to do");
    ServerSocket c = listen(ns("web"), 81);
    assertEquals(Optional.of(Sandbox.WORLD_ADDRESS.toString()), seenBy(c, sandbox.world(), HOST, 8086), "from the world");
    assertEquals(Optional.of("10.91.0.1"), seenBy(c, ns("web"), HOST, 8086), "from its own namespace (hairpin)");
  }

  @Test
  void withoutIccNeighboursStillReachAPublishedPortThroughTheHostButNotDirectly() throws Exception {
    Hosts.converge(sandbox.host(), BehaviourTest.yaml(STATE.replace("bridge_name: br-front,", "bridge_name: br-front, icc: false,")));
    ServerSocket web = listen(ns("web"), 80);
    assertEquals(Optional.of("10.91.0.11"), seenBy(web, ns("neighbour"), HOST, 8080));
    assertFalse(BehaviourTest.connects(ns("neighbour"), "10.91.0.10", 80), "ICC off: not directly");
  }

  @Test
  void aClientOnANetworkWithoutMasqueradeKeepsItsAddressAcrossNetworks() throws Exception {
    Hosts.converge(sandbox.host(), BehaviourTest.yaml(STATE.replace("bridge_name: br-back,", "bridge_name: br-back, masquerade: false,")));
    assertEquals(Optional.of("10.92.0.10"), seenBy(listen(ns("web"), 80), ns("other"), HOST, 8080));
  }

  /**
   * route_localnet lets 127.0.0.1 reach the bridge; it must not let a member reach the host's
   * loopback services (CVE-2020-8558 in kube-proxy). A member that routes 127.0.0.0/8 to its
   * gateway (any root in the container can) sends to the host's 127.0.0.1.
   */
  @Test
  void membersDoNotReachTheHostsLoopbackServices() throws Exception {
    Hosts.converge(sandbox.host(), BehaviourTest.yaml(STATE));
    NetnsHandle web = ns("web");
    run(web, "ip", "route", "del", "local", "127.0.0.0/8", "dev", "lo", "table", "local");
    run(web, "ip", "route", "del", "local", "127.0.0.1", "dev", "lo", "table", "local");
    run(web, "ip", "route", "add", "127.0.0.0/8", "via", "10.91.0.1", "dev", "eth0");
    DatagramSocket loopbackService = sandbox.host().root().call(() -> new DatagramSocket(
        new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 9999)));
    open.add(loopbackService);
    loopbackService.setSoTimeout(1500);
    web.call(() -> {
      try (DatagramSocket s = new DatagramSocket()) {
        s.send(new DatagramPacket(new byte[] {1}, 1, InetAddress.getByName("127.0.0.1"), 9999));
      }
      return null;
    });
    DatagramPacket got = new DatagramPacket(new byte[16], 16);
    try {
      loopbackService.receive(got);
      throw new AssertionError("the host's loopback service got a datagram from " + got.getAddress());
    } catch (SocketTimeoutException expected) {
      // dropped before routing
    }
  }

  static void run(NetnsHandle where, String... command) throws Exception {
    output(where, command);
  }

  /** What {@code command} printed in {@code where}; it must succeed. */
  static String output(NetnsHandle where, String... command) throws Exception {
    Process p = where.start(new ProcessBuilder(command).redirectErrorStream(true));
    String out = new String(p.getInputStream().readAllBytes());
    assertEquals(0, p.waitFor(), String.join(" ", command) + ": " + out);
    return out;
  }

  @Test
  void anExplicitUnspecifiedAddressPublishesOnEveryAddress() throws Exception {
    Hosts.converge(sandbox.host(), BehaviourTest.yaml(STATE.replace("\"8080:80\"", "\"0.0.0.0:8080:80\"")));
    ServerSocket web = listen(ns("web"), 80);
    assertTrue(seenBy(web, sandbox.world(), HOST, 8080).isPresent(), "0.0.0.0 is every address, not 0.0.0.0/32");
  }
}
