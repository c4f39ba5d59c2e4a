package io.netform.compile;

import io.netform.desired.Attachment;
import io.netform.desired.Container;
import io.netform.desired.DesiredState;
import io.netform.desired.Fleet;
import io.netform.desired.Host;
import io.netform.desired.Network;
import io.netform.desired.write.DesiredStateYaml;
import io.netform.fleet.LocalState;
import io.netform.model.BridgeObject;
import io.netform.model.ForeignObjects;
import io.netform.model.HostModel;
import io.netform.model.KernelObject;
import io.netform.model.NameFileObject;
import io.netform.model.ObservedHost;
import io.netform.names.FileMark;
import io.netform.names.NameRecord;
import io.netform.net.IpAddress;
import io.netform.testing.Hosts;
import io.netform.testing.RepoFiles;
import io.netform.validate.DesiredStateCheck;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * show on a host holding overlay networks: its share of the fleet is shown as a multi-host desired
 * state that validates and, planned for the same host, compiles back to exactly what the host holds.
 */
class DecompiledOverlaysTest {

  static DesiredState example() {
    return Hosts.examples(RepoFiles.examples().resolve("multi-host"));
  }

  /** What {@code host} holds once its share of {@code fleet} is applied. */
  static HostModel wired(DesiredState fleet, String host) {
    TargetState t = TargetState.against(LocalState.forHost(fleet, host), ObservedHost.emptyHost());
    assertEquals(List.of(), t.problems());
    return t.model();
  }

  static boolean hasGatewayBridge(HostModel held) {
    return held.objects().values().stream().anyMatch(o -> o instanceof BridgeObject b && b.owner().name().equals(Fleet.GATEWAY_BRIDGE));
  }

  record RoundTrip(Decompiler.Shown shown, String yaml) {
    DesiredState state() {
      return shown.state();
    }
  }

  /** Shows {@code held} as host {@code host} at {@code address}; the YAML validates without a warning. */
  static RoundTrip assertValid(HostModel held, String host, Optional<IpAddress> address) {
    Decompiler.Shown shown = Decompiler.show(held, new Decompiler.ThisHost(host, address));
    String yaml = DesiredStateYaml.write(shown.state(), String.join("\n", shown.notes()));
    DesiredStateCheck.Checked reread = DesiredStateCheck.runText("shown.yaml", yaml);
    assertTrue(reread.passes(true), () -> yaml + "\n" + reread.diagnostics());
    return new RoundTrip(shown, yaml);
  }

  /** As {@link #assertValid}, and planned for {@code host} it compiles back to exactly {@code held}. */
  static RoundTrip assertRoundTrips(HostModel held, String host, Optional<IpAddress> address) {
    RoundTrip r = assertValid(held, host, address);
    DesiredState reread = DesiredStateCheck.runText("shown.yaml", r.yaml()).state();
    HostModel again = TargetState.against(LocalState.forHost(reread, host),
        new ObservedHost(held, ForeignObjects.none())).model();
    assertEquals(held, again, () -> "show output for " + host + " does not compile back:\n" + r.yaml());
    return r;
  }

  @Test
  void eachHostOfTheExampleRoundTripsThroughShowWithoutALockFile() {
    for (String host : List.of("docker2", "docker3")) {
      assertRoundTrips(wired(example(), host), host, Optional.of(example().fleet().hosts().get(host).address()));
    }
  }

