package io.netform.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netform.kernel.KernelTest;
import io.netform.kernel.netns.NetnsHandle;
import io.netform.kernel.sandbox.Sandbox;
import io.netform.testing.Conditions;
import io.netform.testing.Dns;
import io.netform.testing.FakeUpstream;
import io.netform.testing.Hosts;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * What breaks Docker's embedded DNS does not break this one: a firewall flush (no NAT rules to
 * lose), a slow upstream (forwards wait aside), garbage, oversized packets, floods of queries and
 * of connections (bounded tables; names keep being answered).
 */
@KernelTest
class NameServiceFaultsTest {

  private static final String TWO = """
      version: 1
      networks:
        net: {ipam: {config: [{subnet: 10.81.0.0/24}]}}
      containers:
        a: {networks: {net: {aliases: [alpha]}}}
        b: {networks: [net]}
      """;

  Sandbox sandbox;
  FakeUpstream upstream;
  NameService names;
  NetnsHandle a;
  NetnsHandle b;

  @BeforeEach
  void setUp() throws IOException {
    sandbox = Sandbox.create(Files.createTempDirectory("netform-sandboxes"));
    upstream = new FakeUpstream(sandbox.world(), Sandbox.WORLD_ADDRESS.toString(), Map.of("example.test", "192.0.2.80"));
    Hosts.converge(sandbox.host(), Hosts.desired(TWO));
    names = NameService.start(sandbox.host());
    a = NetnsHandle.open("a", sandbox.host().namespaces().path("a"));
    b = NetnsHandle.open("b", sandbox.host().namespaces().path("b"));
  }

  @AfterEach
  void tearDown() throws IOException {
    a.close();
    b.close();
    names.close();
    upstream.close();
    sandbox.close();
  }

  private static void run(NetnsHandle ns, String... command) throws InterruptedException {
    assertEquals(0, ns.start(new ProcessBuilder(command).redirectErrorStream(true)).waitFor(), String.join(" ", command));
  }

  @Test
  void namesSurviveAFlushOfEveryFirewallTable() throws Exception {
    for (NetnsHandle ns : List.of(sandbox.host().root(), a, b)) {
      for (String table : List.of("filter", "nat", "mangle", "raw")) {
        run(ns, "iptables", "-t", table, "-F");
        run(ns, "iptables", "-t", table, "-X");
      }
    }
    assertTrue(Dns.a(b, "alpha").resolved(), "over UDP");
    assertTrue(Dns.tcp(b, "a").resolved(), "over TCP: " + Dns.tcp(b, "a"));
    assertEquals(List.of("192.0.2.80"), Dns.a(a, "example.test").addresses(), "and forwarding");
  }

  @Test
  void aSlowUpstreamHoldsUpNoAnswerAboutAContainer() throws Exception {
    upstream.delay(3000);
    Thread slow = new Thread(() -> Dns.a(a, "example.test"));
    slow.start();
    assertTrue(Conditions.within(Duration.ofSeconds(2), () -> upstream.queries() > 0), "the forward reached upstream");
    // The upstream answers in 3 s; a container's name must come back long before that.
    assertTrue(b.call(() -> Dns.ask("a", Type.A, new InetSocketAddress("127.0.0.11", 53), 1000)).resolved());
    slow.join();
  }

  @Test
  void garbageAndOversizedPacketsAreAnsweredOrDroppedAndNamesKeepWorking() throws Exception {
    Random random = new Random(12);
    a.call(() -> {
      try (DatagramChannel ch = DatagramChannel.open()) {
        ch.connect(new InetSocketAddress("127.0.0.11", 53));
        for (int i = 0; i < 5000; i++) {
          byte[] junk = new byte[random.nextInt(700)];
          random.nextBytes(junk);
          ch.write(ByteBuffer.wrap(junk));
        }
        ch.write(ByteBuffer.allocate(65000)); // the largest datagram loopback carries, zeros
      }
      try (SocketChannel tcp = SocketChannel.open(new InetSocketAddress("127.0.0.11", 53))) {
        tcp.write(ByteBuffer.wrap(new byte[] {(byte) 0xff, (byte) 0xff, 1, 2, 3})); // a message announced, never sent
      }
      return null;
    });
    assertTrue(Conditions.within(Duration.ofSeconds(5), () -> names.server().counters().malformed.get() > 0));
    assertTrue(Dns.a(b, "alpha").resolved());
    assertTrue(Dns.tcp(a, "b").resolved());
  }

