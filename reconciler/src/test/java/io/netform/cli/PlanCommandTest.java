package io.netform.cli;

import static io.netform.cli.ValidateCommandTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netform.desired.load.DesiredStateTexts;
import io.netform.model.ForeignObjects;
import io.netform.model.HostModel;
import io.netform.model.ObservedHost;
import io.netform.plan.PlannedFrom;
import io.netform.plan.SavedPlan;
import io.netform.snapshot.Snapshot;
import io.netform.testing.RepoFiles;
import io.netform.util.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

class PlanCommandTest {

  @TempDir
  Path dir;

  private static String example(String name) {
    return RepoFiles.examples().resolve(name).toString();
  }

  @Test
  void aPlanFileThatCannotBeWrittenIsAnErrorWithTheFix() throws Exception {
    Path directory = Files.createDirectory(dir.resolve("a-directory"));
    var r = run("plan", "--observed", recordedHost(), "--out", directory.toString(), example("07-none.yaml"));
    assertEquals(1, r.code(), r.err());
    assertEquals("netform: cannot save the plan to " + directory + " (is a directory); nothing was saved. Give --out a file "
        + "in a directory you can write to\n", r.err());
    Path underAFile = Files.writeString(dir.resolve("a-file"), "").resolve("plan.json");
    var r2 = run("plan", "--observed", recordedHost(), "--out", underAFile.toString(), example("07-none.yaml"));
    assertEquals(1, r2.code(), r2.err());
    assertTrue(r2.err().startsWith("netform: cannot save the plan to " + underAFile + " (" + dir.resolve("a-file")
        + ": file exists); nothing was saved."), r2.err());
  }

  /** A saved plan keeps what it was made from: every file read, the lock, and the host chosen, which apply keeps to. */
  @Test
  void aSavedPlanKeepsTheDesiredStateItsLockAndTheHostItWasMadeFor() throws Exception {
    Path fleet = RepoFiles.examples().resolve("multi-host");
    Path plan = dir.resolve("plan.json");
    var r = run("plan", "--observed", recordedHost(), "--host", "docker3", "--out", plan.toString(), fleet.toString());
    assertEquals(0, r.code(), r.err());
    PlannedFrom from = SavedPlan.read(plan).from();
    assertEquals(Optional.of("docker3"), from.host());
    assertEquals(List.of(kept(fleet.resolve("overlay.yaml"))), from.texts().files());
    assertEquals(Optional.of(kept(fleet.resolve("netform.lock"))), from.texts().lock());
    var other = run("apply", "--state-dir", dir.resolve("state").toString(), "--netns-dir", dir.resolve("netns").toString(),
        "--auto-approve", "--host", "docker2", plan.toString());
    assertEquals(1, other.code(), other.out() + other.err());
    assertTrue(other.err().startsWith("netform: --host is kept in the saved plan " + plan), other.err());
  }

  /**
   * The backend chosen for a plan from a snapshot is kept and applied with: another given at apply is
   * refused before the host is read.
   */
  @Test
  void aSavedPlanKeepsItsFirewallBackendAndRefusesAnother() throws Exception {
    Path plan = dir.resolve("plan.json");
    var r = run("plan", "--observed", recordedHost(), "--firewall-backend", "nftables", "--out", plan.toString(),
        example("07-none.yaml"));
    assertEquals(0, r.code(), r.err());
    assertEquals(Optional.of("nftables"), SavedPlan.read(plan).from().firewallBackend());
    var other = run("apply", "--state-dir", dir.resolve("state").toString(), "--netns-dir", dir.resolve("netns").toString(),
        "--auto-approve", "--firewall-backend", "iptables", plan.toString());
    assertEquals(1, other.code(), other.out() + other.err());
    assertEquals("netform: --firewall-backend iptables: the saved plan " + plan + " was made with the firewall backend "
        + "nftables, which it is applied with: leave it out, or make the plan again with: netform plan "
        + "--firewall-backend iptables --out FILE PATH\n", other.err());
    assertTrue(Files.notExists(dir.resolve("state")), "refused before the host is touched");
    ObjectNode root = (ObjectNode) Json.MAPPER.readTree(Files.readString(plan));
    ((ObjectNode) root.get("desired_state")).put("firewall_backend", "pf");
    Files.writeString(plan, Json.MAPPER.writeValueAsString(root));
    var unknown = run("apply", "--state-dir", dir.resolve("state").toString(), "--netns-dir", dir.resolve("netns")
        .toString(), "--auto-approve", plan.toString());
    assertEquals("netform: " + plan + ": \"desired_state.firewall_backend\" is \"pf\", not iptables or nftables; make "
        + "the plan again with: netform plan --out FILE PATH\n", unknown.err());
  }

