package io.netform.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netform.model.AddressObject;
import io.netform.model.ForeignObjects;
import io.netform.model.HostModel;
import io.netform.model.ObservedHost;
import io.netform.model.Owner;
import io.netform.net.Cidr;
import io.netform.net.IpAddress;
import io.netform.net.TrackedConnection;
import io.netform.net.TrackedConnection.Tuple;
import io.netform.testing.Hosts;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

public class StaleConnectionsTest {

  /** Two containers on one network, publishing A_PORTS and B_PORTS (the kernel test's too). */
  static final String STATE = """
      networks:
        front: {bridge_name: br-front, ipam: {config: [{subnet: 10.91.0.0/24}]}}
      containers:
        a: {networks: {front: {ipv4_address: 10.91.0.10}}, ports: [A_PORTS]}
        b: {networks: {front: {ipv4_address: 10.91.0.11}}, ports: [B_PORTS]}
      """;
  static final IpAddress HOST = IpAddress.parse("198.18.0.2");
  static final IpAddress WORLD = IpAddress.parse("198.18.0.1");
  static final Set<IpAddress> LOCAL = Set.of(HOST);

  static HostModel target(String yaml) {
    return Hosts.target(Hosts.desired(yaml), ObservedHost.emptyHost());
  }

  /** The stale connections of going from {@code before} to {@code after}. */
  static StaleConnections change(String before, String after) {
    return StaleConnections.of(Planner.plan(target(after), new ObservedHost(target(before), ForeignObjects.none())));
  }

  public static String state(String aPorts, String bPorts) {
    return STATE.replace("A_PORTS", aPorts).replace("B_PORTS", bPorts);
  }

  /** A UDP connection from the world's {@code clientPort} to {@code to:port}, answered from {@code answerer:answerPort}. */
  static TrackedConnection udp(int clientPort, IpAddress to, int port, IpAddress answerer, int answerPort) {
    int status = to.equals(answerer) ? 0 : TrackedConnection.DESTINATION_NAT;
    return new TrackedConnection(TrackedConnection.UDP, new Tuple(WORLD, clientPort, to, port),
        new Tuple(answerer, answerPort, WORLD, clientPort), status, 1, 0);
  }

  @Test
  void aPortMovedToAnotherContainerLeavesTheConnectionsItsOldRuleRewroteStaleAndNoOther() {
    StaleConnections stale = change(state("\"9001:7001/udp\"", "\"9002:7002/udp\""),
        state("", "\"9001:7001/udp\", \"9002:7002/udp\""));
    IpAddress a = IpAddress.parse("10.91.0.10");
    IpAddress b = IpAddress.parse("10.91.0.11");
    assertEquals(Set.of(), stale.removedAddresses(), "both containers keep their addresses");
    assertTrue(stale.matches(udp(6000, HOST, 9001, a, 7001), LOCAL), "rewritten to a by the removed rule");
    assertFalse(stale.matches(udp(6001, HOST, 9002, b, 7002), LOCAL), "another port's connection");
    assertFalse(stale.matches(udp(6000, a, 7001, a, 7001), LOCAL), "a's port reached directly, not through the rule");
    TrackedConnection tcp = new TrackedConnection(TrackedConnection.TCP, new Tuple(WORLD, 6000, HOST, 9001),
        new Tuple(a, 7001, WORLD, 6000), TrackedConnection.DESTINATION_NAT, 1, 0);
    assertFalse(stale.matches(tcp, LOCAL), "the removed rule forwarded UDP only");
  }

  @Test
  void aNewUdpPortLeavesStaleTheConnectionsToTheHostItselfAtThatPortMadeBeforeIt() {
    StaleConnections stale = change(state("", ""), state("\"9001:7001/udp\"", ""));
    assertTrue(stale.matches(udp(6000, HOST, 9001, HOST, 9001), LOCAL), "sent to the host before the port was published");
    assertFalse(stale.matches(udp(6000, IpAddress.parse("203.0.113.9"), 9001, IpAddress.parse("203.0.113.9"), 9001), LOCAL),
        "to another machine, routed through the host: no DNAT would ever rewrite it");
    assertFalse(stale.matches(udp(6000, HOST, 9002, HOST, 9002), LOCAL), "another port");
  }

  @Test
  void aRemovedContainersAddressLeavesEveryConnectionWithItStaleUnlessItStaysInItsNamespace() {
    String before = state("", "");
    String reused = before.replace("a: {networks: {front: {ipv4_address: 10.91.0.10}}, ports: []}",
        "c: {networks: {front: {ipv4_address: 10.91.0.10}}}");
    StaleConnections stale = change(before, reused);
    IpAddress a = IpAddress.parse("10.91.0.10");
    assertEquals(Set.of(a), stale.removedAddresses(), "given to another container: a's connections are stale");
    TrackedConnection fromA = new TrackedConnection(TrackedConnection.UDP, new Tuple(a, 5000, WORLD, 6000),
        new Tuple(WORLD, 6000, HOST, 5000), TrackedConnection.SOURCE_NAT, 1, 0);
    assertTrue(stale.matches(fromA, LOCAL));

    AddressObject kept = new AddressObject("a", "eth0", Cidr.parse("10.91.0.10/24"), Owner.container("a"));
    Plan replaced = new Plan(List.of(new Change(Action.REPLACE, kept.key(), Optional.of(kept), Optional.of(kept), List.of(),
        Optional.of("veth replaced"))), List.of());
    assertTrue(StaleConnections.of(replaced).isEmpty(), "an address back where it was keeps its connections");
  }
}
