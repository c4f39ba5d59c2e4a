package io.netform.ipam;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netform.desired.PortMapping;
import io.netform.desired.Protocol;
import io.netform.model.FirewallRule;
import io.netform.model.FirewallTable;
import io.netform.model.HostModel;
import io.netform.model.Owner;
import io.netform.net.IpAddress.Family;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ObservedPortsTest {

  /** A port published on IPv4 and IPv6 has a DNAT rule in iptables and one in ip6tables: it is one chosen port. */
  @Test
  void aPortPublishedOnBothFamiliesIsOnePort() {
    Owner web = Owner.container("web");
    HostModel host = HostModel.of(List.of(
        new FirewallRule(FirewallTable.NAT, "NETFORM-DNAT", "-p tcp -m tcp --dport 32768 -j DNAT --to-destination 10.9.0.2:80",
            0, web, Family.V4),
        new FirewallRule(FirewallTable.NAT, "NETFORM-DNAT",
            "-p tcp -m tcp --dport 32768 -j DNAT --to-destination [fd00:9::2]:80", 0, web, Family.V6)));
    assertEquals(Map.of("web", List.of(new PortMapping(Optional.empty(), 32768, 80, Protocol.TCP))),
        ObservedPorts.from(host));
  }
}
