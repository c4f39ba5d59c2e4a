package io.netform.imports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netform.desired.Attachment;
import io.netform.desired.Container;
import io.netform.desired.DesiredState;
import io.netform.desired.Driver;
import io.netform.desired.Host;
import io.netform.desired.Network;
import io.netform.desired.NetworkMode;
import io.netform.net.IpAddress;
import io.netform.validate.DesiredStateCheck;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ImportDockerInspectTest {

  private static DockerInspectImport.Imported both() {
    return ImportFixtures.docker(ImportFixtures.text(ImportFixtures.NETWORKS),
        Optional.of(ImportFixtures.text(ImportFixtures.CONTAINERS)));
  }

  @Test
  void networksKeepWhatTheUserConfiguredAndSkipDockersOwn() {
    DesiredState state = both().state();
    assertEquals(List.of("bridge", "testbridge1", "test-net2", "macnet"), List.copyOf(state.networks().keySet()));
    Network bridge = state.networks().get("bridge");
    assertTrue(bridge.isDefault());
    assertEquals("172.17.0.0/16", bridge.pools().get(0).subnet().toString());
    assertEquals(Optional.empty(), bridge.bridgeName(), "docker0 is Docker's: netform makes its own");
    Network one = state.networks().get("testbridge1");
    assertEquals(Optional.of("linuxbridge1"), one.bridgeName());
    assertEquals(Optional.of(IpAddress.parse("10.10.10.101")), one.hostBindingIpv4());
    assertEquals(2, one.pools().get(0).auxAddresses().size());
    Network two = state.networks().get("test-net2");
    assertTrue(two.internal());
    assertFalse(two.icc());
    assertEquals(1400, two.mtu());
    assertEquals("173.20.4.0/24", two.pools().get(0).ipRange().orElseThrow().toString());
    assertEquals(Optional.of("eth0"), state.networks().get("macnet").parent());
  }

  @Test
  void containersKeepOnlyWhatTheUserSet() {
    DesiredState state = both().state();
    Container web = state.containers().get("web");
    Attachment first = web.attachments().get(0);
    assertEquals(Optional.of(IpAddress.parse("10.15.20.10")), first.ipv4Address(), "IPAMConfig: the user's --ip");
    assertEquals(List.of("webalias"), first.aliases(), "the id alias is Docker's own");
    assertEquals(Attachment.dynamic("test-net2"), web.attachments().get(1), "an address Docker chose stays dynamic");
    assertEquals(List.of("8080:80/tcp", "5353:53/udp"), web.ports().stream().map(Object::toString).toList());
    assertEquals("127.0.0.1::443/tcp", web.dynamicPorts().get(0).toString());
    assertTrue(state.containers().get("net1-box").attachments().get(0).macAddress().isPresent(), "--mac-address");
    assertEquals(new NetworkMode.JoinContainer("web"), state.containers().get("joined").mode(), "container:ID by name");
    assertEquals(NetworkMode.HOST, state.containers().get("hostbox").mode());
    assertTrue(state.containers().get("hostbox").ports().isEmpty());
    assertEquals(NetworkMode.NONE, state.containers().get("loner").mode());
    assertFalse(state.containers().containsKey("ov-box"), "its only network is an overlay without hosts");
  }

  @Test
  void whatIsLeftOutIsSaidWithAReasonOneLineEach() {
    DockerInspectImport.Imported imported = both();
    String header = imported.notes().header("x");
    for (String expected : List.of("network \"host\": Docker's predefined network", "network \"docker_gwbridge\"",
        "network \"my-overlay\": an overlay network spans hosts", "network \"test-net2\" labels",
        "container \"old-web\" port 8080:80/tcp: another container publishes that host port",
        "container \"old-web\" on network \"testbridge1\" address 10.15.20.10: an earlier container has it",
        "container \"net1-box\" link web:w: they share no network")) {
      assertTrue(header.contains(expected), expected + " in\n" + header);
    }
    assertEquals(1, imported.notes().warnings().size(), "the overlay is also a warning");
    imported.notes().leftOut().forEach(l -> assertFalse(l.contains("\n"), l));
  }

  @Test
  void theImportValidates() {
    DesiredStateCheck.Checked checked = ImportFixtures.reread(both());
    assertTrue(checked.valid(), checked.diagnostics().toString());
    assertEquals(both().state().containers().keySet(), checked.state().containers().keySet());
  }

  @Test
  void overlayNetworksComeWithTheHostsGiven() {
    List<Host> hosts = List.of(new Host("a", IpAddress.parse("192.0.2.10"), Host.DEFAULT_VXLAN_PORT),
        new Host("b", IpAddress.parse("192.0.2.11"), Host.DEFAULT_VXLAN_PORT));
    DockerInspectImport.Imported imported = DockerInspectImport.read(
        JsonDocument.parse("n.json", ImportFixtures.text(ImportFixtures.NETWORKS)),
        Optional.of(JsonDocument.parse("c.json", ImportFixtures.text(ImportFixtures.CONTAINERS))), hosts);
    Network overlay = imported.state().networks().get("my-overlay");
    assertEquals(Driver.OVERLAY, overlay.driver());
    assertEquals(Optional.of(256), overlay.vxlanId());
    assertEquals(Optional.of("a"), imported.state().containers().get("ov-box").host(), "the first host runs them");
    assertTrue(imported.notes().warnings().isEmpty());
    DesiredStateCheck.Checked checked = ImportFixtures.reread(imported);
    assertTrue(checked.valid(), checked.diagnostics().toString());
  }

  @Test
  void withoutContainersFileTheNetworksMembersAreImportedDynamic() {
    DockerInspectImport.Imported imported = ImportFixtures.docker(ImportFixtures.text(ImportFixtures.NETWORKS),
        Optional.empty());
    DesiredState state = imported.state();
    assertEquals(List.of(Attachment.dynamic("testbridge1"), Attachment.dynamic("test-net2")),
        state.containers().get("web").attachments());
    assertEquals(NetworkMode.NONE, state.containers().get("loner").mode());
    assertTrue(imported.notes().header("x").contains("import again with --containers"));
    assertTrue(ImportFixtures.reread(imported).valid());
  }

  @Test
  void legacyLinksOnTheDefaultBridgeBecomeLinks() {
    String networks = """
        [{"Name": "bridge", "Driver": "bridge", "IPAM": {"Config": [{"Subnet": "172.17.0.0/16", "Gateway": "172.17.0.1"}]},
          "Options": {"com.docker.network.bridge.default_bridge": "true"}}]
        """;
    String containers = """
        [{"Name": "/db", "Id": "aaaaaaaaaaaa1", "HostConfig": {"NetworkMode": "default"},
          "NetworkSettings": {"Networks": {"bridge": {"IPAddress": "172.17.0.2"}}}},
         {"Name": "/web", "Id": "bbbbbbbbbbbb2", "HostConfig": {"NetworkMode": "default", "Links": ["/db:/web/database", "/gone:/web/x"]},
          "NetworkSettings": {"Networks": {"bridge": {"IPAddress": "172.17.0.3"}}}}]
        """;
    DockerInspectImport.Imported imported = ImportFixtures.docker(networks, Optional.of(containers));
    assertEquals("[db:database]", imported.state().containers().get("web").names().links().toString());
    assertTrue(imported.notes().header("x").contains("container \"web\" link gone:x: no such container was imported"),
        imported.notes().header("x"));
    DesiredStateCheck.Checked reread = ImportFixtures.reread(imported);
    assertTrue(reread.valid(), reread.diagnostics()::toString);
  }

  @Test
  void whatNetformCannotHaveIsLeftOutAndWhatItHasIsNot() {
    String networks = """
        [{"Name": "sealed", "Driver": "overlay", "Options": {"encrypted": ""},
          "IPAM": {"Config": [{"Subnet": "10.0.9.0/24"}]}},
         {"Name": "v6only", "Driver": "bridge", "EnableIPv4": false, "EnableIPv6": true,
          "IPAM": {"Config": [{"Subnet": "fd00:2::/64"}]}},
         {"Name": "dual", "Driver": "bridge", "EnableIPv6": true, "Options": {"com.docker.network.enable_ipv6": "true"},
          "IPAM": {"Config": [{"Subnet": "10.9.0.0/24"}, {"Subnet": "fd00:9::/64"}]}}]
        """;
    String containers = """
        [{"Name": "/web", "Id": "cccccccccccc3", "HostConfig": {"NetworkMode": "dual",
            "PortBindings": {"80/tcp": [{"HostIp": "0.0.0.0", "HostPort": "8080"}, {"HostIp": "::", "HostPort": "8080"}]}},
          "NetworkSettings": {"Networks": {"dual": {"IPAddress": "10.9.0.2",
            "IPAMConfig": {"LinkLocalIPs": ["169.254.1.1"]}, "DriverOpts": {"x": "y"}}}}}]
        """;
    List<Host> hosts = List.of(new Host("a", IpAddress.parse("192.0.2.10"), Host.DEFAULT_VXLAN_PORT));
    DockerInspectImport.Imported imported = DockerInspectImport.read(JsonDocument.parse("n.json", networks),
        Optional.of(JsonDocument.parse("c.json", containers)), hosts);
    assertEquals(List.of("dual"), List.copyOf(imported.state().networks().keySet()));
    String header = imported.notes().header("x");
    for (String expected : List.of("network \"sealed\": an encrypted overlay", "network \"v6only\": an IPv6-only network",
        "link-local addresses 169.254.1.1", "driver options x")) {
      assertTrue(header.contains(expected), expected + " in\n" + header);
    }
    assertFalse(header.contains("enable_ipv6"), "EnableIPv6 says it, and netform has it: " + header);
    assertEquals("[8080:80/tcp]", imported.state().containers().get("web").ports().toString(),
        "0.0.0.0 and :: together are every address: one port without an address");
    DesiredStateCheck.Checked checked = ImportFixtures.reread(imported);
    assertTrue(checked.passes(true), checked.diagnostics().toString());
  }
}
