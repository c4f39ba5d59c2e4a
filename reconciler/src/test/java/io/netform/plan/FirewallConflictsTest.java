package io.netform.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netform.model.FirewallChain;
import io.netform.model.FirewallRule;
import io.netform.model.FirewallTable;
import io.netform.model.ForeignObjects;
import io.netform.model.ForeignRule;
import io.netform.model.HostModel;
import io.netform.model.KernelObject;
import io.netform.model.ObservedHost;
import io.netform.model.Owner;
import io.netform.net.IpAddress.Family;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Plans that would delete a chain a foreign rule needs are refused, through {@link Planner#plan}. */
class FirewallConflictsTest {

  static final FirewallChain DNAT = new FirewallChain(FirewallTable.NAT, "NETFORM-DNAT", Owner.HOST);
  static final FirewallChain FORWARD = new FirewallChain(FirewallTable.FILTER, "NETFORM-FORWARD", Owner.HOST);
  static final FirewallRule JUMP = new FirewallRule(FirewallTable.NAT, "PREROUTING",
      "-m addrtype --dst-type LOCAL -j NETFORM-DNAT", 0, Owner.HOST);

  static ObservedHost hostWith(List<ForeignRule> foreign, KernelObject... owned) {
    return new ObservedHost(HostModel.of(List.of(owned)),
        new ForeignObjects(Set.of(), List.of(), Set.of(), List.of(), Map.of(), foreign, "/run/netns"));
  }

  @Test
  void aForeignJumpToADeletedChainIsAConflictNamingTheRuleAndTheCommandThatRemovesIt() {
    ForeignRule jump = new ForeignRule(FirewallTable.NAT, "PREROUTING", "-p tcp -m tcp --dport 80 -j NETFORM-DNAT");
    Plan p = Planner.plan(HostModel.empty(), hostWith(List.of(jump), DNAT, JUMP));
    assertEquals(1, p.conflicts().size(), p.conflicts().toString());
    PlanConflict c = p.conflicts().get(0);
    assertEquals(DNAT.key(), c.key());
    assertTrue(c.message().contains("-t nat -A PREROUTING -p tcp -m tcp --dport 80 -j NETFORM-DNAT"), c.message());
    assertTrue(c.hint().contains("iptables -t nat -D PREROUTING -p tcp -m tcp --dport 80 -j NETFORM-DNAT"), c.hint());
  }

  @Test
  void aForeignRuleInsideADeletedChainIsAConflictToo() {
    ForeignRule inside = new ForeignRule(FirewallTable.FILTER, "NETFORM-FORWARD", "-i eth9 -j ACCEPT");
    Plan p = Planner.plan(HostModel.empty(), hostWith(List.of(inside), FORWARD));
    assertEquals(1, p.conflicts().size(), p.conflicts().toString());
    assertTrue(p.conflicts().get(0).message().contains("-t filter -A NETFORM-FORWARD -i eth9 -j ACCEPT"),
        p.conflicts().get(0).message());
    assertTrue(p.conflicts().get(0).hint().contains("iptables -t filter -D NETFORM-FORWARD -i eth9 -j ACCEPT"),
        p.conflicts().get(0).hint());
  }

  @Test
  void foreignRulesOfChainsThatStayOrOfAnotherTableAreNoConflict() {
    ForeignRule jump = new ForeignRule(FirewallTable.NAT, "PREROUTING", "-j NETFORM-DNAT");
    ForeignRule sameNameOtherTable = new ForeignRule(FirewallTable.FILTER, "NETFORM-DNAT", "-j ACCEPT");
    assertTrue(Planner.plan(HostModel.of(List.of(DNAT)), hostWith(List.of(jump), DNAT)).conflicts().isEmpty(),
        "the chain stays: the jump still has its target");
    assertTrue(Planner.plan(HostModel.empty(), hostWith(List.of(sameNameOtherTable), DNAT)).conflicts().isEmpty(),
        "a rule in filter does not hold a chain of nat");
  }

  @Test
  void anIp6tablesRuleHoldsOnlyTheIpv6ChainAndIsRemovedWithIp6tables() {
    ForeignRule jump6 = new ForeignRule(FirewallTable.NAT, "PREROUTING", "-p tcp -j NETFORM-DNAT", Family.V6);
    FirewallChain dnat6 = new FirewallChain(FirewallTable.NAT, "NETFORM-DNAT", Owner.HOST, Family.V6);
    assertTrue(Planner.plan(HostModel.of(List.of(dnat6)), hostWith(List.of(jump6), DNAT, dnat6)).conflicts().isEmpty(),
        "iptables' chain of the same name goes, ip6tables' stays: no conflict");
    Plan p = Planner.plan(HostModel.empty(), hostWith(List.of(jump6), DNAT, dnat6));
    assertEquals(1, p.conflicts().size(), p.conflicts().toString());
    assertEquals(dnat6.key(), p.conflicts().get(0).key());
    assertTrue(p.conflicts().get(0).message().contains("its chain ip6 nat NETFORM-DNAT"), p.conflicts().get(0).message());
    assertTrue(p.conflicts().get(0).hint().contains("ip6tables -t nat -D PREROUTING -p tcp -j NETFORM-DNAT"),
        p.conflicts().get(0).hint());
  }
}
