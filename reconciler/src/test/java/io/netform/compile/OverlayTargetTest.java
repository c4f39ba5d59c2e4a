package io.netform.compile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netform.desired.Fleet;
import io.netform.dns.NameTable;
import io.netform.fleet.LocalState;
import io.netform.model.FdbEntryObject;
import io.netform.model.FirewallRule;
import io.netform.model.HostModel;
import io.netform.model.KernelObject;
import io.netform.model.NameFileObject;
import io.netform.model.NeighbourObject;
import io.netform.model.ObservedHost;
import io.netform.model.OverlayBridgeObject;
import io.netform.model.OverlayPortObject;
import io.netform.model.RouteObject;
import io.netform.model.VethObject;
import io.netform.model.VxlanObject;
import io.netform.net.IpAddress;
import io.netform.names.NameRecord;
import io.netform.net.MacAddress;
import io.netform.validate.DesiredStateCheck;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What each host of a fleet wires for an overlay network, compiled from the files alone (Docker 20.10's wiring). */
class OverlayTargetTest {

  static final String FLEET = """
      hosts:
        docker2: {address: 10.10.10.102}
        docker3: {address: 192.168.50.101, vxlan_port: 4790}
        docker4: {address: 192.168.50.102}
      networks:
        demo: {driver: overlay}
        quiet: {driver: overlay, internal: true}
      containers:
        web1: {host: docker2, networks: [demo], ports: ["8080:80"]}
        web2: {host: docker3, networks: [demo, quiet]}
        db: {host: docker2, networks: [quiet]}
      """;

  static HostModel on(String host) {
    return compile(FLEET, host);
  }

  private static <T> T get(HostModel m, String key, Class<T> kind) {
    return kind.cast(m.get(key).orElseThrow(() -> new AssertionError("no " + key + " in " + m.objects().keySet())));
  }

  @Test
  void aHostWithALocalContainerWiresTheOverlayInANamespaceOfItsOwn() {
    HostModel m = on("docker2");
    String ns = "overlay+demo";
    assertTrue(m.get("netns/" + ns).isPresent());
    OverlayBridgeObject br0 = get(m, "link/ns:" + ns + "/br0", OverlayBridgeObject.class);
    assertEquals(1450, br0.mtu());
    assertTrue(m.get("addr/ns:" + ns + "/br0/10.0.0.1/24").isPresent(), "the gateway address, on every host");
    VxlanObject vxlan = get(m, "link/ns:" + ns + "/vxlan0", VxlanObject.class);
    assertEquals(256, vxlan.vni());
    assertEquals(4789, vxlan.port());
    assertEquals("br0", vxlan.bridge());
    assertFalse(m.objects().keySet().stream().anyMatch(k -> k.startsWith("route/host/10.0.0")), "no host route to the overlay");
  }

  @Test
  void theLocalContainerHasTheOverlayOnEth0AndTheGatewayBridgeOnEth1WithTheDefaultRoute() {
    HostModel m = on("docker2");
    OverlayPortObject eth0 = (OverlayPortObject) m.objects().values().stream()
        .filter(o -> o instanceof OverlayPortObject p && p.peerNamespace().equals("web1")).findFirst().orElseThrow();
    assertEquals("eth0", eth0.peerName());
    assertEquals(MacAddress.parse("02:42:0a:00:00:02"), eth0.peerMac());
    assertEquals(1450, eth0.mtu());
    assertFalse(eth0.ipv6(), "an overlay is IPv4-only: IPv6 off on the container's end, as Docker 26+");
    assertTrue(m.get("addr/ns:web1/eth0/10.0.0.2/24").isPresent());
    VethObject eth1 = (VethObject) m.objects().values().stream()
        .filter(o -> o instanceof VethObject v && v.peerNamespace().equals("web1")).findFirst().orElseThrow();
    assertEquals("eth1", eth1.peerName());
    assertEquals(KernelNames.bridge(gatewayBridge()), eth1.bridge());
    RouteObject route = get(m, "route/ns:web1/0.0.0.0/0", RouteObject.class);
    assertEquals("eth1", route.device(), "egress through the container's own host");
    assertTrue(rules(m).contains("-i " + eth1.bridge() + " -o " + eth1.bridge() + " -j DROP"), "ICC off");
    assertTrue(rules(m).stream().anyMatch(r -> r.endsWith("! -o " + eth1.bridge() + " -j MASQUERADE")), "masquerade on");
    assertTrue(rules(m).stream().anyMatch(r -> r.contains("--dport 8080 -j DNAT --to-destination 172.17.0.2:80")),
        "published on the host through the gateway bridge: " + rules(m));
  }

  @Test
  void anInternalOverlayGivesNoWayOut() {
    HostModel m = on("docker2");
    assertTrue(m.get("addr/ns:db/eth0/10.0.1.3/24").isPresent(), "after web2, declared first, on another host");
    assertFalse(m.get("route/ns:db/0.0.0.0/0").isPresent());
    assertFalse(m.objects().values().stream().anyMatch(o -> o instanceof VethObject v && v.peerNamespace().equals("db")));
  }

  @Test
  void everyRemoteEndpointIsAStaticEntryAndNoLocalOneIs() {
    HostModel m = on("docker2");
    String ns = "overlay+demo";
    FdbEntryObject fdb = get(m, "fdb/ns:" + ns + "/vxlan0/02:42:0a:00:00:03", FdbEntryObject.class);
    assertEquals(IpAddress.parse("192.168.50.101"), fdb.destination());
    assertEquals(Optional.of(4790), fdb.port(), "docker3 listens on its own port");
    NeighbourObject neigh = get(m, "neigh/ns:" + ns + "/vxlan0/10.0.0.3", NeighbourObject.class);
    assertEquals(MacAddress.parse("02:42:0a:00:00:03"), neigh.mac());
    assertFalse(m.get("fdb/ns:" + ns + "/vxlan0/02:42:0a:00:00:02").isPresent(), "none for the local container");
    assertEquals(2, m.objects().values().stream().filter(o -> o instanceof FdbEntryObject).count(),
        "web2 on each of demo and quiet; no flooding entry");
  }

  @Test
  void vxlanIsAcceptedOnlyFromTheDeclaredHosts() {
    HostModel m = on("docker3");
    assertTrue(rules(m).contains("-p udp -m udp --dport 4790 -j NETFORM-VXLAN"));
    assertTrue(rules(m).contains("-s 10.10.10.102/32 -j ACCEPT"));
    assertTrue(rules(m).contains("-s 192.168.50.102/32 -j ACCEPT"));
    assertFalse(rules(m).contains("-s 192.168.50.101/32 -j ACCEPT"), "not from itself");
    FirewallRule drop = (FirewallRule) m.objects().values().stream()
        .filter(o -> o instanceof FirewallRule r && r.spec().equals("-j DROP")).findFirst().orElseThrow();
    assertEquals(1, drop.tier(), "after the accepted senders");
  }

  @Test
  void aHostWithoutLocalContainersWiresNothingOfTheOverlay() {
    HostModel m = on("docker4");
    assertFalse(m.objects().keySet().stream().anyMatch(k -> k.contains("overlay+")), m.objects().keySet()::toString);
    assertTrue(rules(m).isEmpty());
  }

  /** Docker sorts its gateway bridge's endpoints last: a container also on a bridge network leaves through that one. */
  @Test
  void aContainerOnABridgeNetworkAndAnOverlayHasItsDefaultRouteThroughTheBridgeNetwork() {
    DesiredStateCheck.Checked c = DesiredStateCheck.runText("t.yaml", """
        hosts:
          docker2: {address: 10.10.10.102}
        networks:
          plain: {ipam: {config: [{subnet: 10.30.0.0/24}]}}
          demo: {driver: overlay}
        containers:
          both: {host: docker2, networks: [demo, plain]}
        """);
    assertTrue(c.valid(), c.diagnostics()::toString);
    HostModel m = TargetState.against(LocalState.forHost(c.state(), "docker2"), ObservedHost.emptyHost()).model();
    RouteObject route = (RouteObject) m.get("route/ns:both/0.0.0.0/0").orElseThrow();
    assertEquals(Optional.of(IpAddress.parse("10.30.0.1")), route.gateway(), "through plain, not " + route);
  }

  /**
   * Docker gives no names to gateway-bridge endpoints (and ICC is off there): two containers of one
   * host on overlay networks kept apart do not find each other through docker_gwbridge, which both
   * are on. The name records say so, and the name table built from them forwards the name.
   */
  @Test
  void theGatewayBridgeServesNoNames() {
    HostModel m = compile("""
        hosts:
          a: {address: 10.10.10.1}
          b: {address: 10.10.10.2}
        networks:
          frontend: {driver: overlay}
          payments: {driver: overlay}
        containers:
          web: {host: a, networks: [frontend], links: ["api:db"]}
          api: {host: a, networks: [frontend]}
          vault: {host: a, networks: [payments]}
        """, "a");
    Map<String, NameRecord> records = new LinkedHashMap<>();
    Map<String, String> hosts = new LinkedHashMap<>();
    for (KernelObject o : m.objects().values()) {
      if (o instanceof NameFileObject f && f.file() == NameFileObject.Kind.RECORD) {
        records.put(f.container(), NameRecord.parse(f.container(), f.content()));
      } else if (o instanceof NameFileObject f && f.file() == NameFileObject.Kind.HOSTS) {
        hosts.put(f.container(), f.content());
      }
    }
    NameRecord.Endpoint gateway = records.get("vault").endpoints().stream()
        .filter(e -> e.network().equals(Fleet.GATEWAY_BRIDGE)).findFirst().orElseThrow();
    assertFalse(gateway.named(), records.get("vault")::toString);
    assertTrue(records.get("vault").serve(), "its overlay still has names");
    NameTable table = NameTable.of(records.values(), List.of(IpAddress.parse("192.0.2.53")));
    assertInstanceOf(NameTable.Forward.class, table.lookup("web", "vault", false), "as if on no shared network");
    assertInstanceOf(NameTable.Forward.class, table.lookup("web", "vault.docker_gwbridge", false));
    assertEquals(Optional.empty(), table.reverse("web", gateway.ipv4().orElseThrow()));
    assertEquals(new NameTable.Addresses(List.of(IpAddress.parse("10.0.0.3"))), table.lookup("web", "db", false),
        "the link on the overlay");
    assertFalse(hosts.get("web").lines().anyMatch(l -> List.of(l.split("\\s+")).contains("db")),
        "and no hosts-file line for it on the gateway bridge: " + hosts.get("web"));
    assertTrue(hosts.get("vault").contains("10.0.1.2\tvault"), hosts.get("vault"));
    assertFalse(hosts.get("vault").contains(gateway.ipv4().orElseThrow() + "\tvault"),
        "its own name is not listed at its gateway-bridge address (Docker's getEtcHostsAddrs): " + hosts.get("vault"));
  }

  private static HostModel compile(String yaml, String host) {
    DesiredStateCheck.Checked c = DesiredStateCheck.runText("t.yaml", yaml);
    assertTrue(c.valid(), c.diagnostics()::toString);
    TargetState t = TargetState.against(LocalState.forHost(c.state(), host), ObservedHost.emptyHost());
    assertEquals(List.of(), t.problems());
    return t.model();
  }

  private static io.netform.desired.Network gatewayBridge() {
    return new io.netform.desired.Network(Fleet.GATEWAY_BRIDGE, io.netform.desired.Driver.BRIDGE, Optional.empty(),
        List.of(), false, false, true, 1500, Optional.empty(), false, java.util.Map.of(), Optional.empty(), false);
  }

  private static List<String> rules(HostModel m) {
    return m.objects().values().stream().filter(o -> o instanceof FirewallRule).map(o -> ((FirewallRule) o).spec()).toList();
  }

  static boolean has(HostModel m, Class<? extends KernelObject> kind) {
    return m.objects().values().stream().anyMatch(kind::isInstance);
  }
}