  /** Nothing was read with a backend for a snapshot: without a choice the plan keeps none, and apply uses its own. */
  @Test
  void aPlanFromASnapshotWithoutAChosenBackendKeepsNone() throws Exception {
    Path plan = dir.resolve("plan.json");
    var r = run("plan", "--observed", recordedHost(), "--out", plan.toString(), example("07-none.yaml"));
    assertEquals(0, r.code(), r.err());
    assertEquals(Optional.empty(), SavedPlan.read(plan).from().firewallBackend());
    assertTrue(Json.MAPPER.readTree(Files.readString(plan)).get("desired_state").get("firewall_backend").isNull());
  }

  /** A plan whose multi-host desired state has no host kept says what is wrong with the file, not with this machine. */
  @Test
  void aMultiHostPlanWithoutItsHostIsRefusedForWhatTheFileLacks() throws Exception {
    Path plan = dir.resolve("plan.json");
    var r = run("plan", "--observed", recordedHost(), "--host", "docker3", "--out", plan.toString(),
        RepoFiles.examples().resolve("multi-host").toString());
    assertEquals(0, r.code(), r.err());
    ObjectNode root = (ObjectNode) Json.MAPPER.readTree(Files.readString(plan));
    ((ObjectNode) root.get("desired_state")).putNull("host");
    Files.writeString(plan, Json.MAPPER.writeValueAsString(root));
    var refused = run("apply", "--state-dir", dir.resolve("state").toString(), "--netns-dir", dir.resolve("netns")
        .toString(), "--auto-approve", plan.toString());
    assertEquals(1, refused.code(), refused.out() + refused.err());
    assertTrue(refused.err().startsWith("netform: " + plan + ": the plan names no host of its multi-host desired state ("),
        refused.err());
    assertTrue(refused.err().endsWith("make the plan again with: netform plan --out FILE PATH\n"), refused.err());
    assertFalse(refused.err().contains("hostname") || refused.err().contains("--host NAME"), refused.err());
  }

  /**
   * A plan is saved only for a host an apply can find again: not a sandbox, gone when the plan is,
   * nor the empty host, which no host read live is.
   */
  @Test
  void aPlanOfASandboxOrOfTheEmptyHostIsNeverSaved() {
    assertNeverSaved("--sandbox", "a sandbox is removed when this command ends, so no apply could use it: leave out "
        + "--out (or --sandbox, to plan this machine)");
    assertNeverSaved("--empty-host", "--empty-host is no host: a host read live is never empty (its loopback, its "
        + "namespace directory), so apply would refuse the plan as stale: leave out --out (--format json prints the "
        + "plan), or plan against the host, on it or from a snapshot of it ('netform show --snapshot FILE' there, then "
        + "'netform plan --observed FILE --out PLAN PATH')");
  }

  private void assertNeverSaved(String host, String why) {
    Path plan = dir.resolve("plan.json");
    var r = run("plan", host, "--out", plan.toString(), example("07-none.yaml"));
    assertEquals(1, r.code(), r.out() + r.err());
    assertEquals("", r.out());
    assertEquals("netform: --out saves a plan for a later apply on the host it was made against, and " + why + "\n",
        r.err());
    assertTrue(Files.notExists(plan));
  }

