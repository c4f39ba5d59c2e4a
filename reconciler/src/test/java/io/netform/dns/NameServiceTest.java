package io.netform.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netform.desired.DesiredState;
import io.netform.kernel.KernelTest;
import io.netform.kernel.netns.NetnsHandle;
import io.netform.kernel.observe.HostObserver;
import io.netform.kernel.sandbox.Sandbox;
import io.netform.model.AddressObject;
import io.netform.model.KernelObject;
import io.netform.net.Cidr;
import io.netform.testing.Conditions;
import io.netform.testing.Dns;
import io.netform.testing.FakeUpstream;
import io.netform.testing.Hosts;
import io.netform.testing.IpNetnsView;
import io.netform.testing.RepoFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Type;

/**
 * The embedded DNS on a sandbox holding the names example (14) and the default network with a
 * link (04): every container asks for every name, through a DNS query to 127.0.0.11 and through
 * {@code ip netns exec NAME getent}, and gets exactly the addresses its networks give it; the
 * answers follow applies that add, move and remove containers; names survive a firewall flush.
 */
@KernelTest
class NameServiceTest {

  /** What each container resolves, as NAME=CONTAINER@NETWORK (several for a shared alias); every other name must not. */
  private static final Map<String, String> RESOLVES = Map.of(
      "proxy", "shop-api=shop-api@shop-front api=shop-api@shop-front proxy=proxy@shop-front www=proxy@shop-front",
      "shop-api", "shop-db=shop-db@shop-back db=shop-db@shop-back,shop-replica@shop-back postgres=shop-db@shop-back "
          + "shop-replica=shop-replica@shop-back database=shop-db@shop-back shop-api=shop-api@shop-back "
          + "proxy=proxy@shop-front www=proxy@shop-front api=shop-api@shop-front shop-db.shop-back=shop-db@shop-back",
      "shop-db", "shop-db=shop-db@shop-back db=shop-db@shop-back,shop-replica@shop-back postgres=shop-db@shop-back "
          + "shop-replica=shop-replica@shop-back shop-api=shop-api@shop-back shop-db.shop-back=shop-db@shop-back",
      "web1", "web1=web1@mynetwork");
  private static final List<String> ALL_NAMES = List.of("shop-db", "db", "postgres", "shop-replica", "shop-api", "api",
      "database", "proxy", "www", "web1", "web2", "webserver", "shop-db.shop-back");
  private static final Map<String, Cidr> SUBNETS = Map.of("shop-front", Cidr.parse("10.80.1.0/24"),
      "shop-back", Cidr.parse("10.80.2.0/24"), "mynetwork", Cidr.parse("0.0.0.0/0"));

  Sandbox sandbox;
  FakeUpstream upstream;
  NameService names;
  final Map<String, NetnsHandle> handles = new HashMap<>();

  @BeforeEach
  void setUp() throws IOException {
    sandbox = Sandbox.create(Files.createTempDirectory("netform-sandboxes"));
    upstream = new FakeUpstream(sandbox.world(), Sandbox.WORLD_ADDRESS.toString(), Map.of("example.test", "192.0.2.80"));
    names = NameService.start(sandbox.host());
  }

  @AfterEach
  void tearDown() throws IOException {
    handles.values().forEach(NetnsHandle::close);
    names.close();
    upstream.close();
    sandbox.close();
  }

  private static DesiredState examples() {
    return Hosts.examples(RepoFiles.examples().resolve("14-names-aliases-links.yaml"),
        RepoFiles.examples().resolve("04-mynetwork-and-default-bridge.yaml"));
  }

  private NetnsHandle ns(String container) {
    return handles.computeIfAbsent(container, c -> NetnsHandle.open(c, sandbox.host().namespaces().path(c)));
  }

  /** Each container's IPv4 address on each network, read from the kernel. */
  private Map<String, String> addresses() {
    Map<String, String> out = new HashMap<>();
    for (KernelObject o : new HostObserver(sandbox.host()).observe().owned().objects().values()) {
      if (o instanceof AddressObject a && !a.namespace().isEmpty() && a.address().address().isV4()) {
        SUBNETS.forEach((net, subnet) -> {
          if (subnet.contains(a.address().address()) && (subnet.prefix() > 0 || !a.device().equals("eth0"))) {
            out.put(a.namespace() + "@" + net, a.address().address().toString());
          }
        });
      }
    }
    return out;
  }

  /** The addresses {@code asker} must get for each name it resolves. */
  private Map<String, Set<String>> expected(String asker, Map<String, String> addresses) {
    Map<String, Set<String>> out = new LinkedHashMap<>();
    for (String entry : RESOLVES.get(asker).split(" ")) {
      String[] kv = entry.split("=");
      Set<String> ips = new TreeSet<>();
      for (String target : kv[1].split(",")) {
        ips.add(addresses.get(target));
      }
      out.put(kv[0], ips);
    }
    return out;
  }

  @Test
  void everyContainerResolvesExactlyTheNamesOfItsNetworks() throws Exception {
    Hosts.converge(sandbox.host(), examples());
    names.sync(); // the watch would do it within milliseconds; here there is no need to wait
    Map<String, String> addresses = addresses();
    List<String> wrong = new ArrayList<>();
    for (String asker : RESOLVES.keySet()) {
      Map<String, Set<String>> want = expected(asker, addresses);
      for (String name : ALL_NAMES) {
        Dns.Lookup got = Dns.a(ns(asker), name);
        Set<String> expect = want.getOrDefault(name, Set.of());
        boolean ok = expect.isEmpty() ? got.rcode().equals("NXDOMAIN") : new TreeSet<>(got.addresses()).equals(expect);
        if (!ok) {
          wrong.add(asker + " -> " + name + ": " + got + ", expected " + (expect.isEmpty() ? "NXDOMAIN" : expect));
        }
      }
    }
    assertEquals(List.of(), wrong);
    assertEquals(List.of("192.0.2.80"), Dns.a(ns("proxy"), "example.test").addresses(), "other names go upstream");
    assertEquals("NOERROR", Dns.query(ns("proxy"), "www", Type.AAAA).rcode(), "a name without IPv6: no data, no error");
    assertEquals(List.of("proxy.shop-front."), Dns.query(ns("shop-api"),
        reverse(addresses.get("proxy@shop-front")), Type.PTR).addresses(), "reverse lookups of a shared network");
  }