  @Test
  void docker2IsShownWithItsOverlaysHostsAndTheContainersOfDocker3ItHasEntriesFor() {
    DesiredState shown = assertRoundTrips(wired(example(), "docker2"), "docker2",
        Optional.of(IpAddress.parse("10.10.10.102"))).state();
    assertEquals(List.of(new Host("docker2", IpAddress.parse("10.10.10.102"), 4789),
        new Host("docker3", IpAddress.parse("192.168.50.101"), 4789)), List.copyOf(shown.fleet().hosts().values()));
    Network overlay = shown.networks().get("myoverlay");
    assertTrue(overlay.isOverlay());
    assertEquals("172.16.16.0/24", overlay.pools().get(0).subnet().toString());
    assertEquals(Optional.of(IpAddress.parse("172.16.16.1")), overlay.pools().get(0).gateway());
    assertEquals(Optional.of(256), overlay.vxlanId());
    assertFalse(overlay.internal());
    assertTrue(shown.networks().get("myinternaloverlay").internal(), "db, on it alone, has no way out here");
    assertFalse(shown.networks().containsKey(Fleet.GATEWAY_BRIDGE), "derived from the overlays, never shown");
    Container web1 = shown.containers().get("web1");
    assertEquals(Optional.of("docker2"), web1.host());
    assertEquals(List.of("myoverlay"), web1.attachments().stream().map(Attachment::network).toList());
    assertEquals(Optional.of(IpAddress.parse("172.16.16.128")), web1.attachments().get(0).ipv4Address());
    assertEquals(1, web1.ports().size());
    Container web2 = shown.containers().get("web2");
    assertEquals(Optional.of("docker3"), web2.host());
    assertEquals(java.util.Set.of(Optional.of(IpAddress.parse("172.16.16.129")), Optional.of(IpAddress.parse("192.10.10.2"))),
        java.util.Set.copyOf(web2.attachments().stream().map(Attachment::ipv4Address).toList()));
  }

  @Test
  void theYamlSaysHostsOverlaysAndTheVxlanIdInTheFormatsWords() {
    String yaml = assertRoundTrips(wired(example(), "docker2"), "docker2", Optional.of(IpAddress.parse("10.10.10.102")))
        .yaml();
    assertTrue(yaml.contains("hosts:\n  docker2:\n    address: 10.10.10.102\n  docker3:\n    address: 192.168.50.101\n"),
        yaml);
    assertTrue(yaml.contains("    driver: overlay\n"), yaml);
    assertTrue(yaml.contains("    driver_opts:\n      com.docker.network.driver.overlay.vxlanid_list: '257'\n"), yaml);
    assertTrue(yaml.contains("  web2:\n    host: docker3\n"), yaml);
    assertFalse(yaml.contains("mtu"), "the overlay's own MTU is its default: " + yaml);
  }

  /** docker4 has no container on the overlay: only the firewall knows it, and no name for it is recorded. */
  @Test
  void aHostKnownOnlyByItsAddressGetsANameFromItAndADifferentVxlanPortIsKept() {
    DesiredState fleet = Hosts.desired(OverlayTargetTest.FLEET);
    RoundTrip r = assertRoundTrips(wired(fleet, "docker2"), "docker2", Optional.of(IpAddress.parse("10.10.10.102")));
    assertEquals(new Host("host-192-168-50-102", IpAddress.parse("192.168.50.102"), 4789),
        r.state().fleet().hosts().get("host-192-168-50-102"));
    assertEquals(4790, r.state().fleet().hosts().get("docker3").vxlanPort());
    assertTrue(r.shown().notes().stream().anyMatch(n -> n.contains("(host-192-168-50-102) have no name recorded")),
        r.shown().notes()::toString);
  }

  /** web2 is on both overlays on docker3, and has its way out through the one that is not internal. */
  @Test
  void anOverlayWhoseInternalityThisHostCannotTellIsShownAsNotInternalAndSaidSo() {
    RoundTrip r = assertRoundTrips(wired(example(), "docker3"), "docker3", Optional.of(IpAddress.parse("192.168.50.101")));
    assertFalse(r.state().networks().get("myinternaloverlay").internal());
    assertTrue(r.shown().notes().stream().anyMatch(n -> n.startsWith("Whether overlay network myinternaloverlay is internal")),
        r.shown().notes()::toString);
  }

  @Test
  void withoutItsUnderlayAddressThisHostGetsAStandInThatIsSaid() {
    RoundTrip r = assertRoundTrips(wired(example(), "docker2"), "docker2", Optional.empty());
    assertEquals(IpAddress.parse("192.0.2.1"), r.state().fleet().hosts().get("docker2").address());
    assertTrue(r.shown().notes().stream().anyMatch(n -> n.contains("192.0.2.1 stands in for it")), r.shown().notes()::toString);
  }

