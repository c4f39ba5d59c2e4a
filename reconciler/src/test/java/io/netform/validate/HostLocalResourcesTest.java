package io.netform.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netform.desired.DesiredState;
import io.netform.diagnostics.Diagnostic;
import io.netform.fleet.LocalState;
import io.netform.ipam.Allocation;
import io.netform.ipam.Allocator;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * In a fleet each host has its own host ports and its own bridge and macvlan networks (Docker's
 * local networks), so only containers on one host can compete for them; an overlay network's
 * addresses are the fleet's.
 */
class HostLocalResourcesTest {

  private static final String HOSTS = """
      hosts:
        docker2: {address: 10.10.10.102}
        docker3: {address: 192.168.50.101}
      """;

  /** Hosts outside Docker's default pools, which these tests fill. */
  private static final String LAN_HOSTS = """
      hosts:
        docker2: {address: 10.10.10.102}
        docker3: {address: 10.10.10.103}
      """;

  private static String onHosts(String first, String second, String attachment, String ports) {
    return HOSTS + """
        networks:
          zbr: {ipam: {config: [{subnet: 172.30.0.0/24}]}}
          ov: {driver: overlay, ipam: {config: [{subnet: 172.16.16.0/24}]}}
        containers:
          web1: {host: %s, networks: %s, ports: %s}
          web2: {host: %s, networks: %s, ports: %s}
        """.formatted(first, attachment, ports, second, attachment, ports);
  }

  @Test
  void twoHostsPublishTheSamePortEachOnItsOwnAddresses() {
    Validated.assertValid(onHosts("docker2", "docker3", "[zbr]", "[\"8080:80\"]"));
    Diagnostic d = Validated.onlyError(onHosts("docker2", "docker2", "[zbr]", "[\"8080:80\"]"), "port-conflict");
    assertEquals(9, d.location().line(), d::toString);
  }

  @Test
  void dynamicPortsAreChosenOnEachHostAlone() {
    StringBuilder yaml = new StringBuilder(HOSTS + "networks:\n  zbr: {}\ncontainers:\n");
    for (String host : List.of("docker2", "docker3")) {
      for (int i = 1; i <= 2; i++) { // the range holds two ports on each host
        yaml.append("  ").append(host).append('-').append(i).append(": {host: ").append(host)
            .append(", networks: [zbr], ports: [\"8080-8081:80\"]}\n");
      }
    }
    Validated.assertValid(yaml.toString());
    Diagnostic d = Validated.onlyError(yaml + "  docker3-3: {host: docker3, networks: [zbr], ports: [\"8080-8081:80\"]}\n",
        "no-free-host-port");
    assertTrue(d.message().contains("docker3-3"), d::toString);
  }

  @Test
  void aBridgeNetworkAddressIsTakenOnlyOnItsOwnHost() {
    String address = "{zbr: {ipv4_address: 172.30.0.5}}";
    Validated.assertValid(onHosts("docker2", "docker3", address, "[]"));
    Diagnostic d = Validated.onlyError(onHosts("docker2", "docker2", address, "[]"), "address-in-use");
    assertTrue(d.message().contains("web1"), d::toString);
  }

  @Test
  void anOverlayAddressIsTheFleets() {
    Diagnostic d = Validated.onlyError(onHosts("docker2", "docker3", "{ov: {ipv4_address: 172.16.16.5}}", "[]"),
        "address-in-use");
    assertEquals(9, d.location().line(), d::toString);
  }

  @Test
  void aBridgeNetworksPoolIsCountedOnEachHost() {
    StringBuilder yaml = new StringBuilder(HOSTS + "networks:\n  zbr: {ipam: {config: [{subnet: 172.30.0.0/29}]}}\ncontainers:\n");
    for (String host : List.of("docker2", "docker3")) {
      for (int i = 1; i <= 5; i++) { // a /29 holds five besides its gateway
        yaml.append("  ").append(host).append('-').append(i).append(": {host: ").append(host).append(", networks: [zbr]}\n");
      }
    }
    Validated.assertValid(yaml.toString());
    Diagnostic d = Validated.onlyError(yaml + "  docker3-6: {host: docker3, networks: [zbr]}\n", "pool-exhausted");
    assertTrue(d.message().contains("docker3-6"), d::toString);
  }

