package io.netform.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netform.compile.Chains;
import io.netform.kernel.KernelTest;
import io.netform.kernel.firewall.FirewallKind;
import io.netform.kernel.sandbox.Sandbox;
import io.netform.model.FirewallRule;
import io.netform.model.FirewallTable;
import io.netform.model.Owner;
import io.netform.plan.SavedPlan;
import io.netform.testing.ChildNetform;
import io.netform.testing.SandboxContents;
import io.netform.util.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A saved plan carries the desired state it was made from, and apply plans again from that, never
 * from the files on disk: an edited plan whose changes are not what that desired state makes is
 * refused with nothing changed, and a genuine one applies wherever it is run from. The real
 * command, in a sandbox, each run in a working directory of the test's choosing.
 */
@KernelTest
class SavedPlanDesiredStateTest {

  /** One network and one container on it. */
  static final String STATE = """
      version: 1
      networks:
        web:
          ipam:
            config:
              - subnet: 10.219.0.0/24
      containers:
        app:
          networks: [web]
      """;

  Sandbox sandbox;
  Path desired;
  Path elsewhere;
  Path plan;

  @BeforeEach
  void setUp() throws Exception {
    sandbox = Sandbox.create(Files.createTempDirectory("netform-sandboxes"));
    desired = Files.createTempDirectory("netform-desired");
    elsewhere = Files.createTempDirectory("netform-elsewhere");
    Files.writeString(desired.resolve("state.yaml"), STATE);
    plan = desired.resolve("plan.json");
    ChildNetform.Result planned = ChildNetform.runIn(desired, sandbox, "plan", "--out", "plan.json", "state.yaml");
    assertEquals(0, planned.code(), planned.out() + planned.err());
  }

  @AfterEach
  void tearDown() {
    sandbox.close();
  }

  @Test
  void anAcceptRuleAddedToANetformChainIsRefusedAndNothingChanges() throws Exception {
    FirewallRule accept = new FirewallRule(FirewallTable.FILTER, Chains.FORWARD, "-j ACCEPT", 0, Owner.network("web"));
    edit(root -> {
      ObjectNode c = ((ArrayNode) root.get("changes")).addObject();
      c.put("action", "create").put("key", accept.key()).put("owner", "network:web").put("kind", accept.kindLabel())
          .put("name", accept.displayName());
      c.putNull("before");
      c.set("after", Json.MAPPER.valueToTree(accept));
      c.putArray("changed_attributes");
    });
    String before = SandboxContents.of(sandbox);
    ChildNetform.Result applied = ChildNetform.runIn(elsewhere, sandbox, "apply", "--auto-approve", plan.toString());
    assertEquals(1, applied.code(), applied.out() + applied.err());
    assertEquals("netform: " + plan + ": create " + accept.kindLabel() + " " + accept.displayName() + " (" + accept.key()
        + "): made again from its desired state on this host now, the plan has no such change. The plan's changes are "
        + "not what its desired state makes on this host, so nothing was applied; make the plan again with: netform "
        + "plan --out FILE PATH\n", applied.err());
    assertEquals(before, SandboxContents.of(sandbox), "nothing made, no rule added");
  }

  @Test
  void anEditedDesiredStateIsRefusedUnlessTheChangesAgreeWithIt() throws Exception {
    String moved = STATE.replace("10.219.0.0/24", "10.220.0.0/24");
    edit(root -> keptFile(root).put("text", moved));
    String before = SandboxContents.of(sandbox);
    ChildNetform.Result refused = ChildNetform.runIn(elsewhere, sandbox, "apply", "--auto-approve", plan.toString());
    assertEquals(1, refused.code(), refused.out() + refused.err());
    assertTrue(refused.err().contains("made again from its desired state on this host now"), refused.err());
    assertEquals(before, SandboxContents.of(sandbox));

    // The changes of a plan made from the edited text agree with it: the plan then applies.
    Files.writeString(desired.resolve("state.yaml"), moved);
    Path agreeing = desired.resolve("agreeing.json");
    assertEquals(0, ChildNetform.runIn(desired, sandbox, "plan", "--out", agreeing.toString(), "state.yaml").code());
    ObjectNode changes = (ObjectNode) Json.MAPPER.readTree(Files.readString(agreeing));
    edit(root -> root.set("changes", changes.get("changes")));
    ChildNetform.Result applied = ChildNetform.runIn(elsewhere, sandbox, "apply", "--auto-approve", plan.toString());
    assertEquals(0, applied.code(), applied.out() + applied.err());
    assertTrue(SandboxContents.of(sandbox).contains("10.220.0.0/24"), SandboxContents.of(sandbox));
  }

