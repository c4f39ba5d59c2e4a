package io.netform.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netform.desired.Driver;
import io.netform.desired.Host;
import io.netform.desired.Network;
import io.netform.diagnostics.Diagnostic;
import io.netform.net.IpAddress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What breaks a fleet is a located error; a sound fleet reads into hosts, overlay networks and placed containers. */
class FleetRulesTest {

  private static final String HOSTS = """
      hosts:
        docker2: {address: 10.10.10.102}
        docker3: {address: 192.168.50.101, vxlan_port: 4790}
      """;

  @Test
  void aSoundFleetReadsIntoHostsOverlayNetworksAndPlacedContainers() {
    var checked = Validated.of(HOSTS + """
        networks:
          myoverlay:
            driver: overlay
            attachable: true
            driver_opts: {com.docker.network.driver.overlay.vxlanid_list: "4097"}
        containers:
          web1: {host: docker2, networks: [myoverlay]}
          web2: {host: docker3, networks: [myoverlay]}
        """);
    assertTrue(checked.passes(true), checked.diagnostics()::toString);
    assertEquals(new Host("docker3", IpAddress.parse("192.168.50.101"), 4790), checked.state().fleet().hosts().get("docker3"));
    assertEquals(Host.DEFAULT_VXLAN_PORT, checked.state().fleet().hosts().get("docker2").vxlanPort());
    Network overlay = checked.state().networks().get("myoverlay");
    assertEquals(Driver.OVERLAY, overlay.driver());
    assertEquals(Network.OVERLAY_MTU, overlay.mtu(), "an overlay's MTU is the underlay's less VXLAN's 50 bytes");
    assertEquals(java.util.Optional.of(4097), overlay.vxlanId());
    assertEquals(java.util.Optional.of("docker3"), checked.state().containers().get("web2").host());
  }

  @Test
  void aContainerOnAnUndeclaredHostSaysWhichAreDeclared() {
    Diagnostic d = Validated.onlyError(HOSTS + "containers:\n  web1: {host: docker4, networks: []}\n", "unknown-host");
    assertEquals(5, d.location().line());
    assertEquals(16, d.location().column());
    assertTrue(d.hint().contains("docker2"), d.hint());
  }

  @Test
  void withSeveralHostsEveryContainerSaysWhereItRuns() {
    Diagnostic d = Validated.onlyError(HOSTS + "containers:\n  web1: {network_mode: none}\n", "host-required");
    assertEquals(5, d.location().line());
    assertTrue(d.hint().contains("docker2, docker3"), d.hint());
  }

  @Test
  void withOneHostContainersNeedNotSayIt() {
    Validated.assertValid("hosts:\n  only: {address: 10.1.1.1}\ncontainers:\n  web1: {network_mode: none}\n");
  }

  @Test
  void twoHostsWithOneAddressAreAnError() {
    Diagnostic d = Validated.onlyError("hosts:\n  a: {address: 10.1.1.1}\n  b: {address: 10.1.1.1}\n",
        "duplicate-host-address");
    assertEquals(3, d.location().line());
    assertTrue(d.message().contains("t.yaml:2:"), d.message());
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {"127.0.0.1", "0.0.0.0", "0.1.2.3", "224.0.0.5",
      "239.1.1.1", "255.255.255.255", "240.0.0.1"})
  void aHostAddressOtherHostsCannotReachIsAnError(String address) {
    Diagnostic d = Validated.onlyError("hosts:\n  a: {address: 10.1.1.1}\n  b: {address: " + address + "}\n",
        "reserved-range");
    assertEquals(3, d.location().line());
    assertEquals(16, d.location().column());
    assertTrue(d.message().contains("host \"b\" has the address " + address + ", in "), d.message());
  }

  @Test
  void aLinkLocalHostAddressIsFineOnOneLink() {
    Validated.assertValid("hosts:\n  a: {address: 169.254.0.1}\n  b: {address: 169.254.0.2}\n");
  }

  @Test
  void oneVxlanIdOnTwoNetworksIsAnErrorAtTheSecond() {
    Diagnostic d = Validated.onlyError(HOSTS + """
        networks:
          a: {driver: overlay, driver_opts: {com.docker.network.driver.overlay.vxlanid_list: 300}}
          b: {driver: overlay, driver_opts: {com.docker.network.driver.overlay.vxlanid_list: 300}}
        """, "duplicate-vni");
    assertEquals(6, d.location().line());
  }

  @Test
  void aVxlanIdIsOneNumberFrom1To2To24() {
    Validated.onlyError(HOSTS + "networks:\n  a: {driver: overlay, driver_opts: "
        + "{com.docker.network.driver.overlay.vxlanid_list: \"256,257\"}}\n", "bad-vxlan-id");
    Validated.onlyError(HOSTS + "networks:\n  a: {driver: overlay, driver_opts: "
        + "{com.docker.network.driver.overlay.vxlanid_list: 16777216}}\n", "bad-vxlan-id");
    Validated.onlyError("networks:\n  a: {driver_opts: {com.docker.network.driver.overlay.vxlanid_list: 300}}\n",
        "overlay-option");
  }