  @Test
  void anOverlayNeverDecidesWhereTheContainersPortsArePublished() {
    // web1's default route and ports are on zbr (an overlay has no way out), so they are bound to
    // zbr's host_binding_ipv4 and leave web2's address free; "aov" sorts first by name.
    Validated.assertValid(HOSTS + """
        networks:
          aov: {driver: overlay}
          zbr: {driver_opts: {com.docker.network.bridge.host_binding_ipv4: 127.0.0.2}}
        containers:
          web1: {host: docker2, networks: [aov, zbr], ports: ["8080:80"]}
          web2: {host: docker2, networks: [zbr], ports: ["127.0.0.3:8080:80"]}
        """);
  }

  @Test
  void aPortOfAnOverlayContainerOnAnIpv6AddressIsNotPublished() {
    // It leaves through its host's gateway bridge, which has no IPv6.
    List<Diagnostic> found = Validated.of(HOSTS + """
        networks:
          ov: {driver: overlay}
        containers:
          web1: {host: docker2, networks: [ov], ports: ["[::1]:8080:80"]}
        """).diagnostics();
    assertTrue(found.stream().anyMatch(d -> d.code().equals("ipv6-port-without-ipv6")), found::toString);
  }

  @Test
  void networksOnDifferentHostsMayShareASubnet() {
    // Docker's multi-host macvlan recipe: one network per daemon, same subnet, own ip_range and parent.
    Validated.assertValid(HOSTS + """
        networks:
          lan_a: {driver: macvlan, parent: eth0, ipam: {config: [{subnet: 192.168.1.0/24, ip_range: 192.168.1.64/27}]}}
          lan_b: {driver: macvlan, parent: ens192, ipam: {config: [{subnet: 192.168.1.0/24, ip_range: 192.168.1.96/27}]}}
          app_a: {ipam: {config: [{subnet: 10.1.0.0/24}]}}
          app_b: {ipam: {config: [{subnet: 10.1.0.0/24}]}}
        containers:
          x: {host: docker2, networks: [lan_a, app_a]}
          y: {host: docker3, networks: [lan_b, app_b]}
        """);
    Diagnostic d = Validated.onlyError(HOSTS + """
        networks:
          app_a: {ipam: {config: [{subnet: 10.1.0.0/24}]}}
          app_b: {ipam: {config: [{subnet: 10.1.0.0/24}]}}
        containers:
          x: {host: docker2, networks: [app_a]}
          y: {host: docker2, networks: [app_b]}
        """, "subnet-overlap");
    assertEquals(6, d.location().line(), d::toString);
  }

  @Test
  void aMacvlanNetworkMayBeTheHostsLan() {
    // It gives the host no route, so it cannot take the way to another host.
    Validated.assertValid("""
        hosts:
          a: {address: 192.168.1.10}
          b: {address: 192.168.1.11}
        networks:
          lan: {driver: macvlan, parent: eth0, ipam: {config: [{subnet: 192.168.1.0/24, ip_range: 192.168.1.128/26}]}}
        containers:
          x: {host: a, networks: [lan]}
          y: {host: b, networks: [lan]}
        """);
    Validated.onlyError("""
        hosts:
          a: {address: 192.168.1.10}
        networks:
          lan: {ipam: {config: [{subnet: 192.168.1.0/24}]}}
        """, "subnet-holds-host");
  }

  @Test
  void aNetworkOfAnotherHostTakesNoDefaultPoolHere() {
    // big1 (b's) covers 172.16.0.0/12, big2 (b's too) 192.168.0.0/16: a's gateway bridge still gets a pool.
    Validated.assertValid(LAN_HOSTS + """
        networks:
          big1: {ipam: {config: [{subnet: 172.16.0.0/12}]}}
          big2: {ipam: {config: [{subnet: 192.168.0.0/16}]}}
          ov: {driver: overlay}
        containers:
          x: {host: docker2, networks: [ov]}
          y: {host: docker3, networks: [big1, big2]}
        """);
  }

  @Test
  void aGatewayBridgeWithoutAPoolIsReportedWhereItComesFrom() {
    Diagnostic d = Validated.onlyError(LAN_HOSTS + """
        networks:
          big1: {ipam: {config: [{subnet: 172.16.0.0/12}]}}
          big2: {ipam: {config: [{subnet: 192.168.0.0/16}]}}
          ov: {driver: overlay}
        containers:
          x: {host: docker2, networks: [big1, big2]}
          y: {host: docker2, networks: [ov]}
        """, "no-free-pool");
    assertEquals(10, d.location().line(), d::toString); // y on ov
    assertTrue(d.message().contains("docker_gwbridge"), d::toString);
    assertTrue(d.hint().contains("netform makes this network"), d::toString);
  }

