package io.netform.kernel.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netform.desired.DesiredState;
import io.netform.kernel.KernelTest;
import io.netform.kernel.firewall.FirewallKind;
import io.netform.plan.Plan;
import io.netform.testing.Hosts;
import io.netform.testing.SandboxContents;
import io.netform.util.Json;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Every behaviour of {@link BehaviourTest}, with netform's rules in nftables; but one, which differs. */
@KernelTest
class BehaviourNftablesTest extends BehaviourTest {

  @Override
  FirewallKind firewall() {
    return FirewallKind.NFTABLES;
  }

  /** Drift: a rule someone deleted from netform's table is planned back, and the next apply makes it again. */
  @Test
  void aDeletedRuleIsPlannedBackAndMadeAgain() throws Exception {
    DesiredState desired = Hosts.example("09-tomcat-mysql-ports.yaml");
    Hosts.converge(sandbox.host(), desired);
    String line = SandboxContents.run(sandbox, "nft", "-a", "list", "chain", "ip", "netform", "nat-NETFORM-DNAT").lines()
        .filter(l -> l.contains("dnat to")).findFirst().orElseThrow();
    SandboxContents.run(sandbox, "nft", "delete", "rule", "ip", "netform", "nat-NETFORM-DNAT", "handle",
        line.substring(line.lastIndexOf(' ') + 1));
    assertFalse(Hosts.inSync(sandbox.host(), desired), "the deleted DNAT rule is seen as missing");
    Plan repair = Hosts.converge(sandbox.host(), desired).plan();
    assertEquals(1, repair.changes().size(), repair.changes()::toString);
    assertTrue(Hosts.inSync(sandbox.host(), desired));
  }

  /** netform's rules with their packet/byte counters, from nft's JSON, keyed by their comment and statement. */
  @Override
  Map<String, String> counters() throws Exception {
    JsonNode all = Json.MAPPER.readTree(SandboxContents.run(sandbox, "nft", "-j", "list", "ruleset"));
    Map<String, String> out = new HashMap<>();
    for (JsonNode item : all.path("nftables")) {
      JsonNode rule = item.path("rule");
      for (JsonNode e : rule.path("expr")) {
        if (e.has("counter") && rule.path("comment").asString("").startsWith("netform:")) {
          out.put(rule.path("chain").asString() + " " + rule.path("comment").asString(),
              "[" + e.get("counter").path("packets").asLong() + ":" + e.get("counter").path("bytes").asLong() + "]");
        }
      }
    }
    return out;
  }

  /**
   * Unlike iptables, where netform's accepts sit in the FORWARD chain ahead of its policy, an
   * accept in netform's own nftables table is not final: iptables' FORWARD chain (another table at
   * the same hook) still drops with its policy. docs/firewall.md says so; netform leaves the
   * policy alone either way.
   */
  @Override
  @Test
  void aForwardPolicyOfDropStillWorksAndIsLeftAlone() throws Exception {
    applyUnderAForwardPolicyOfDrop();
    assertFalse(egress(), "iptables' DROP policy drops the egress");
    assertFalse(publishedPort(), "and the published port's traffic");
    assertTrue(iptables("-S", "FORWARD").contains("-P FORWARD DROP"), "netform never changes the policy");
    iptables("-P", "FORWARD", "ACCEPT");
    assertTrue(egress(), "with ACCEPT, netform's table decides");
    assertTrue(publishedPort());
  }

}
