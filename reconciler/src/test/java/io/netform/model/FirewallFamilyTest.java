package io.netform.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.netform.net.IpAddress.Family;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** iptables and ip6tables hold rules and chains of the same text: each family's is an object of its own. */
class FirewallFamilyTest {

  static final String JUMP = "-m addrtype --dst-type LOCAL -j NETFORM-DNAT";

  @Test
  void theIpv4AndIpv6CopiesOfARuleAreTwoObjects() {
    FirewallRule v4 = new FirewallRule(FirewallTable.NAT, "PREROUTING", JUMP, 0, Owner.HOST, Family.V4);
    FirewallRule v6 = new FirewallRule(FirewallTable.NAT, "PREROUTING", JUMP, 0, Owner.HOST, Family.V6);
    assertNotEquals(v4.key(), v6.key());
    assertNotEquals(v4.id(), v6.id(), "the id is in the ownership comment: each copy is recognised as itself");
    assertEquals(HostModel.of(java.util.List.of(v4, v6)).objects().size(), 2);
    FirewallChain chain4 = new FirewallChain(FirewallTable.NAT, "NETFORM-DNAT", Owner.HOST, Family.V4);
    FirewallChain chain6 = new FirewallChain(FirewallTable.NAT, "NETFORM-DNAT", Owner.HOST, Family.V6);
    assertNotEquals(chain4.key(), chain6.key());
    FirewallRule inChain6 = new FirewallRule(FirewallTable.NAT, "NETFORM-DNAT", "-j RETURN", 0, Owner.HOST, Family.V6);
    assertEquals(Set.of(chain6.key()), inChain6.dependsOn(), "a rule needs the chain of its own family");
    assertEquals("ip6 nat NETFORM-DNAT -j RETURN", inChain6.displayName());
  }

  /** Rules already on hosts keep their identity (and so their counters and comments) through the upgrade. */
  @Test
  void anIpv4RuleIsIdentifiedAsBeforeIpv6RulesExisted() {
    FirewallRule r = new FirewallRule(FirewallTable.NAT, "NETFORM-DNAT",
        "-p tcp -m tcp --dport 80 -j DNAT --to-destination 10.0.0.2:80", 0, Owner.container("web"));
    assertEquals("db61d9cc7f50ef01", r.id());
    assertEquals("rule/nat/NETFORM-DNAT/db61d9cc7f50ef01", r.key());
    assertEquals("chain/nat/NETFORM-DNAT", new FirewallChain(FirewallTable.NAT, "NETFORM-DNAT", Owner.HOST).key());
  }
}