  /** The plan's own desired state is applied: not the file on disk as it is now, nor one missing. */
  @Test
  void aGenuinePlanAppliesFromElsewhereAfterItsFilesChangedOrWentAway() throws Exception {
    Files.writeString(desired.resolve("state.yaml"), STATE.replace("10.219.0.0/24", "10.220.0.0/24"));
    Files.move(desired.resolve("state.yaml"), elsewhere.resolve("moved.yaml"));
    ChildNetform.Result applied = ChildNetform.runIn(elsewhere, sandbox, "apply", "--auto-approve", plan.toString());
    assertEquals(0, applied.code(), applied.out() + applied.err());
    assertTrue(applied.out().contains("Apply complete!"), applied.out());
    Files.writeString(elsewhere.resolve("state.yaml"), STATE);
    ChildNetform.Result again = ChildNetform.runIn(elsewhere, sandbox, "plan", "--detailed-exitcode", "state.yaml");
    assertEquals(0, again.code(), "the host holds the state the plan was made from: " + again.out());
  }

  @Test
  void anErrorInTheKeptDesiredStateNamesTheFileAsItWasRead() throws Exception {
    edit(root -> keptFile(root).put("text", STATE.replace("10.219.0.0/24", "10.300.0.0/24")));
    String before = SandboxContents.of(sandbox);
    ChildNetform.Result refused = ChildNetform.runIn(elsewhere, sandbox, "apply", "--auto-approve", plan.toString());
    assertEquals(1, refused.code(), refused.out() + refused.err());
    assertTrue(refused.err().startsWith("state.yaml:6:19: error: subnet \"10.300.0.0/24\""), "named as the plan read it: "
        + refused.err());
    assertTrue(refused.err().contains("netform: nothing applied: the desired state kept in " + plan + " has the errors "
        + "above; fix them in its files and make the plan again with: netform plan --out FILE PATH\n"), refused.err());
    assertFalse(refused.err().contains("Exception"), refused.err());
    assertEquals(before, SandboxContents.of(sandbox));
  }

  /**
   * A plan made with nftables is applied with nftables, never the default iptables; the backend
   * chosen in the environment at apply is refused when it is another.
   */
  @Test
  void aPlanIsAppliedWithTheFirewallBackendItWasMadeWith() throws Exception {
    Path nft = desired.resolve("nft.json");
    ChildNetform.Result planned = ChildNetform.runIn(desired, sandbox, "plan", "--firewall-backend", "nftables", "--out",
        nft.toString(), "state.yaml");
    assertEquals(0, planned.code(), planned.out() + planned.err());
    String before = SandboxContents.of(sandbox);
    ChildNetform.Result refused = ChildNetform.run(sandbox, Map.of(FirewallKind.ENVIRONMENT, "iptables"), "apply",
        "--auto-approve", nft.toString());
    assertEquals(1, refused.code(), refused.out() + refused.err());
    assertEquals("netform: NETFORM_FIREWALL_BACKEND=iptables: the saved plan " + nft + " was made with the firewall "
        + "backend nftables, which it is applied with: unset it, or make the plan again with: netform plan "
        + "--firewall-backend iptables --out FILE PATH\n", refused.err());
    assertEquals(before, SandboxContents.of(sandbox));
    ChildNetform.Result applied = ChildNetform.runIn(elsewhere, sandbox, "apply", "--auto-approve", nft.toString());
    assertEquals(0, applied.code(), applied.out() + applied.err());
    ChildNetform.Result again = ChildNetform.runIn(desired, sandbox, "plan", "--firewall-backend", "nftables",
        "--detailed-exitcode", "state.yaml");
    assertEquals(0, again.code(), "the rules are in nftables: " + again.out() + again.err());
  }