  /** A snapshot of a host with nothing managed, as 'netform show --snapshot' records one: its path. */
  private String recordedHost() throws Exception {
    Path snapshot = dir.resolve("recorded-host.json");
    Snapshot.write(new ObservedHost(HostModel.empty(), new ForeignObjects(Set.of("lo"), List.of(), Set.of(), List.of(),
        Map.of(), List.of(), "/run/netns")), snapshot);
    return snapshot.toString();
  }

  private static DesiredStateTexts.Text kept(Path file) throws Exception {
    return new DesiredStateTexts.Text(file.toString(), Files.readString(file));
  }

  @Test
  void detailedExitCodeIsTwoWhenThereAreChanges() {
    var r = run("plan", "--empty-host", "--detailed-exitcode", "--no-color", example("09-tomcat-mysql-ports.yaml"));
    assertEquals(2, r.code(), r.err());
    assertTrue(r.out().contains("  # network \"myBridge\""), r.out());
    assertTrue(r.out().contains("  # container \"tomcat1\""), r.out());
    assertTrue(r.out().contains("Plan: 43 to add, 0 to change, 0 to destroy."), r.out());
  }

  /** As Terraform's plan does, the plan shows what validate warns about, before its changes. */
  @Test
  void thePlanShowsTheDesiredStatesWarnings() throws Exception {
    Path file = Files.writeString(dir.resolve("w.yaml"), "version: 1\nnetworks:\n  web: {}\ncontainers:\n  lonely: {}\n");
    var r = run("plan", "--empty-host", "--no-color", file.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.err().contains(file + ":5:11: warning: container \"lonely\" joins no network"), r.err());
    assertEquals(1, r.err().lines().filter(l -> l.contains("warning:")).count(), "each warning once: " + r.err());
  }

  /** Options --sandbox would ignore are refused, before anything is made. */
  @Test
  void optionsTheSandboxWouldIgnoreAreRefused() {
    var dirs = run("apply", "--sandbox", "--state-dir", dir.resolve("s").toString(), "--auto-approve", example("07-none.yaml"));
    assertEquals(1, dirs.code(), dirs.out());
    assertTrue(dirs.err().contains("--state-dir cannot be used with --sandbox"), dirs.err());
    var offline = run("plan", "--sandbox", "--empty-host", example("07-none.yaml"));
    assertEquals(1, offline.code(), offline.out());
    assertTrue(offline.err().contains("--empty-host plans against a recorded host and --sandbox against a sandbox"),
        offline.err());
  }

  /** With --format json a program reads the refusal as JSON too: validate's diagnostics on standard output. */
  @Test
  void anInvalidStateWithJsonOutputIsRefusedInJson() throws Exception {
    Path file = Files.writeString(dir.resolve("bad.yaml"), "version: 1\nnetworks:\n  -bad: {}\n");
    var r = run("plan", "--empty-host", "--format", "json", file.toString());
    assertEquals(1, r.code(), r.err());
    JsonNode json = JsonMapper.builder().build().readTree(r.out());
    assertEquals(false, json.get("valid").asBoolean());
    assertEquals("schema-propertyNames", json.get("diagnostics").get(0).get("code").asString());
    assertEquals(3, json.get("diagnostics").get(0).get("line").asInt());
  }

  @Test
  void withoutDetailedExitCodeChangesStillExitZero() {
    assertEquals(0, run("plan", "--empty-host", example("07-none.yaml")).code());
  }

  @Test
  void jsonOutputParsesAndCounts() {
    var r = run("plan", "--empty-host", "--format", "json", example("01-testbridge1-aux-addresses.yaml"));
    JsonNode json = JsonMapper.builder().build().readTree(r.out());
    assertEquals("1", json.get("format_version").asString());
    assertEquals(json.get("changes").size(), json.get("summary").get("add").intValue());
    assertTrue(json.get("fingerprint").asString().startsWith("sha256:"));
  }