  /** A name record written before hosts were recorded names the remote containers only. */
  @Test
  void aRecordWithoutHostNamesStillGivesTheRemoteContainersAndNamesTheirHostAfterItsAddress() {
    List<KernelObject> objects = new ArrayList<>();
    for (KernelObject o : wired(example(), "docker2").objects().values()) {
      if (o instanceof NameFileObject f && f.file() == NameFileObject.Kind.RECORD) {
        NameRecord r = NameRecord.parse(f.container(), f.content());
        NameRecord old = new NameRecord(r.container(), r.serve(), r.endpoints(), r.settings(),
            r.remotes().stream().map(x -> new NameRecord.Remote(x.network(), x.container(), x.ipv4(), x.aliases(), ""))
                .toList());
        o = new NameFileObject(f.container(), f.file(), FileMark.file(f.owner(), old.body()), f.owner());
      }
      objects.add(o);
    }
    RoundTrip r = assertValid(HostModel.of(objects), "docker2", Optional.of(IpAddress.parse("10.10.10.102")));
    assertEquals(Optional.of("host-192-168-50-101"), r.state().containers().get("web2").host());
    assertEquals(IpAddress.parse("192.168.50.101"), r.state().fleet().hosts().get("host-192-168-50-101").address());
  }

  @Test
  void aHostNameTheEntriesGiveAnotherHostIsRefused() {
    HostModel docker2 = wired(example(), "docker2");
    Decompiler.WrongHost e = assertThrows(Decompiler.WrongHost.class,
        () -> Decompiler.show(docker2, new Decompiler.ThisHost("docker3", Optional.empty())));
    assertTrue(e.getMessage().contains("record docker3 as another host, at 192.168.50.101"), e.getMessage());
  }

  /** A container on a bridge network and an overlay leaves through the bridge network: no priority is needed to say so. */
  @Test
  void aContainerOnABridgeNetworkAndAnOverlayRoundTripsWithoutAGatewayPriority() {
    DesiredState fleet = Hosts.desired("""
        hosts:
          docker2: {address: 10.10.10.102}
          docker3: {address: 192.168.50.101}
        networks:
          plain: {ipam: {config: [{subnet: 10.30.0.0/24}]}}
          demo: {driver: overlay, mtu: 1400}
        containers:
          both: {host: docker2, networks: [plain, demo], ports: ["8080:80"]}
          web2: {host: docker3, networks: {demo: {aliases: [api], mac_address: "02:00:00:00:00:09"}}}
        """);
    RoundTrip r = assertRoundTrips(wired(fleet, "docker2"), "docker2", Optional.of(IpAddress.parse("10.10.10.102")));
    assertFalse(r.yaml().contains("gw_priority"), r.yaml());
    assertFalse(hasGatewayBridge(wired(fleet, "docker2")),
        "a container with a network with a gateway gets no gateway bridge (Docker's needDefaultGW)");
    assertTrue(hasGatewayBridge(wired(fleet, "docker3")),
        "web2, on the overlay alone, leaves through it");
    assertFalse(r.state().networks().get("demo").internal(), "no interface on the gateway bridge says nothing here");
    assertTrue(r.shown().notes().stream().anyMatch(n -> n.startsWith("Whether overlay network demo is internal")),
        r.shown().notes()::toString);
    assertTrue(r.yaml().contains("    mtu: 1400\n"), r.yaml());
    Attachment web2 = r.state().containers().get("web2").attachments().get(0);
    assertEquals(List.of("api"), web2.aliases());
    assertEquals(Optional.of(io.netform.net.MacAddress.parse("02:00:00:00:00:09")), web2.macAddress());
  }

  /** An overlay that containers naming no network join keeps its VXLAN id through show. */
  @Test
  void aDefaultOverlayKeepsItsVxlanId() {
    DesiredState fleet = Hosts.desired("""
        hosts:
          docker2: {address: 10.10.10.102}
          docker3: {address: 192.168.50.101}
        networks:
          ov: {driver: overlay, default: true, driver_opts: {com.docker.network.driver.overlay.vxlanid_list: "4097"}}
        containers:
          x: {host: docker2}
          y: {host: docker3}
        """);
    RoundTrip r = assertRoundTrips(wired(fleet, "docker2"), "docker2", Optional.of(IpAddress.parse("10.10.10.102")));
    assertTrue(r.state().networks().get("ov").isDefault(), r.yaml());
    assertEquals(Optional.of(4097), r.state().networks().get("ov").vxlanId(), r.yaml());
  }
}
