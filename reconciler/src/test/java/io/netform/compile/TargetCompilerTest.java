package io.netform.compile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netform.ipam.Allocation;
import io.netform.ipam.Allocator;
import io.netform.model.FirewallRule;
import io.netform.model.HostModel;
import io.netform.model.KernelObject;
import io.netform.model.RouteObject;
import io.netform.model.SysctlObject;
import io.netform.model.VethObject;
import io.netform.testing.RepoFiles;
import io.netform.validate.DesiredStateCheck;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class TargetCompilerTest {

  static HostModel compile(String yaml) {
    DesiredStateCheck.Checked c = DesiredStateCheck.runText("t.yaml", yaml);
    assertTrue(c.valid(), c.diagnostics()::toString);
    Allocation a = Allocator.allocate(c.state(), Allocation.none()).allocation();
    return TargetCompiler.compile(c.state(), a);
  }

  static HostModel compileFile(Path p) {
    DesiredStateCheck.Checked c = DesiredStateCheck.run(List.of(p));
    return TargetCompiler.compile(c.state(), Allocator.allocate(c.state(), Allocation.none()).allocation());
  }

  private static Set<String> rules(HostModel m, String chain) {
    Set<String> out = new HashSet<>();
    m.objects().values().stream().filter(o -> o instanceof FirewallRule r && r.chain().equals(chain))
        .forEach(o -> out.add(((FirewallRule) o).spec()));
    return out;
  }

  private static final String ONE = "networks:\n  web: {bridge_name: br-web, ipam: {config: [{subnet: 10.15.20.0/24}]}}\n"
      + "containers:\n  web1: {networks: [web], ports: [\"8080:80\"]}\n";

  @Test
  void aBridgeNetworkWithOneContainer() {
    HostModel m = compile(ONE);
    assertTrue(m.get("link/host/br-web").isPresent());
    assertTrue(m.get("addr/host/br-web/10.15.20.1/24").isPresent(), "gateway on the bridge");
    assertTrue(m.get("netns/web1").isPresent());
    VethObject veth = (VethObject) m.get(KernelObject.linkKey("", KernelNames.hostVeth("web1", "web"))).orElseThrow();
    assertEquals("eth0", veth.peerName());
    assertEquals("br-web", veth.bridge());
    assertEquals("02:42:0a:0f:14:02", veth.peerMac().toString());
    assertTrue(m.get("addr/ns:web1/eth0/10.15.20.2/24").isPresent());
    RouteObject route = (RouteObject) m.get("route/ns:web1/0.0.0.0/0").orElseThrow();
    assertEquals("10.15.20.1", route.gateway().orElseThrow().toString());
    assertTrue(m.get("sysctl/host/net.ipv4.ip_forward").isPresent());
    assertTrue(rules(m, "NETFORM-POSTROUTING").contains("-s 10.15.20.0/24 ! -o br-web -j MASQUERADE"));
    assertTrue(rules(m, "NETFORM-DNAT").contains("-p tcp -m tcp --dport 8080 -j DNAT --to-destination 10.15.20.2:80"),
        "from every interface, the container's own bridge included (hairpin)");
    assertTrue(rules(m, "OUTPUT").contains("-m addrtype --dst-type LOCAL -j NETFORM-DNAT"), "the host's own, 127.0.0.1 too");
    assertEquals("1", ((SysctlObject) m.get("sysctl/host/net/ipv4/conf/br-web/route_localnet").orElseThrow()).value());
    assertTrue(rules(m, "NETFORM-POSTROUTING").contains("-s 127.0.0.0/8 -o br-web -j MASQUERADE"));
    assertTrue(rules(m, "PREROUTING").contains("-d 127.0.0.0/8 -i br-web -j DROP"), "members do not reach the host's loopback");
    assertTrue(veth.hairpin(), "the publishing container reaches its own port through the host");
    assertTrue(rules(m, "NETFORM-FORWARD").contains("-d 10.15.20.2/32 ! -i br-web -o br-web -p tcp -m tcp --dport 80 -j ACCEPT"));
    assertTrue(rules(m, "NETFORM-FORWARD").contains("-i br-web -o br-web -j ACCEPT"), "ICC on by default");
    assertTrue(rules(m, "NETFORM-ISOLATION-2").contains("-o br-web -j DROP"));
    assertTrue(rules(m, "FORWARD").contains("-j NETFORM-FORWARD"));
  }

  /** The interface of a container's default route for {@code destination} (0.0.0.0/0 or ::/0). */
  private static String defaultDevice(HostModel m, String container, String destination) {
    return ((RouteObject) m.get("route/ns:" + container + "/" + destination).orElseThrow()).device();
  }

  @Test
  void theDefaultRouteGoesToTheHighestPriorityThenTheFirstNetworkByName() {
    String yaml = "networks:\n  b: {ipam: {config: [{subnet: 10.2.0.0/24}]}}\n  a: {ipam: {config: [{subnet: 10.1.0.0/24}]}}\n"
        + "  c: {ipam: {config: [{subnet: 10.3.0.0/24}]}}\n"
        + "containers:\n  x: {networks: [c, b, a]}\n";
    HostModel m = compile(yaml);
    assertEquals("eth2", defaultDevice(m, "x", "0.0.0.0/0"),
        "Docker: equal priorities go to the network whose name sorts first, not to the first attachment");
    assertEquals("10.1.0.1", ((RouteObject) m.get("route/ns:x/0.0.0.0/0").orElseThrow()).gateway().orElseThrow().toString());
    String prioritised = yaml.replace("networks: [c, b, a]", "networks: {c: {gw_priority: 1}, b: {}, a: {}}");
    assertEquals("eth0", defaultDevice(compile(prioritised), "x", "0.0.0.0/0"));
  }

  @Test
  void atEqualPriorityADualStackNetworkGoesFirstAndEachFamilyTakesItsOwnGateway() {
    String yaml = "networks:\n  a: {ipam: {config: [{subnet: 10.1.0.0/24}]}}\n"
        + "  z: {enable_ipv6: true, ipam: {config: [{subnet: 10.26.0.0/24}, {subnet: \"fd00:26::/64\"}]}}\n"
        + "containers:\n  x: {networks: [a, z]}\n";
    HostModel m = compile(yaml);
    assertEquals("eth1", defaultDevice(m, "x", "0.0.0.0/0"), "z has both gateways");
    assertEquals("eth1", defaultDevice(m, "x", "::/0"));
    HostModel prioritised = compile(yaml.replace("networks: [a, z]", "networks: {a: {gw_priority: 5}, z: {}}"));
    assertEquals("eth0", defaultDevice(prioritised, "x", "0.0.0.0/0"));
    assertEquals("eth1", defaultDevice(prioritised, "x", "::/0"),
        "a has no IPv6 gateway: the IPv6 default route stays on z, as newer Docker chooses each family's gateway");
  }

  @Test
  void ipv6IsOnOnAContainersInterfaceOnlyWhereItsNetworkOrItsOwnAddressIsIpv6() {
    HostModel m = compile("networks:\n  v4: {bridge_name: br-v4, ipam: {config: [{subnet: 10.1.0.0/24}]}}\n"
        + "  v6: {bridge_name: br-v6, enable_ipv6: true,\n"
        + "       ipam: {config: [{subnet: 10.2.0.0/24}, {subnet: fd00:2::/64}]}}\n"
        + "  own: {bridge_name: br-own, ipam: {config: [{subnet: 10.3.0.0/24}, {subnet: fd00:3::/64}]}}\n"
        + "  mv4: {driver: macvlan, parent: eth9, ipam: {config: [{subnet: 10.4.0.0/24}]}}\n"
        + "  mv6: {driver: macvlan, parent: eth8, enable_ipv6: true,\n"
        + "        ipam: {config: [{subnet: 10.5.0.0/24}, {subnet: fd00:5::/64}]}}\n"
        + "containers:\n  x: {networks: {v4: {}, v6: {}, own: {ipv6_address: \"fd00:3::9\"}}}\n  y: {networks: [own]}\n"
        + "  m: {networks: [mv4]}\n  n: {networks: [mv6]}\n");
    assertEquals("off", ipv6(m, KernelObject.linkKey("", KernelNames.hostVeth("x", "v4"))), "as Docker 26+: IPv4 only");
    assertEquals("on", ipv6(m, KernelObject.linkKey("", KernelNames.hostVeth("x", "v6"))));
    assertEquals("on", ipv6(m, KernelObject.linkKey("", KernelNames.hostVeth("x", "own"))), "an IPv6 address of its own");
    assertEquals("off", ipv6(m, KernelObject.linkKey("", KernelNames.hostVeth("y", "own"))),
        "no IPv6 address without enable_ipv6");
    assertEquals("off", ipv6(m, KernelObject.linkKey("m", "eth0")));
    assertEquals("on", ipv6(m, KernelObject.linkKey("n", "eth0")));
  }

  private static String ipv6(HostModel m, String key) {
    KernelObject o = m.get(key).orElseThrow(() -> new AssertionError("no " + key + " in " + m.objects().keySet()));
    return o.attributes().get("ipv6");
  }

  @Test
  void portsArePublishedOnTheGatewayNetworkWithItsHostBinding() {
    String yaml = "networks:\n  b: {bridge_name: br-b, host_binding_ipv4: 198.18.0.2, ipam: {config: [{subnet: 10.2.0.0/24}]}}\n"
        + "  a: {bridge_name: br-a, host_binding_ipv4: 198.18.0.1, ipam: {config: [{subnet: 10.1.0.0/24}]}}\n"
        + "containers:\n  x: {networks: [b, a], ports: [\"8080:80\"]}\n";
    HostModel m = compile(yaml);
    assertEquals(Set.of("-d 198.18.0.1/32 -p tcp -m tcp --dport 8080 -j DNAT --to-destination 10.1.0.2:80"),
        rules(m, "NETFORM-DNAT"), "a carries the default route: its address and its host binding");
    assertTrue(rules(m, "NETFORM-FORWARD").contains("-d 10.1.0.2/32 ! -i br-a -o br-a -p tcp -m tcp --dport 80 -j ACCEPT"));
    assertTrue(((VethObject) m.get(KernelObject.linkKey("", KernelNames.hostVeth("x", "a"))).orElseThrow()).hairpin());
    assertFalse(((VethObject) m.get(KernelObject.linkKey("", KernelNames.hostVeth("x", "b"))).orElseThrow()).hairpin());
    HostModel moved = compile(yaml.replace("networks: [b, a]", "networks: {b: {gw_priority: 1}, a: {}}"));
    assertEquals(Set.of("-d 198.18.0.2/32 -p tcp -m tcp --dport 8080 -j DNAT --to-destination 10.2.0.2:80"),
        rules(moved, "NETFORM-DNAT"), "the ports follow the default route");
  }

  @Test
  void theUnspecifiedHostAddressMeansEveryAddress() {
    Set<String> explicit = rules(compile("networks:\n  n: {bridge_name: br-n, ipam: {config: [{subnet: 10.9.0.0/24}]}}\n"
        + "containers:\n  c: {networks: [n], ports: [\"0.0.0.0:8096:80\"]}\n"), "NETFORM-DNAT");
    assertEquals(Set.of("-p tcp -m tcp --dport 8096 -j DNAT --to-destination 10.9.0.2:80"), explicit);
    Set<String> binding = rules(compile("networks:\n  n: {bridge_name: br-n, host_binding_ipv4: 0.0.0.0, "
        + "ipam: {config: [{subnet: 10.9.0.0/24}]}}\ncontainers:\n  c: {networks: [n], ports: [\"8096:80\"]}\n"), "NETFORM-DNAT");
    assertEquals(explicit, binding);
  }

  @Test
  void internalNetworksIsolateAndGiveNoDefaultRoute() {
    HostModel m = compile("networks:\n  i: {internal: true, bridge_name: br-i, ipam: {config: [{subnet: 10.40.0.0/24}]}}\n"
        + "containers:\n  c: {networks: [i]}\n");
    assertFalse(m.get("route/ns:c/0.0.0.0/0").isPresent());
    assertTrue(rules(m, "NETFORM-ISOLATION-1").contains("! -d 10.40.0.0/24 -i br-i -j DROP"));
    assertTrue(rules(m, "NETFORM-ISOLATION-1").contains("! -s 10.40.0.0/24 -o br-i -j DROP"));
    assertTrue(rules(m, "NETFORM-POSTROUTING").isEmpty(), "no masquerade on internal networks");
    assertFalse(rules(m, "NETFORM-FORWARD").contains("-i br-i ! -o br-i -j ACCEPT"));
  }

  @Test
  void iccOffDropsTrafficWithinTheBridge() {
    HostModel m = compile("networks:\n  n: {icc: false, bridge_name: br-n}\ncontainers:\n  c: {networks: [n]}\n");
    assertTrue(rules(m, "NETFORM-FORWARD").contains("-i br-n -o br-n -j DROP"));
  }

  @Test
  void hostBindingAndExplicitHostAddressesRestrictTheDnat() {
    HostModel m = compile("networks:\n  n: {bridge_name: br-n, host_binding_ipv4: 10.10.10.101, ipam: {config: [{subnet: 10.9.0.0/24}]}}\n"
        + "containers:\n  c: {networks: [n], ports: [\"80:80\", \"127.0.0.1:5353:53/udp\"]}\n");
    Set<String> dnat = rules(m, "NETFORM-DNAT");
    assertTrue(dnat.contains("-d 10.10.10.101/32 -p tcp -m tcp --dport 80 -j DNAT --to-destination 10.9.0.2:80"), dnat::toString);
    assertTrue(dnat.contains("-d 127.0.0.1/32 -p udp -m udp --dport 5353 -j DNAT --to-destination 10.9.0.2:53"), dnat::toString);
  }

  @Test
  void macvlanLivesInTheNamespaceAndNeedsNoBridge() {
    HostModel m = compileFile(RepoFiles.examples().resolve("10-macvlan.yaml"));
    assertTrue(m.get("link/ns:mv1/eth0").isPresent());
    assertTrue(m.objects().keySet().stream().noneMatch(k -> k.startsWith("rule/")), "no firewall for macvlan");
    assertTrue(m.get("route/ns:mv1/0.0.0.0/0").isPresent());
  }

  @Test
  void noneHostAndJoinedContainers() {
    HostModel none = compileFile(RepoFiles.examples().resolve("07-none.yaml"));
    assertEquals(Set.of("netns/centos3", "file/centos3/record", "file/centos3/resolv_conf", "file/centos3/hosts"),
        none.objects().keySet(), "loopback only, and its name files");
    assertTrue(compileFile(RepoFiles.examples().resolve("12-host-network.yaml")).objects().isEmpty());
    HostModel joined = compile("networks:\n  j: {bridge_name: br-j, ipam: {config: [{subnet: 10.30.0.0/24}]}}\n"
        + "containers:\n  ng: {networks: [j]}\n  redis: {network_mode: \"container:ng\", ports: [\"6379:6379\"]}\n");
    assertFalse(joined.get("netns/redis").isPresent());
    assertTrue(rules(joined, "NETFORM-DNAT").contains("-p tcp -m tcp --dport 6379 -j DNAT --to-destination 10.30.0.2:6379"));
    assertTrue(((VethObject) joined.get(KernelObject.linkKey("", KernelNames.hostVeth("ng", "j"))).orElseThrow()).hairpin(),
        "ports of a joined container are published on its host's endpoint");
  }

  @Test
  void portsOfAContainerJoinedThroughAChainGoToTheNamespaceAtItsEnd() {
    HostModel m = compile("networks:\n  j: {bridge_name: br-j, ipam: {config: [{subnet: 10.30.0.0/24}]}}\n"
        + "containers:\n  a: {networks: [j]}\n  b: {network_mode: \"container:a\"}\n"
        + "  c: {network_mode: \"container:b\", ports: [\"6379:6379\"]}\n");
    assertTrue(rules(m, "NETFORM-DNAT").contains("-p tcp -m tcp --dport 6379 -j DNAT --to-destination 10.30.0.2:6379"),
        () -> rules(m, "NETFORM-DNAT").toString());
    assertTrue(((VethObject) m.get(KernelObject.linkKey("", KernelNames.hostVeth("a", "j"))).orElseThrow()).hairpin(),
        "a's bridge port lets c's own connections to the port back out");
  }

  @Test
  void kernelNamesFitAndAreStable() {
    String v = KernelNames.hostVeth("a-rather-long-container-name", "and-a-long-network-name");
    assertTrue(v.length() <= 15);
    assertEquals(v, KernelNames.hostVeth("a-rather-long-container-name", "and-a-long-network-name"));
    assertFalse(v.equals(KernelNames.hostVeth("a-rather-long-container-name", "another")));
  }

  /** Every dependency of every object is provided by some object (or the host): the planner can order all of it. */
  @Test
  void noExampleHasDanglingDependencies() throws IOException {
    try (Stream<Path> files = Files.list(RepoFiles.examples())) {
      for (Path p : files.filter(f -> f.toString().endsWith(".yaml")).toList()) {
        HostModel m = compileFile(p);
        Set<String> provided = new HashSet<>();
        m.objects().values().forEach(o -> provided.addAll(o.provides()));
        // An external network's bridge is the host's, not netform's: the plan refuses when it is missing.
        DesiredStateCheck.run(List.of(p)).state().networks().values().stream().filter(io.netform.desired.Network::external)
            .forEach(n -> provided.add(KernelObject.linkKey(KernelObject.HOST_NS, n.externalBridge())));
        for (KernelObject o : m.objects().values()) {
          for (String dep : o.dependsOn()) {
            assertTrue(provided.contains(dep), p + ": " + o.key() + " depends on missing " + dep);
          }
        }
      }
    }
  }

  @Test
  void compilationIsDeterministic() {
    assertEquals(compile(ONE), compile(ONE));
  }

  @Test
  void anExternalNetworksBridgeAddressAndRulesAreNotNetforms() {
    HostModel m = compile("""
        networks:
          lan:
            name: br-lan
            external: true
            ipam: {config: [{subnet: 10.64.0.0/24, gateway: 10.64.0.254, ip_range: 10.64.0.128/25}]}
        containers:
          app: {networks: [lan]}
        """);
    assertFalse(m.objects().values().stream().anyMatch(o -> o instanceof io.netform.model.BridgeObject), m::toString);
    assertFalse(m.objects().values().stream().anyMatch(o -> o.owner().equals(io.netform.model.Owner.network("br-lan"))),
        "nothing is owned by the external network: no gateway address, no rule");
    VethObject veth = (VethObject) m.objects().values().stream().filter(o -> o instanceof VethObject).findFirst().orElseThrow();
    assertEquals("br-lan", veth.bridge(), "the container is attached to the existing bridge");
    RouteObject route = (RouteObject) m.objects().values().stream().filter(o -> o instanceof RouteObject).findFirst().orElseThrow();
    assertEquals("10.64.0.254", route.gateway().orElseThrow().toString(), "through the bridge's gateway");
    assertTrue(m.objects().keySet().contains("addr/ns:app/eth0/10.64.0.128/24"), m.objects().keySet()::toString);
  }
}