  @Test
  void aFormatPlanDoesNotWriteIsRefusedWithTheAcceptedOnes() {
    for (String format : new String[] {"xml", "github"}) {
      var r = run("plan", "--empty-host", "--format", format, example("07-none.yaml"));
      assertEquals(1, r.code(), r.err());
      assertEquals("", r.out(), "no plan printed in another format than asked");
      assertEquals("netform: Invalid value for option '--format': expected one of [human, json] (case-insensitive) but was '"
          + format + "'", r.err().lines().findFirst().orElseThrow());
    }
    var json = run("plan", "--empty-host", "--format", "JSON", example("07-none.yaml"));
    assertEquals("1", JsonMapper.builder().build().readTree(json.out()).get("format_version").asString(), json.out());
  }

  @Test
  void planningAgainstTheRecordedResultGivesNoChanges() throws Exception {
    // Record "the host after apply" as a snapshot of the target, then plan against it.
    Path snap = dir.resolve("host.json");
    Path plan = dir.resolve("plan.json");
    var first = run("plan", "--observed", recordedHost(), "--out", plan.toString(), example("03-test-net1-test-net2.yaml"));
    assertEquals(0, first.code(), first.err());
    var target = SavedPlan.read(plan).plan().changes().stream().map(c -> c.after().orElseThrow()).toList();
    Snapshot.write(new ObservedHost(HostModel.of(target), ForeignObjects.none()), snap);
    var again = run("plan", "--observed", snap.toString(), "--detailed-exitcode", example("03-test-net1-test-net2.yaml"));
    assertEquals(0, again.code(), again.out() + again.err());
    assertTrue(again.out().contains("No changes."), again.out());
  }

  @Test
  void anInvalidDesiredStateIsNeverPlanned() {
    var r = run("plan", "--empty-host", example("invalid/subnet-overlap.yaml"));
    assertEquals(1, r.code());
    assertTrue(r.out().isEmpty(), "no plan printed");
    assertTrue(r.err().contains("subnet-overlap") && r.err().contains("no plan made"), r.err());
  }

  @Test
  void aMissingSnapshotIsAMessageNotAStackTrace() {
    var r = run("plan", "--observed", dir.resolve("nope.json").toString(), example("07-none.yaml"));
    assertEquals(1, r.code());
    assertTrue(r.err().contains("no such snapshot file"), r.err());
    assertTrue(!r.err().contains("Exception"), r.err());
  }

  /** Without --empty-host or --observed the plan is made against the live host: here the test JVM's own namespace. */
  @io.netform.kernel.KernelTest
  @Test
  void withoutAHostFlagTheLiveHostIsObserved() {
    var r = run("plan", "--detailed-exitcode", "--no-color", example("07-none.yaml"));
    assertEquals(2, r.code(), r.out() + r.err());
    assertTrue(r.out().contains("+ namespace centos3"), r.out());
  }

  @Test
  void foreignInterfacesHoldingAWantedNameAreConflicts() throws Exception {
    Path snap = dir.resolve("foreign.json");
    Files.writeString(snap, "{\"format\": \"netform-snapshot\", \"version\": 1, \"owned\": [],"
        + " \"foreign\": {\"host_links\": [\"linuxbridge1\"], \"host_routes\": [], \"namespaces\": []}}");
    var r = run("plan", "--observed", snap.toString(), "--no-color", example("01-testbridge1-aux-addresses.yaml"));
    assertEquals(1, r.code());
    assertTrue(r.out().contains("conflict: interface \"linuxbridge1\" already exists"), r.out());
  }

  @Test
  void thePlanShowsTheHostPortNetformChoseForAPortWithoutOne() {
    var r = run("plan", "--empty-host", "--no-color", example("13-compose-vocabulary.yaml"));
    assertEquals(0, r.code(), r.out() + r.err());
    assertTrue(r.out().contains("--dport 32768 -j DNAT --to-destination 10.70.0.2:443"), r.out());
    assertTrue(r.out().contains("-p udp -m udp --dport 32768 -j DNAT --to-destination 10.70.0.2:9000"), r.out());
  }
}