  @Test
  void aFloodOfForwardsAndConnectionsIsBoundedAndNamesKeepWorking() throws Exception {
    upstream.delay(10_000); // nothing comes back: every forward waits until the table is full
    long start = System.nanoTime();
    a.call(() -> {
      try (DatagramChannel ch = DatagramChannel.open()) {
        ch.connect(new InetSocketAddress("127.0.0.11", 53));
        for (int i = 0; i < DnsServer.MAX_PENDING * 2; i++) {
          ch.write(ByteBuffer.wrap(Message.newQuery(Record.newRecord(Name.fromString("n" + i + ".example.test."), Type.A,
              DClass.IN)).toWire()));
          if (i % 50 == 49) {
            Thread.sleep(2); // in bursts a socket buffer holds, so the queries reach the server
          }
        }
      }
      return null;
    });
    // Before the first forward times out, only a full table can fail one (SERVFAIL at once).
    long left = DnsServer.UPSTREAM_TIMEOUT_NANOS - (System.nanoTime() - start);
    assertTrue(left > 0, "the flood outlasted the upstream timeout: a timed-out forward would pass as a refused one");
    assertTrue(Conditions.within(Duration.ofNanos(left), () -> names.server().counters().upstreamFailed.get() > 0),
        "the table of forwards is bounded: " + names.server().counters().forwarded + " forwarded");
    assertTrue(Dns.a(b, "alpha").resolved(), "names are answered meanwhile");

    List<SocketChannel> held = new ArrayList<>();
    try {
      a.call(() -> {
        for (int i = 0; i < DnsServer.MAX_TCP_PER_NAMESPACE + 8; i++) {
          held.add(SocketChannel.open(new InetSocketAddress("127.0.0.11", 53)));
        }
        return null;
      });
      assertTrue(Conditions.within(Duration.ofSeconds(5), () -> names.server().counters().refusedConnections.get() > 0),
          "connections beyond the namespace's share are closed");
      assertTrue(Dns.tcp(b, "a").resolved(), "another namespace still gets its TCP answers");
    } finally {
      for (SocketChannel c : held) {
        c.close();
      }
    }
  }

  @Test
  void aLoopbackResolverOfTheHostIsForwardedToFromTheHostsSide() throws Exception {
    // systemd-resolved's stub: on the host's loopback, which no container's loopback reaches.
    try (FakeUpstream stub = new FakeUpstream(sandbox.host().root(), "127.0.0.53", Map.of("stub.test", "192.0.2.53"))) {
      Files.writeString(sandbox.host().names().hostResolvConf(), "nameserver 127.0.0.53\n");
      names.sync(); // the host's resolv.conf is read at each sync
      assertEquals(List.of("192.0.2.53"), Dns.a(a, "stub.test").addresses());
      assertEquals(0, upstream.queries(), "not to the world");
    }
  }

  @Test
  void anUpstreamWithoutARouteIsSkippedAtOnce() throws Exception {
    // The host has no route to the first of a's servers (the sandbox's IPv6 uplink would carry it,
    // so the route is made unreachable): it cannot be sent to; the second answers.
    Process route = sandbox.host().root().start(
        new ProcessBuilder("ip", "-6", "route", "add", "unreachable", "2001:db8::53/128").redirectErrorStream(true));
    assertEquals(0, route.waitFor(), new String(route.getInputStream().readAllBytes()));
    Hosts.converge(sandbox.host(), Hosts.desired(TWO.replace("a: {networks: {net: {aliases: [alpha]}}}",
        "a: {networks: {net: {aliases: [alpha]}}, dns: [\"2001:db8::53\", \"" + Sandbox.WORLD_ADDRESS + "\"]}")));
    names.sync();
    // Well before the 2 s an upstream is waited for: the unreachable one is not waited for at all.
    Dns.Lookup got = a.call(() -> Dns.ask("example.test", Type.A, new InetSocketAddress("127.0.0.11", 53), 1000));
    assertEquals(List.of("192.0.2.80"), got.addresses(), got.toString());
  }
}