  @Test
  void encryptedIsRefusedWhereItIsWrittenWhateverItsValue() {
    for (String value : List.of("\"\"", "\"true\"", "true")) {
      Diagnostic d = Validated.onlyError(HOSTS + "networks:\n  a:\n    driver: overlay\n    driver_opts:\n      encrypted: "
          + value + "\n", "encrypted-overlay");
      assertEquals(8, d.location().line());
      assertEquals(7, d.location().column());
    }
  }

  @Test
  void anOverlayNeedsHosts() {
    Diagnostic d = Validated.onlyError("networks:\n  a: {driver: overlay}\n", "overlay-without-hosts");
    assertEquals(2, d.location().line());
  }

  @Test
  void anOverlayCarriesOneIpv4Subnet() {
    Validated.onlyError(HOSTS + "networks:\n  a: {driver: overlay, ipam: {config: [{subnet: 10.9.0.0/24}, "
        + "{subnet: 10.9.1.0/24}]}}\n", "overlay-one-subnet");
    Validated.onlyError(HOSTS + "networks:\n  a: {driver: overlay, ipam: {config: [{subnet: \"fd00:9::/64\"}]}}\n",
        "overlay-ipv4-only");
  }

  @Test
  void aSubnetHoldingAHostsUnderlayAddressIsAnError() {
    Diagnostic d = Validated.onlyError(HOSTS + "networks:\n  lan: {ipam: {config: [{subnet: 10.10.0.0/16}]}}\n",
        "subnet-holds-host");
    assertTrue(d.message().contains("docker2"), d.message());
  }

  @Test
  void aJoinedContainerRunsOnTheHostOfTheOneItJoins() {
    Validated.onlyError(HOSTS + """
        containers:
          a: {host: docker2, network_mode: none}
          b: {host: docker3, network_mode: "container:a"}
        """, "join-across-hosts");
  }

  @Test
  void aJoinedContainerWithoutHostRunsOnTheHostOfTheOneItJoins() {
    String yaml = HOSTS + """
        networks:
          ov: {driver: overlay}
        containers:
          a: {host: docker3, networks: [ov]}
          b: {network_mode: "container:a"}
          c: {network_mode: "container:b"}
        """;
    var checked = Validated.of(yaml);
    assertTrue(checked.passes(true), checked.diagnostics()::toString);
    assertEquals(java.util.Optional.of("docker3"), checked.state().hostOf(checked.state().containers().get("c")));
    assertEquals(java.util.Set.of("a", "b", "c"),
        io.netform.fleet.LocalState.forHost(checked.state(), "docker3").state().containers().keySet());
    List<Diagnostic> errors = Validated.errors(Validated.of(HOSTS + """
        containers:
          a: {network_mode: none}
          b: {network_mode: "container:a"}
        """));
    assertEquals(List.of("host-required", "host-required"), errors.stream().map(Diagnostic::code).toList());
    Diagnostic d = errors.get(1);
    assertEquals(6, d.location().line(), d::toString);
    assertTrue(d.message().contains("nor does \"a\""), d.message());
  }

  @Test
  void theGatewayBridgeNameIsTakenInAFleetWithOverlays() {
    Validated.onlyError(HOSTS + "networks:\n  o: {driver: overlay}\n  docker_gwbridge: {}\n", "reserved-network-name");
  }

  @Test
  void bridgeSettingsOnAnOverlayAreWarnings() {
    var checked = Validated.of(HOSTS + "networks:\n  o: {driver: overlay, icc: false, bridge_name: br9}\n");
    assertTrue(checked.valid(), checked.diagnostics()::toString);
    assertEquals(2, checked.diagnostics().stream().filter(d -> d.code().equals("ignored-setting")).count());
  }

  @TempDir
  Path dir;

  @Test
  void oneContainerNameOnTwoHostsIsTheDuplicateItAlwaysWas() throws IOException {
    Path a = Files.writeString(dir.resolve("a.yaml"), HOSTS + "containers:\n  web2: {host: docker2, network_mode: none}\n");
    Path b = Files.writeString(dir.resolve("b.yaml"), "containers:\n  web2: {host: docker3, network_mode: none}\n");
    var checked = DesiredStateCheck.run(List.of(a, b));
    assertTrue(checked.diagnostics().stream().anyMatch(d -> d.code().equals("duplicate-name")
        && d.location().file().endsWith("b.yaml") && d.message().contains("a.yaml:5:3")), checked.diagnostics()::toString);
  }
}
