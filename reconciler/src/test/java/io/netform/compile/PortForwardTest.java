package io.netform.compile;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netform.desired.Protocol;
import io.netform.model.FirewallRule;
import io.netform.model.FirewallTable;
import io.netform.model.ObservedHost;
import io.netform.model.Owner;
import io.netform.net.IpAddress;
import io.netform.testing.Hosts;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The forwards are read back from the DNAT rules the compiler writes, of every shape it writes. */
class PortForwardTest {

  static Set<PortForward> forwards(String yaml) {
    return Hosts.target(Hosts.desired(yaml), ObservedHost.emptyHost()).objects().values().stream()
        .filter(FirewallRule.class::isInstance).map(o -> PortForward.of((FirewallRule) o)).flatMap(Optional::stream)
        .collect(Collectors.toSet());
  }

  static PortForward v4(Protocol protocol, String host, int hostPort, String container, int containerPort) {
    return new PortForward(IpAddress.Family.V4, protocol, Optional.ofNullable(host).map(IpAddress::parse), hostPort,
        IpAddress.parse(container), containerPort);
  }

  @Test
  void everyPublishedPortIsOneForwardPerFamilyItIsPublishedOnWithItsHostAddressIfItHasOne() {
    Set<PortForward> read = forwards("""
        networks:
          front: {bridge_name: br-front, enable_ipv6: true, ipam: {config: [{subnet: 10.91.0.0/24}, {subnet: "fd00:91::/64"}]}}
        containers:
          web:
            networks: {front: {ipv4_address: 10.91.0.10, ipv6_address: "fd00:91::10"}}
            ports: ["9001:7001/udp", "192.0.2.1:8080:80", "0.0.0.0:8443:443/tcp"]
        """); // 0.0.0.0, as an IPv4 address, publishes on IPv4 only
    assertEquals(Set.of(
        v4(Protocol.UDP, null, 9001, "10.91.0.10", 7001),
        v4(Protocol.TCP, "192.0.2.1", 8080, "10.91.0.10", 80),
        v4(Protocol.TCP, null, 8443, "10.91.0.10", 443),
        new PortForward(IpAddress.Family.V6, Protocol.UDP, Optional.empty(), 9001, IpAddress.parse("fd00:91::10"), 7001)), read);
  }

  @Test
  void aPortPublishedThroughAnExternalBridgeHasNoHostAddressBesidesNotLoopback() {
    FirewallRule rule = new FirewallRule(FirewallTable.NAT, "NETFORM-DNAT",
        "! -d 127.0.0.0/8 -p udp -m udp --dport 53 -j DNAT --to-destination 172.17.0.2:53", 0, Owner.container("dns"));
    assertEquals(Optional.of(v4(Protocol.UDP, null, 53, "172.17.0.2", 53)), PortForward.of(rule));
  }

  @Test
  void otherRulesForwardNothing() {
    for (FirewallRule rule : List.of(
        new FirewallRule(FirewallTable.NAT, "NETFORM-POSTROUTING",
            "-s 10.91.0.10/32 -d 10.91.0.10/32 -p udp -m udp --dport 7001 -j MASQUERADE", 0, Owner.container("web")),
        new FirewallRule(FirewallTable.NAT, "PREROUTING", "-m addrtype --dst-type LOCAL -j NETFORM-DNAT", 0, Owner.HOST),
        new FirewallRule(FirewallTable.FILTER, "NETFORM-FORWARD", "-d 10.91.0.10/32 ! -i br-front -o br-front -p udp -m udp "
            + "--dport 7001 -j ACCEPT", 0, Owner.container("web")))) {
      assertEquals(Optional.empty(), PortForward.of(rule), rule.spec());
    }
  }
}
