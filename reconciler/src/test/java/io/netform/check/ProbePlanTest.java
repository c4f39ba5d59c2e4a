package io.netform.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netform.compile.TargetState;
import io.netform.desired.DesiredState;
import io.netform.fleet.LocalState;
import io.netform.model.HostModel;
import io.netform.model.ObservedHost;
import io.netform.net.IpAddress;
import io.netform.testing.Hosts;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which expectations a host checks, from which namespace, towards which addresses. */
class ProbePlanTest {

  private static final DesiredState FLEET = Hosts.desired("""
      hosts:
        a: {address: 10.10.10.1}
        b: {address: 10.10.10.2}
      networks:
        ov: {driver: overlay, ipam: {config: [{subnet: 10.60.0.0/24}]}}
        front: {ipam: {config: [{subnet: 10.61.0.0/24}]}}
      containers:
        web: {host: a, networks: [ov, front]}
        sidecar: {host: a, network_mode: "container:web"}
        api: {host: b, networks: [ov]}
        api-sidecar: {host: b, network_mode: "container:api"}
        local-only: {host: b, networks: [front]}
      expect:
        - {from: sidecar, to: api, port: 80}
        - {from: web, to: 192.0.2.7, port: 443, reachable: false}
        - {from: api, to: web, port: 80}
        - {from: web, to: api-sidecar, port: 80}
        - {from: web, to: local-only, port: 80, reachable: false}
      """);

  private static List<Probe> onHost(String host) {
    LocalState share = LocalState.forHost(FLEET, host);
    HostModel held = TargetState.against(share, ObservedHost.emptyHost()).model();
    return ProbePlan.of(FLEET, host, share.overlay(), held);
  }

  @Test
  void aHostChecksWhatStartsInItsOwnContainersTowardsEveryAddressOfTheTarget() {
    List<Probe> a = onHost("a");
    Probe toRemote = a.get(0);
    assertEquals("web", toRemote.namespace(), "a joined container's connections start in the namespace it joins");
    assertEquals(List.of(IpAddress.parse("10.60.0.3")), toRemote.addresses(), "api is reached at its overlay address");
    assertEquals(List.of(IpAddress.parse("192.0.2.7")), a.get(1).addresses());
    assertTrue(a.get(2).notHere().orElseThrow().contains("runs on host b"), a.get(2).toString());
  }

  @Test
  void theOtherHostChecksItsOwnAndSkipsTheRest() {
    List<Probe> b = onHost("b");
    assertTrue(b.get(0).notHere().isPresent() && b.get(1).notHere().isPresent(), b.toString());
    Probe fromApi = b.get(2);
    assertEquals("api", fromApi.namespace());
    assertEquals(List.of(IpAddress.parse("10.60.0.2")), fromApi.addresses(),
        "web is reached from b only at its overlay address: its bridge network is a's alone");
  }

  @Test
  void aRemoteJoinedContainerIsReachedAtItsNamespacesOverlayAddressAndARemoteBridgeOnlyOneAtNone() {
    List<Probe> a = onHost("a");
    assertEquals(List.of(IpAddress.parse("10.60.0.3")), a.get(3).addresses(), "api-sidecar shares api's namespace");
    assertTrue(a.get(4).notHere().isEmpty() && a.get(4).addresses().isEmpty(),
        "local-only is on b's bridge network alone: no path from a, which the check reports as blocked");
  }
}
