package io.netform.kernel.firewall;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netform.model.FirewallRule;
import io.netform.model.FirewallTable;
import io.netform.model.Owner;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The comment that marks netform's rules: read back as written; any other comment is someone else's. */
class RuleCommentTest {

  @Test
  void whatIsWrittenIsReadBack() {
    for (FirewallRule rule : List.of(
        new FirewallRule(FirewallTable.FILTER, "FORWARD", "-j NETFORM-FORWARD", 0, Owner.HOST),
        new FirewallRule(FirewallTable.FILTER, "NETFORM-FORWARD", "-i nf-a -o nf-a -j ACCEPT", 3, Owner.network("web.1")),
        new FirewallRule(FirewallTable.NAT, "NETFORM-DNAT", "-p tcp --dport 8080 -j DNAT --to-destination 10.0.0.2:80", 12,
            Owner.container("tomcat_1")))) {
      String comment = RuleComment.of(rule);
      assertEquals(Optional.of(new RuleComment.Parsed(rule.id(), rule.tier(), rule.owner())), RuleComment.parse(comment),
          comment);
    }
  }

  @Test
  void anotherToolsCommentIsNotNetforms() {
    for (String comment : new String[] {"", "docker", "ufw-user-input", "netform", "NETFORM:0123:1:host",
        " netform:0123:1:host", "managed by netform:0123:1:host"}) {
      assertEquals(Optional.empty(), RuleComment.parse(comment), comment);
    }
  }

  @Test
  void aDamagedMarkerIsNotTakenForNetforms() {
    for (String comment : new String[] {"netform:", "netform:0123", "netform:0123:1", "netform:0123:one:host",
        "netform:0123::host", "netform:0123:99999999999:host", "netform:0123:1:", "netform:0123:1:nobody",
        "netform:0123:1:robot:x", "netform:0123:1:network"}) {
      assertEquals(Optional.empty(), RuleComment.parse(comment), comment);
    }
  }
}