  /**
   * Nothing is read with a backend for a plan from a snapshot: made without a choice, it keeps none
   * and applies with apply's, here nftables from the environment; one chosen, even by the
   * environment, is kept.
   */
  @Test
  void aPlanFromASnapshotAppliesWithTheBackendChosenAtApplyUnlessOneWasChosenForIt() throws Exception {
    Path snapshot = desired.resolve("host.json");
    ChildNetform.Result shown = ChildNetform.run(sandbox.host().root(), Map.of(), List.of(), List.of("show", "--state-dir",
        sandbox.host().stateDir().toString(), "--netns-dir", sandbox.host().namespaces().dir().toString(), "--snapshot",
        snapshot.toString()));
    assertEquals(0, shown.code(), shown.out() + shown.err());
    Path chosen = desired.resolve("chosen.json");
    ChildNetform.Result planned = ChildNetform.run(sandbox, Map.of(FirewallKind.ENVIRONMENT, "iptables"), "plan",
        "--observed", snapshot.toString(), "--out", chosen.toString(), desired.resolve("state.yaml").toString());
    assertEquals(0, planned.code(), planned.out() + planned.err());
    assertEquals(Optional.of("iptables"), SavedPlan.read(chosen).from().firewallBackend());
    Path offline = desired.resolve("offline.json");
    planned = ChildNetform.runIn(desired, sandbox, "plan", "--observed", snapshot.toString(), "--out", offline.toString(),
        "state.yaml");
    assertEquals(0, planned.code(), planned.out() + planned.err());
    ChildNetform.Result applied = ChildNetform.run(sandbox, Map.of(FirewallKind.ENVIRONMENT, "nftables"), "apply",
        "--auto-approve", offline.toString());
    assertEquals(0, applied.code(), applied.out() + applied.err());
    ChildNetform.Result again = ChildNetform.runIn(desired, sandbox, "plan", "--firewall-backend", "nftables",
        "--detailed-exitcode", "state.yaml");
    assertEquals(0, again.code(), "the rules are in nftables: " + again.out() + again.err());
  }

  /** The name the plan's own message gives apply is taken, whatever it is: apply knows a plan by its content. */
  @Test
  void aPlanSavedUnderANameWithoutJsonApplies() throws Exception {
    ChildNetform.Result planned = ChildNetform.runIn(desired, sandbox, "plan", "--out", "myplan", "state.yaml");
    assertEquals(0, planned.code(), planned.out() + planned.err());
    assertTrue(planned.err().contains("Apply exactly these changes with: netform apply myplan"), planned.err());
    ChildNetform.Result applied = ChildNetform.runIn(desired, sandbox, "apply", "--auto-approve", "myplan");
    assertEquals(0, applied.code(), applied.out() + applied.err());
    assertTrue(SandboxContents.of(sandbox).contains("10.219.0.0/24"), SandboxContents.of(sandbox));
  }

  /** The one desired-state file the plan keeps. */
  private static ObjectNode keptFile(ObjectNode root) {
    return (ObjectNode) root.get("desired_state").get("files").get(0);
  }

  private void edit(Consumer<ObjectNode> change) throws Exception {
    ObjectNode root = (ObjectNode) Json.MAPPER.readTree(Files.readString(plan));
    change.accept(root);
    Files.writeString(plan, Json.MAPPER.writeValueAsString(root));
  }
}
