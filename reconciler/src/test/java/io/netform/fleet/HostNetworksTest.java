package io.netform.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netform.desired.DesiredState;
import io.netform.testing.Hosts;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A host of a fleet has the bridge and macvlan networks its own containers use, and those nobody uses. */
class HostNetworksTest {

  private static final DesiredState FLEET = Hosts.desired("""
      hosts:
        a: {address: 10.10.10.1}
        b: {address: 10.10.10.2}
      networks:
        only-b: {ipam: {config: [{subnet: 10.1.0.0/24}]}}
        unused: {}
        fallback: {default: true}
        ov: {driver: overlay}
      containers:
        x: {host: a, networks: [ov]}
        y: {host: b, networks: [only-b, ov]}
        z: {host: b}
      """);

  @Test
  void aHostHasTheNetworksOfItsOwnContainersAndThoseNobodyUses() {
    assertEquals(Set.of("unused"), HostNetworks.localOn(FLEET, "a"));
    assertEquals(Set.of("only-b", "unused", "fallback"), HostNetworks.localOn(FLEET, "b"),
        "z names no network: it joins the default one");
  }

  @Test
  void aHostsShareLeavesOutTheOtherHostsNetworks() {
    List<String> onA = List.copyOf(LocalState.forHost(FLEET, "a").state().networks().keySet());
    assertEquals(List.of("unused", "ov", "docker_gwbridge"), onA);
    List<String> onB = List.copyOf(LocalState.forHost(FLEET, "b").state().networks().keySet());
    assertEquals(List.of("only-b", "unused", "fallback", "ov"), onB,
        "y leaves through only-b, so it needs no gateway bridge (Docker's needDefaultGW)");
  }
}