  private static String reverse(String ipv4) {
    String[] p = ipv4.split("\\.");
    return p[3] + "." + p[2] + "." + p[1] + "." + p[0] + ".in-addr.arpa";
  }

  @Test
  void getentInIpNetnsExecSeesTheSameNamesAndTheHostsFile() throws Exception {
    Hosts.converge(sandbox.host(), examples());
    names.sync();
    Map<String, String> addresses = addresses();
    List<String> wrong = new ArrayList<>();
    try (IpNetnsView view = new IpNetnsView(sandbox)) {
      for (String asker : RESOLVES.keySet()) {
        Map<String, Set<String>> want = expected(asker, addresses);
        for (String name : ALL_NAMES) {
          String out = IpNetnsView.exec(asker, "getent", "ahostsv4", name);
          Set<String> got = new TreeSet<>();
          out.lines().filter(l -> l.contains("STREAM")).forEach(l -> got.add(l.split("\\s+")[0]));
          Set<String> expect = want.getOrDefault(name, Set.of());
          if (!got.equals(expect) && !name.equals(asker)) { // its own name is in its hosts file
            wrong.add(asker + " -> " + name + ": " + out.strip() + ", expected " + expect);
          }
        }
      }
      // The default network: no embedded DNS; the link and extra hosts are lines of the hosts file.
      String web2 = IpNetnsView.exec("web2", "getent", "hosts", "webserver");
      assertTrue(web2.startsWith("172.17.0.2") && web2.contains("webserver") && web2.contains("web1"), web2);
      String proxy = IpNetnsView.exec("proxy", "getent", "hosts", "metrics.internal");
      assertTrue(proxy.startsWith("192.0.2.40"), proxy);
      assertTrue(IpNetnsView.exec("proxy", "cat", "/etc/resolv.conf").contains("nameserver 127.0.0.11"));
    }
    assertEquals(List.of(), wrong);
  }

  /** The names example after a change: cart added on shop-back (alias basket), proxy moved to shop-back, shop-replica gone. */
  private static final String CHANGED = """
      version: 1
      networks:
        shop-front: {ipam: {config: [{subnet: 10.80.1.0/24}]}}
        shop-back: {ipam: {config: [{subnet: 10.80.2.0/24}]}}
      containers:
        shop-db: {networks: {shop-back: {aliases: [db, postgres]}}}
        shop-api: {networks: {shop-back: {}, shop-front: {aliases: [api]}}}
        proxy: {networks: {shop-back: {aliases: [www]}}}
        cart: {networks: {shop-back: {aliases: [basket]}}}
      """;

  @Test
  void answersFollowAnApplyThatAddsMovesAndRemovesContainersWithoutARestart() throws Exception {
    Hosts.converge(sandbox.host(), Hosts.examples(RepoFiles.examples().resolve("14-names-aliases-links.yaml")));
    assertTrue(Conditions.within(Duration.ofSeconds(5), () -> Dns.a(ns("proxy"), "www").resolved()), "served at first");
    String replica = addresses().get("shop-replica@shop-back");
    // Served from shop-api too once the service has read its record (the records are written in
    // no particular order, so proxy's being served says nothing about shop-api's).
    assertTrue(Conditions.within(Duration.ofSeconds(5), () -> Dns.a(ns("shop-api"), "db").addresses().size() == 2),
        "db: shop-db and shop-replica: " + Dns.a(ns("shop-api"), "db"));

    Hosts.converge(sandbox.host(), Hosts.desired(CHANGED)); // no sync(): the service sees the records change
    assertTrue(Conditions.within(Duration.ofSeconds(5), () -> Dns.a(ns("shop-api"), "basket").resolved()),
        "an added container is served: " + Dns.a(ns("shop-api"), "basket"));
    Map<String, String> now = addresses();
    assertEquals(List.of(now.get("cart@shop-back")), Dns.a(ns("cart"), "cart").addresses(), "and it asks too");
    assertTrue(Conditions.within(Duration.ofSeconds(5),
        () -> Dns.a(ns("proxy"), "shop-db").addresses().equals(List.of(now.get("shop-db@shop-back")))),
        "a container moved to shop-back resolves its names: " + Dns.a(ns("proxy"), "shop-db"));
    assertEquals(List.of(now.get("proxy@shop-back")), Dns.a(ns("shop-api"), "www").addresses(),
        "and is answered with its address there");
    assertEquals(List.of(now.get("shop-db@shop-back")), Dns.a(ns("shop-api"), "db").addresses(),
        "a removed container's alias answers no more with its address " + replica);
    assertEquals("NXDOMAIN", Dns.a(ns("shop-api"), "shop-replica").rcode(), "nor its name (forwarded, unknown upstream)");
    assertFalse(Files.exists(sandbox.host().namespaces().path("shop-replica")), "its namespace is gone");

    Hosts.converge(sandbox.host(), DesiredState.empty());
    assertTrue(Conditions.within(Duration.ofSeconds(5), () -> names.server().servedNamespaces().isEmpty()),
        "every socket closed once every container is destroyed: " + names.server().servedNamespaces());
  }
}
