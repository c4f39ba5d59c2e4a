package io.netform.kernel.apply;

import static io.netform.kernel.apply.StaleConnectionCleanupTest.ipv6State;
import static io.netform.plan.StaleConnectionsTest.state;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netform.desired.Protocol;
import io.netform.kernel.KernelTest;
import io.netform.kernel.netlink.Conntrack;
import io.netform.kernel.netlink.NetlinkException;
import io.netform.kernel.netlink.NetlinkSocket;
import io.netform.kernel.netlink.Nfnetlink;
import io.netform.kernel.netns.NetnsHandle;
import io.netform.kernel.sandbox.Sandbox;
import io.netform.model.PortForward;
import io.netform.net.ConnectionFilter;
import io.netform.net.IpAddress;
import io.netform.net.TrackedConnection;
import io.netform.plan.StaleConnections;
import io.netform.testing.Hosts;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * The kernel picks the stale candidates: among thousands of unrelated tracked connections, a
 * filtered dump hands over only those a removed port or address involves, and only the stale
 * ones are deleted. Counted through {@link StaleConnectionCleanup.Tracker}, as the clean-up
 * reads them. Real UDP in a sandbox: the world sends to the host's own ports (unrelated) and to
 * ports it publishes for containers a and b of {@link io.netform.plan.StaleConnectionsTest#state}.
 */
@KernelTest
class StaleConnectionFilterTest extends InSandbox {

  static final int UNRELATED = 2000;
  static final int FIRST_UNRELATED_PORT = 20000;
  static final IpAddress A = IpAddress.parse("10.91.0.10");
  static final IpAddress A6 = IpAddress.parse("fd00:91::10");

  /** Counts the connections each way of reading hands over. */
  static class Counted implements StaleConnectionCleanup.Tracker {
    private StaleConnectionCleanup.Tracker tracker;
    int selected;
    int all;

    /** Counts what {@code tracker} (the clean-up's own) hands over. */
    Counted reading(StaleConnectionCleanup.Tracker tracker) {
      this.tracker = tracker;
      return this;
    }

    @Override
    public List<TrackedConnection> all(IpAddress.Family family) {
      List<TrackedConnection> read = tracker.all(family);
      all += read.size();
      return read;
    }

    @Override
    public List<TrackedConnection> selected(ConnectionFilter filter) {
      List<TrackedConnection> read = tracker.selected(filter);
      selected += read.size();
      return read;
    }
  }

  /** A kernel before filtered dumps' time, as far as the clean-up can tell: it refuses each one. */
  static final class RefusingFilters extends Counted {
    @Override
    public List<TrackedConnection> selected(ConnectionFilter filter) {
      throw new NetlinkException(95 /* EOPNOTSUPP */, "reading the tracked connections a filter selects", null);
    }
  }

  @Test
  void aRemovedPortsDumpHandsOverOnlyItsConnectionAndOnlyThatOneIsDeleted() throws Exception {
    Hosts.converge(sandbox.host(), BehaviourTest.yaml(state("\"9001:7001/udp\"", "\"9002:7002/udp\"")));
    DatagramSocket client = udp(sandbox.world(), 6000);
    send(client, Sandbox.HOST_ADDRESS, 9001);
    send(udp(sandbox.world(), 6001), Sandbox.HOST_ADDRESS, 9002); // b's port: no match
    sendUnrelated(Sandbox.HOST_ADDRESS);
    awaitTracked(IpAddress.Family.V4, UNRELATED + 2);

    Counted counted = new Counted();
    int deleted = StaleConnectionCleanup.run(sandbox.host().root(), removedForward(Sandbox.HOST_ADDRESS, A),
        counted::reading);
    assertEquals(1, counted.selected, "the kernel handed over the one connection the removed rule rewrote");
    assertEquals(0, counted.all, "and no full dump was read");
    assertEquals(1, deleted);
    assertOnlyTheStaleOneGone(IpAddress.Family.V4);
  }

  @Test
  void aRemovedAddressesDumpsHandOverOnlyConnectionsWithItAtAnEnd() throws Exception {
    Hosts.converge(sandbox.host(), BehaviourTest.yaml(state("\"9001:7001/udp\"", "\"9002:7002/udp\"")));
    send(udp(sandbox.world(), 6000), Sandbox.HOST_ADDRESS, 9001); // to a, DNATed: a is the reply's source
    send(udp(ns("a"), 5000), Sandbox.WORLD_ADDRESS, 6100); // from a, masqueraded: a is the original source
    send(udp(sandbox.world(), 6001), Sandbox.HOST_ADDRESS, 9002);
    sendUnrelated(Sandbox.HOST_ADDRESS);
    awaitTracked(IpAddress.Family.V4, UNRELATED + 3);

    Counted counted = new Counted();
    StaleConnections stale = new StaleConnections(List.of(), Set.of(A), List.of());
    int deleted = StaleConnectionCleanup.run(sandbox.host().root(), stale, counted::reading);
    assertEquals(2, counted.selected, "a's two connections, each selected by one of the four filters");
    assertEquals(2, deleted);
    List<TrackedConnection> left = tracked(IpAddress.Family.V4);
    assertTrue(left.stream().noneMatch(c -> c.original().source().equals(A) || c.reply().source().equals(A)));
    assertTrue(left.stream().anyMatch(from(6001)), "b's stays");
    assertEquals(UNRELATED, unrelated(left), "every unrelated connection stays");
  }

  @Test
  void anIpv6RemovedPortsDumpHandsOverOnlyItsConnectionSelectedByPortsAlone() throws Exception {
    sendIpv6();
    Counted counted = new Counted();
    int deleted = StaleConnectionCleanup.run(sandbox.host().root(), removedForward(Sandbox.HOST_ADDRESS_V6, A6),
        counted::reading);
    assertEquals(1, counted.selected, "host port 9001 to container port 7001: a's connection alone");
    assertEquals(0, counted.all);
    assertEquals(1, deleted);
    assertOnlyTheStaleOneGone(IpAddress.Family.V6);
  }

  /** The kernel compares IPv6 addresses inverted ({@link Conntrack#asked}): a's table is read whole, once. */
  @Test
  void anIpv6RemovedAddressHasItsFamilysTableReadOnceAndOnlyItsConnectionDeleted() throws Exception {
    sendIpv6();
    Counted counted = new Counted();
    StaleConnections stale = new StaleConnections(List.of(), Set.of(A6), List.of());
    int deleted = StaleConnectionCleanup.run(sandbox.host().root(), stale, counted::reading);
    assertEquals(0, counted.selected);
    assertTrue(counted.all >= UNRELATED + 2 && counted.all < 2 * UNRELATED, "one full dump: " + counted.all);
    assertEquals(1, deleted);
    assertOnlyTheStaleOneGone(IpAddress.Family.V6);
  }

  /** Over IPv6, from the world: to a's published port from 6000, to b's from 6001, and the unrelated ones. */
  private void sendIpv6() throws Exception {
    Hosts.converge(sandbox.host(), BehaviourTest.yaml(ipv6State("\"9001:7001/udp\"", "\"9002:7002/udp\"")));
    send(udp(sandbox.world(), 6000), Sandbox.HOST_ADDRESS_V6, 9001);
    send(udp(sandbox.world(), 6001), Sandbox.HOST_ADDRESS_V6, 9002);
    sendUnrelated(Sandbox.HOST_ADDRESS_V6);
    awaitTracked(IpAddress.Family.V6, UNRELATED + 2);
  }

  /** The connection from the world's 6000 is gone; that from 6001 and the unrelated ones stay. */
  private void assertOnlyTheStaleOneGone(IpAddress.Family family) {
    List<TrackedConnection> left = tracked(family);
    assertTrue(left.stream().noneMatch(from(6000)), "the stale connection is gone");
    assertTrue(left.stream().anyMatch(from(6001)), "b's stays");
    assertEquals(UNRELATED, unrelated(left), "every unrelated connection stays");
  }

  @Test
  void aKernelThatRefusesFiltersHasItsWholeTableReadAndStillOnlyTheStaleOneDeleted() throws Exception {
    Hosts.converge(sandbox.host(), BehaviourTest.yaml(state("\"9001:7001/udp\"", "\"9002:7002/udp\"")));
    send(udp(sandbox.world(), 6000), Sandbox.HOST_ADDRESS, 9001);
    send(udp(sandbox.world(), 6001), Sandbox.HOST_ADDRESS, 9002);
    sendUnrelated(Sandbox.HOST_ADDRESS);
    awaitTracked(IpAddress.Family.V4, UNRELATED + 2);

    RefusingFilters refusing = new RefusingFilters();
    int deleted = StaleConnectionCleanup.run(sandbox.host().root(), removedForward(Sandbox.HOST_ADDRESS, A),
        refusing::reading);
    assertTrue(refusing.all >= UNRELATED + 2, "the whole table was read: " + refusing.all);
    assertEquals(1, deleted);
    assertOnlyTheStaleOneGone(IpAddress.Family.V4);
  }

  /** The removal of a's published UDP port 9001 (to its 7001) on {@code host}'s family. */
  private static StaleConnections removedForward(IpAddress host, IpAddress container) {
    PortForward forward = new PortForward(host.family(), Protocol.UDP, Optional.empty(), 9001, container, 7001);
    return new StaleConnections(List.of(forward), Set.of(), List.of());
  }

  private static Predicate<TrackedConnection> from(int worldPort) {
    return c -> c.original().sourcePort() == worldPort && c.original().destinationPort() < FIRST_UNRELATED_PORT;
  }

  private static long unrelated(List<TrackedConnection> tracked) {
    return tracked.stream().filter(c -> c.original().destinationPort() >= FIRST_UNRELATED_PORT
        && c.original().destinationPort() < FIRST_UNRELATED_PORT + UNRELATED).count();
  }

  /** A datagram from one world socket to each of {@link #UNRELATED} ports of the host itself: as many connections. */
  private void sendUnrelated(IpAddress host) throws Exception {
    DatagramSocket world = udp(sandbox.world(), 7777);
    for (int i = 0; i < UNRELATED; i++) {
      send(world, host, FIRST_UNRELATED_PORT + i);
    }
  }

  /** Waits (5 s at most) until the host tracks {@code count} connections of {@code family}: datagrams cross a veth. */
  private void awaitTracked(IpAddress.Family family, int count) throws InterruptedException {
    for (int i = 0; i < 50 && tracked(family).size() < count; i++) {
      Thread.sleep(100);
    }
    assertTrue(tracked(family).size() >= count, "the host tracks the connections sent");
  }

  private List<TrackedConnection> tracked(IpAddress.Family family) {
    NetnsHandle host = sandbox.host().root();
    try (NetlinkSocket socket = host.call(Nfnetlink::open)) {
      return new Conntrack(socket).connections(family);
    }
  }

  private DatagramSocket udp(NetnsHandle where, int port) {
    DatagramSocket s = where.call(() -> new DatagramSocket(new InetSocketAddress(port)));
    open.add(s);
    return s;
  }

  private static void send(DatagramSocket from, IpAddress to, int port) throws Exception {
    byte[] data = {1};
    from.send(new DatagramPacket(data, 1, InetAddress.getByName(to.toString()), port));
  }
}
