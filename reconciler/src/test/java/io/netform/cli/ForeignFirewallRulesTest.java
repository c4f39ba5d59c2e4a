package io.netform.cli;

import static io.netform.testing.SandboxContents.iptables;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netform.kernel.KernelTest;
import io.netform.kernel.sandbox.Sandbox;
import io.netform.testing.ChildNetform;
import io.netform.testing.RepoFiles;
import io.netform.testing.SandboxContents;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Foreign rules that need one of netform's chains (a rule inside it, a jump to it) block a plan
 * that deletes the chain, before anything changes: netform never removes them, and iptables
 * cannot delete a chain they need. The real command, in a sandbox.
 */
@KernelTest
class ForeignFirewallRulesTest {

  static final String PORTS = RepoFiles.examples().resolve("09-tomcat-mysql-ports.yaml").toString();
  static final String INSIDE = "-t filter NETFORM-FORWARD -i eth9 -j ACCEPT";
  static final String JUMP = "-t nat PREROUTING -p tcp -m tcp --dport 80 -j NETFORM-DNAT";

  Sandbox sandbox;

  @BeforeEach
  void setUp() throws Exception {
    sandbox = Sandbox.create(Files.createTempDirectory("netform-sandboxes"));
    ChildNetform.Result applied = ChildNetform.run(sandbox, Map.of(), "apply", "--auto-approve", PORTS);
    assertEquals(0, applied.code(), applied.out() + applied.err());
    iptables(sandbox, rule("-A", INSIDE));
    iptables(sandbox, rule("-A", JUMP));
  }

  @AfterEach
  void tearDown() {
    sandbox.close();
  }

  /** iptables arguments: {@code -t TABLE} from the rule, then {@code command}, then the chain and the rest of the rule. */
  static String[] rule(String command, String tableChainAndSpec) {
    String[] words = tableChainAndSpec.split(" ");
    String[] out = new String[words.length + 1];
    System.arraycopy(words, 0, out, 0, 2);
    out[2] = command;
    System.arraycopy(words, 2, out, 3, words.length - 2);
    return out;
  }

  @Test
  void destroyIsRefusedUntilNoForeignRuleNeedsNetformsChainsAndNothingChangesMeanwhile() throws Exception {
    String before = SandboxContents.of(sandbox);
    ChildNetform.Result refused = ChildNetform.run(sandbox, Map.of(), "destroy", "--auto-approve", PORTS);
    assertEquals(1, refused.code(), refused.out() + refused.err());
    assertTrue(refused.out().contains("conflict: netform would delete its chain nat NETFORM-DNAT, but a rule netform does "
        + "not own jumps to it: -t nat -A PREROUTING -p tcp -m tcp --dport 80 -j NETFORM-DNAT"), refused.out());
    assertTrue(refused.out().contains("hint: remove that rule (iptables -t nat -D PREROUTING -p tcp -m tcp --dport 80 -j "
        + "NETFORM-DNAT)"), refused.out());
    assertTrue(refused.out().contains("conflict: netform would delete its chain filter NETFORM-FORWARD, but it holds a rule "
        + "netform does not own: -t filter -A NETFORM-FORWARD -i eth9 -j ACCEPT"), refused.out());
    assertTrue(refused.err().contains("nothing destroyed"), refused.err());
    assertEquals(before, SandboxContents.of(sandbox), "links, namespaces and every rule are still there");

    iptables(sandbox, rule("-D", JUMP));
    ChildNetform.Result stillRefused = ChildNetform.run(sandbox, Map.of(), "destroy", "--auto-approve", PORTS);
    assertEquals(1, stillRefused.code(), "the rule inside NETFORM-FORWARD must be moved first: " + stillRefused.out());
    assertFalse(stillRefused.out().contains("NETFORM-DNAT, but"), stillRefused.out());
    assertTrue(stillRefused.out().contains("-t filter -A NETFORM-FORWARD -i eth9 -j ACCEPT"), stillRefused.out());

    iptables(sandbox, rule("-D", INSIDE));
    ChildNetform.Result destroyed = ChildNetform.run(sandbox, Map.of(), "destroy", "--auto-approve", PORTS);
    assertEquals(0, destroyed.code(), destroyed.out() + destroyed.err());
    assertTrue(destroyed.out().contains("Destroy complete!"), destroyed.out());
    assertFalse(SandboxContents.of(sandbox).contains("NETFORM"), SandboxContents.of(sandbox));
  }

  @Test
  void aSavedPlanWithAConflictIsNotApplied() throws Exception {
    Path empty = Files.writeString(Files.createTempDirectory("netform-desired").resolve("none.yaml"), "version: 1\n");
    Path plan = Files.createTempDirectory("netform-plan").resolve("plan.json");
    ChildNetform.Result planned = ChildNetform.run(sandbox, Map.of(), "plan", "--out", plan.toString(), empty.toString());
    assertEquals(1, planned.code(), "the plan has conflicts: " + planned.out());
    String before = SandboxContents.of(sandbox);
    ChildNetform.Result applied = ChildNetform.run(sandbox, Map.of(), "apply", "--auto-approve", plan.toString());
    assertEquals(1, applied.code(), applied.out() + applied.err());
    assertTrue(applied.err().contains("nothing applied"), applied.err());
    assertEquals(before, SandboxContents.of(sandbox), "nothing changed");
  }
}
