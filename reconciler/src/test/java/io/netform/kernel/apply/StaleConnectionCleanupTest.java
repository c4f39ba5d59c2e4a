package io.netform.kernel.apply;

import static io.netform.plan.StaleConnectionsTest.state;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netform.kernel.KernelTest;
import io.netform.kernel.netlink.Conntrack;
import io.netform.kernel.netlink.NetlinkSocket;
import io.netform.kernel.netlink.Nfnetlink;
import io.netform.kernel.netns.NetnsHandle;
import io.netform.kernel.sandbox.Sandbox;
import io.netform.net.IpAddress;
import io.netform.net.TrackedConnection;
import io.netform.testing.Hosts;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A UDP client that keeps sending from one port is one tracked connection, NATed by the rules as
 * they were at its first datagram. After an apply that moves, removes or re-gives what it reached,
 * its next datagram goes where the desired state now says, and a connection netform removed
 * nothing of is left alone. Real UDP (and TCP) in a sandbox, from the world through the host's
 * address; containers a and b of {@link io.netform.plan.StaleConnectionsTest#state}.
 */
@KernelTest
class StaleConnectionCleanupTest extends InSandbox {

  static final String HOST = Sandbox.HOST_ADDRESS.toString();
  static final int CLIENT_PORT = 6000;
  static final int OTHER_CLIENT_PORT = 6001;

  @Test
  void aMovedThenRemovedUdpPortIsFollowedByTheSameClientAndAnotherPortsClientIsLeftAlone() throws Exception {
    Hosts.converge(sandbox.host(), BehaviourTest.yaml(state("\"9001:7001/udp\"", "\"9002:7002/udp\"")));
    DatagramSocket a = udp(ns("a"), 7001);
    DatagramSocket b = udp(ns("b"), 7001);
    DatagramSocket bOther = udp(ns("b"), 7002);
    DatagramSocket client = udp(sandbox.world(), CLIENT_PORT);
    DatagramSocket otherClient = udp(sandbox.world(), OTHER_CLIENT_PORT);
    send(client, HOST, 9001, "first");
    assertEquals(Optional.of("first"), received(a), "published on a: a gets it");
    send(otherClient, HOST, 9002, "other");
    assertEquals(Optional.of("other"), received(bOther));
    long otherId = trackedFrom(OTHER_CLIENT_PORT).orElseThrow(() -> new AssertionError("the other client is tracked")).id();

    Hosts.converge(sandbox.host(), BehaviourTest.yaml(state("", "\"9001:7001/udp\", \"9002:7002/udp\"")));
    assertEquals(Optional.of(otherId), trackedFrom(OTHER_CLIENT_PORT).map(TrackedConnection::id),
        "a connection to a port that stayed where it was is not touched");
    send(client, HOST, 9001, "moved");
    assertEquals(Optional.of("moved"), received(b), "the port moved to b: the same client now reaches b");
    assertEquals(Optional.empty(), received(a), "and no longer a");

    Hosts.converge(sandbox.host(), BehaviourTest.yaml(state("", "\"9002:7002/udp\"")));
    send(client, HOST, 9001, "unpublished");
    assertEquals(Optional.empty(), received(b), "unpublished: b gets nothing");
    assertEquals(Optional.empty(), received(a));
    send(otherClient, HOST, 9002, "still");
    assertEquals(Optional.of("still"), received(bOther), "the other port still works");
  }

  /** The containers of {@link io.netform.plan.StaleConnectionsTest#state} with IPv6 addresses too (fd00:91::10, ::11). */
  static String ipv6State(String aPorts, String bPorts) {
    return state(aPorts, bPorts).replace("ipam: {config: [{subnet: 10.91.0.0/24}]}",
            "enable_ipv6: true, ipam: {config: [{subnet: 10.91.0.0/24}, {subnet: \"fd00:91::/64\"}]}")
        .replace("ipv4_address: 10.91.0.10", "ipv4_address: 10.91.0.10, ipv6_address: \"fd00:91::10\"")
        .replace("ipv4_address: 10.91.0.11", "ipv4_address: 10.91.0.11, ipv6_address: \"fd00:91::11\"");
  }

  @Test
  void aUdpPortMovedOverIpv6IsFollowedByTheSameClient() throws Exception {
    Hosts.converge(sandbox.host(), BehaviourTest.yaml(ipv6State("\"9001:7001/udp\"", "")));
    DatagramSocket a = udp(ns("a"), 7001);
    DatagramSocket b = udp(ns("b"), 7001);
    DatagramSocket client = udp(sandbox.world(), CLIENT_PORT);
    String host6 = Sandbox.HOST_ADDRESS_V6.toString();
    assertEquals(Optional.of("first"), sentUntilReceived(client, host6, 9001, "first", a));

    Hosts.converge(sandbox.host(), BehaviourTest.yaml(ipv6State("", "\"9001:7001/udp\"")));
    assertEquals(Optional.of("moved"), sentUntilReceived(client, host6, 9001, "moved", b),
        "the port moved to b: the same IPv6 client now reaches b");
    assertFalse(allReceived(a).contains("moved"), "and no longer a (which may still get late copies of the first)");
  }

  /**
   * Unpublished means unreachable for TCP too: the next segment of a connection made through the
   * port is the host's, which knows no such connection and resets it.
   */
  @Test
  void anEstablishedTcpConnectionThroughAnUnpublishedPortEnds() throws Exception {
    Hosts.converge(sandbox.host(), BehaviourTest.yaml(state("\"8080:80\"", "")));
    ServerSocket server = listen(ns("a"), 80);
    server.setSoTimeout(2000);
    Socket client = sandbox.world().call(() -> new Socket(HOST, 8080));
    open.add(client);
    Socket served = server.accept();
    open.add(served);
    client.getOutputStream().write(1);
    assertEquals(1, served.getInputStream().read(), "connected through the published port");

    Hosts.converge(sandbox.host(), BehaviourTest.yaml(state("", "")));
    client.getOutputStream().write(2);
    client.setSoTimeout(2000);
    IOException ended = assertThrows(IOException.class, () -> client.getInputStream().read());
    assertFalse(ended instanceof SocketTimeoutException, "reset, not left hanging on to a: " + ended);
  }

  /**
   * Docker's reason to clear ports it publishes (moby issue 8795): a client that sent before the
   * port was published made a connection to the host itself, which would keep it from the container.
   */
  @Test
  void aClientThatSentBeforeAUdpPortWasPublishedReachesTheContainerOnceItIs() throws Exception {
    Hosts.converge(sandbox.host(), BehaviourTest.yaml(state("", "")));
    DatagramSocket a = udp(ns("a"), 7001);
    DatagramSocket client = udp(sandbox.world(), CLIENT_PORT);
    send(client, HOST, 9001, "early");
    assertTrue(trackedFrom(CLIENT_PORT).isPresent(), "the host tracks the early client");
    assertEquals(Optional.empty(), received(a), "nothing published yet");

    Hosts.converge(sandbox.host(), BehaviourTest.yaml(state("\"9001:7001/udp\"", "")));
    send(client, HOST, 9001, "published");
    assertEquals(Optional.of("published"), received(a));
  }

  /**
   * A container's address given to another container: the answers to the removed container's
   * connections (masqueraded through the host) must not reach the new one.
   */
  @Test
  void aContainerGivenARemovedContainersAddressDoesNotGetItsAnswers() throws Exception {
    Hosts.converge(sandbox.host(), BehaviourTest.yaml(state("", "")));
    DatagramSocket a = udp(ns("a"), 5000);
    DatagramSocket world = udp(sandbox.world(), CLIENT_PORT);
    send(a, Sandbox.WORLD_ADDRESS.toString(), CLIENT_PORT, "from a");
    DatagramPacket got = receive(world).orElseThrow(() -> new AssertionError("a reaches the world"));
    SocketAddress aSeenAs = got.getSocketAddress();
    IpAddress aAddress = IpAddress.parse("10.91.0.10");
    assertTrue(tracked().stream().anyMatch(t -> t.original().source().equals(aAddress)), "a's connection is tracked");

    String reused = state("", "").replace("a: {networks: {front: {ipv4_address: 10.91.0.10}}, ports: []}",
        "c: {networks: {front: {ipv4_address: 10.91.0.10}}}");
    Hosts.converge(sandbox.host(), BehaviourTest.yaml(reused));
    assertTrue(tracked().stream().noneMatch(t -> t.original().source().equals(aAddress)),
        "a's connection went with its address (nothing else could keep c from its answers)");
    DatagramSocket c = udp(ns("c"), 5000);
    byte[] answer = "answer for a".getBytes(StandardCharsets.UTF_8);
    world.send(new DatagramPacket(answer, answer.length, aSeenAs));
    assertEquals(Optional.empty(), received(c), "c has a's address, not a's connections");
  }

  private DatagramSocket udp(NetnsHandle where, int port) {
    DatagramSocket s = where.call(() -> new DatagramSocket(new InetSocketAddress(port)));
    open.add(s);
    return s;
  }

  private static void send(DatagramSocket from, String address, int port, String text) throws Exception {
    byte[] data = text.getBytes(StandardCharsets.UTF_8);
    from.send(new DatagramPacket(data, data.length, InetAddress.getByName(address), port));
  }

  /**
   * Sends {@code text} from {@code from} until {@code receiver} gets it, three times at most: the
   * first datagrams to a new IPv6 neighbour may wait out the bridge's duplicate address detection.
   */
  private static Optional<String> sentUntilReceived(DatagramSocket from, String address, int port, String text,
      DatagramSocket receiver) throws Exception {
    for (int i = 0; i < 3; i++) {
      send(from, address, port, text);
      Optional<String> got = received(receiver);
      if (got.isPresent()) {
        return got;
      }
    }
    return Optional.empty();
  }

  /** The text of the next datagram {@code s} receives within a second; empty if none came. */
  private static Optional<String> received(DatagramSocket s) throws Exception {
    return receive(s).map(p -> new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8));
  }

  /** The texts of every datagram {@code s} receives until none comes for a second. */
  private static List<String> allReceived(DatagramSocket s) throws Exception {
    List<String> out = new ArrayList<>();
    for (Optional<String> got = received(s); got.isPresent(); got = received(s)) {
      out.add(got.get());
    }
    return out;
  }

  private static Optional<DatagramPacket> receive(DatagramSocket s) throws Exception {
    s.setSoTimeout(1000);
    DatagramPacket p = new DatagramPacket(new byte[512], 512);
    try {
      s.receive(p);
      return Optional.of(p);
    } catch (SocketTimeoutException e) {
      return Optional.empty();
    }
  }

  /** The host's tracked connection from the world's {@code port}. */
  private Optional<TrackedConnection> trackedFrom(int port) {
    return tracked().stream().filter(c -> c.original().source().equals(Sandbox.WORLD_ADDRESS)
        && c.original().sourcePort() == port).findFirst();
  }

  /** The sandbox host's tracked IPv4 connections. */
  private List<TrackedConnection> tracked() {
    NetnsHandle host = sandbox.host().root();
    try (NetlinkSocket socket = host.call(Nfnetlink::open)) {
      return new Conntrack(socket).connections(IpAddress.Family.V4);
    }
  }
}
