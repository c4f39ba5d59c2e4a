package io.netform.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netform.diagnostics.Diagnostic;
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
}