  @Test
  void aDefaultPoolNeverHoldsAHostsUnderlayAddress() {
    // b's underlay address is in 172.18.0.0/16: a route to that pool on a would take the way to b.
    String yaml = """
        hosts:
          a: {address: 172.17.0.10}
          b: {address: 172.18.0.10}
        networks: {ov: {driver: overlay}, br: {}}
        containers:
          x: {host: a, networks: [ov]}
          y: {host: b, networks: [ov, br]}
        """;
    Validated.assertValid(yaml);
    DesiredState b = LocalState.forHost(Validated.of(yaml).state(), "b").state();
    Allocation allocated = Allocator.allocate(b, Allocation.none()).allocation();
    assertEquals("172.19.0.0/16", allocated.networks().get("br").ipv4().orElseThrow().subnet().toString());
  }

  @Test
  void aNamespaceFileIsAdoptedOncePerHost() {
    String yaml = HOSTS + """
        containers:
          a: {host: docker2, network_mode: none, namespace: /run/netns/app}
          b: {host: docker3, network_mode: none, namespace: /run/netns/app}
        """;
    Validated.assertValid(yaml);
    Diagnostic d = Validated.onlyError(yaml + "  c: {host: docker3, network_mode: none, namespace: /run/netns/app}\n",
        "shared-namespace");
    assertTrue(d.message().contains("\"b\" and \"c\"") && d.message().contains("on host \"docker3\""), d::toString);
  }

  private static String publishingOnA(String z, String aHost) {
    return """
        hosts:
          a: {address: 10.10.10.1%s}
          b: {address: 10.10.10.2}
        networks:
          ov: {driver: overlay}
          br: {ipam: {config: [{subnet: 10.1.0.0/24}]}}
        containers:
          x: {host: a, networks: [ov]}
          y: {host: b, networks: [ov]}
          z: {host: a, networks: [br], ports: [%s]}
        """.formatted(aHost, z);
  }

  @Test
  void aPublishedUdpPortMayNotTakeTheVxlanPortOfItsHostWhenThatWiresAnOverlay() {
    Diagnostic d = Validated.onlyError(publishingOnA("\"4789:4789/udp\"", ""), "port-is-vxlan");
    assertEquals(10, d.location().line(), d::toString);
    assertTrue(d.message().contains("VXLAN port of host \"a\""), d::toString);
    Validated.onlyError(publishingOnA("\"4780-4790:4780-4790/udp\"", ""), "port-is-vxlan");
    Validated.onlyError(publishingOnA("\"5000:53/udp\"", ", vxlan_port: 5000"), "port-is-vxlan");
    Validated.assertValid(publishingOnA("\"4789:4789/tcp\"", ""));
    Validated.assertValid(publishingOnA("\"4789:4789/udp\"", ", vxlan_port: 4790"));
    // only the container's own host's port, and only where that host has a container on an overlay
    Validated.assertValid(publishingOnA("\"4790:4790/udp\"", ", vxlan_port: 4790").replace("z: {host: a", "z: {host: b"));
    Validated.assertValid(publishingOnA("\"4789:4789/udp\"", "").replace("y: {host: b", "y: {host: a")
        .replace("z: {host: a", "z: {host: b"));
  }

  @Test
  void aChosenUdpPortIsNeverItsHostsVxlanPort() {
    var checked = Validated.of(publishingOnA("\"4789-4790:53/udp\", \"4789-4790:53/tcp\"", ""));
    assertTrue(checked.valid(), checked.diagnostics()::toString);
    var chosen = io.netform.ipam.PortAllocator.allocate(checked.state(), java.util.Map.of()).state().containers().get("z");
    assertEquals(List.of("4790:53/udp", "4789:53/tcp"), chosen.ports().stream().map(Object::toString).toList());
  }

  @Test
  void aMacAddressIsOneContainersOnEachSegment() {
    String mac = "{mac_address: \"02:00:00:00:00:09\"}";
    Validated.assertValid(onHosts("docker2", "docker3", "{zbr: " + mac + "}", "[]"));
    Diagnostic local = Validated.onlyError(onHosts("docker2", "docker2", "{zbr: " + mac + "}", "[]"), "mac-in-use");
    assertTrue(local.message().contains("web1"), local::toString);
    Diagnostic overlay = Validated.onlyError(onHosts("docker2", "docker3", "{ov: " + mac + "}", "[]"), "mac-in-use");
    assertEquals(9, overlay.location().line(), overlay::toString);
  }
}
