package io.netform.cli;

import static io.netform.cli.ValidateCommandTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netform.agent.AgentRun;
import io.netform.agent.AgentStatus;
import io.netform.agent.CheckResults;
import io.netform.agent.HandChange;
import io.netform.kernel.StateDirectory;
import io.netform.rollback.Checkpoint;
import io.netform.rollback.Checkpoints;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatusCommandTest {

  static final AgentRun RUNNING = AgentRun.every(Duration.ofSeconds(30), Duration.ofMinutes(5));

  @TempDir
  Path state;

  private static AgentStatus inSync(Instant at, AgentRun run) {
    return new AgentStatus(AgentStatus.APPLIED, "30 changes (once)", Optional.of("c"), Optional.of("c"), at, Optional.of(at),
        1, 30).by(run);
  }

  /** A running agent's status that is much older than its poll is no word about the host now. */
  @Test
  void anOverdueStatusAsksWhetherTheAgentRuns() {
    inSync(Instant.now().minus(Duration.ofHours(2)), RUNNING).write(StateDirectory.open(state));
    var r = run("status", "--state-dir", state.toString());
    assertEquals(1, r.code(), r.out());
    assertTrue(r.out().contains("result:          applied"), r.out());
    assertTrue(r.out().contains("agent:           polls every 30s, resyncs every 5m; its last status is from 2h ago, "
        + "later than 2m30s allows: is it running?"), r.out());
    assertTrue(r.out().contains("verdict:         not known to be in sync: the agent's status is overdue"), r.out());
    inSync(Instant.now().minus(Duration.ofMinutes(2)), RUNNING).write(StateDirectory.open(state));
    assertEquals(0, run("status", "--state-dir", state.toString()).code(), "within three polls and a minute");
  }

  /** agent --once found the host in sync then: status says how long ago, and does not claim it is now. */
  @Test
  void aOneShotStatusIsWhatTheHostHeldThen() {
    inSync(Instant.now().minus(Duration.ofMinutes(3)), AgentRun.once()).write(StateDirectory.open(state));
    var r = run("status", "--state-dir", state.toString());
    assertEquals(1, r.code(), r.out());
    assertTrue(r.out().contains("agent:           one-shot (agent --once), 3m ago: nothing has reconciled since, so this "
        + "is what the host held then, not now"), r.out());
  }

  /** A status that does not say how its agent runs cannot tell whether an agent still keeps the host. */
  @Test
  void aStatusWithoutItsRunIsNotTakenForCurrent() {
    new AgentStatus(AgentStatus.OK, "", Optional.of("c"), Optional.of("c"), Instant.now(), Optional.of(Instant.now()), 4, 12)
        .write(StateDirectory.open(state));
    var r = run("status", "--state-dir", state.toString());
    assertEquals(1, r.code(), r.out());
    assertTrue(r.out().contains("how it runs is not recorded"), r.out());
  }

  /** apply, destroy or rollback after the agent's last status: its word no longer says what the host holds. */
  @Test
  void aChangeByHandAfterTheStatusMakesItNotCurrent() {
    StateDirectory dir = StateDirectory.open(state);
    inSync(Instant.now().minusSeconds(5), RUNNING).write(dir);
    HandChange.begin(dir, "netform destroy");
    var r = run("status", "--state-dir", state.toString());
    assertEquals(1, r.code(), r.out());
    assertTrue(r.out().contains("\nchanged by hand: netform destroy at "), r.out());
    assertTrue(r.out().contains("netform destroy changed the host after the agent's last status"), r.out());
    inSync(Instant.now().plusMillis(1), RUNNING).write(dir);
    var again = run("status", "--state-dir", state.toString());
    assertEquals(0, again.code(), "the agent reconciled since: " + again.out());
    assertTrue(!again.out().contains("changed by hand"), again.out());
  }

  /** An apply waiting for confirmation, or past its deadline with no rollback done, is no host in sync. */
  @Test
  void aPendingCheckpointIsReported() {
    StateDirectory dir = StateDirectory.open(state);
    inSync(Instant.now(), RUNNING).write(dir);
    Checkpoints checkpoints = new Checkpoints(dir);
    checkpoints.update(Checkpoint.starting(Instant.now(), Duration.ofMinutes(5), "apply net/03.yaml"));
    var r = run("status", "--state-dir", state.toString());
    assertEquals(1, r.code(), r.out());
    assertTrue(r.out().contains("\ncheckpoint:      an apply of "), r.out());
    assertTrue(r.out().contains("(apply net/03.yaml) waits for confirmation until "), r.out());
    checkpoints.update(Checkpoint.starting(Instant.now().minus(Duration.ofMinutes(10)), Duration.ofSeconds(8),
        "apply net/03.yaml"));
    var overdue = run("status", "--state-dir", state.toString());
    assertEquals(1, overdue.code(), overdue.out());
    assertTrue(overdue.out().contains("was not confirmed by "), overdue.out());
    assertTrue(overdue.out().contains("and no rollback has completed"), overdue.out());
    checkpoints.clear();
    assertEquals(0, run("status", "--state-dir", state.toString()).code());
  }

  /** A damaged status file is said to be damaged, never taken for "no agent has run". */
  @Test
  void aDamagedStatusIsSaidToBeDamaged() throws Exception {
    StateDirectory dir = StateDirectory.open(state);
    Files.writeString(dir.agentStatus(), "{\"result\": \"in-sy");
    var r = run("status", "--state-dir", state.toString());
    assertEquals(1, r.code(), r.out());
    assertTrue(!r.out().contains("No agent has run"), r.out());
    assertTrue(r.err().startsWith("netform: the agent's status " + dir.agentStatus() + " is damaged (not JSON"), r.err());
    assertTrue(r.err().contains("mv " + dir.agentStatus() + " " + dir.agentStatus() + ".damaged"), r.err());
    Files.writeString(dir.agentStatus(), "[]");
    assertTrue(run("status", "--state-dir", state.toString()).err().contains("is damaged (it is not a status netform wrote"));
  }

  @Test
  void reportsWhatTheAgentLastDid() {
    assertEquals(1, run("status", "--state-dir", state.toString()).code(), "no agent yet");
    new AgentStatus(AgentStatus.INVALID, "commit b is invalid, keeping a", Optional.of("b"), Optional.of("a"), Instant.now(),
        Optional.empty(), 3, 12).by(RUNNING).write(StateDirectory.open(state));
    var r = run("status", "--state-dir", state.toString());
    assertEquals(1, r.code());
    assertTrue(r.out().contains("result:          invalid-commit"), r.out());
    assertTrue(r.out().contains("applied commit:  a"), r.out());
    assertTrue(r.out().contains("verdict:         not known to be in sync: the agent's last result is invalid-commit, not "
        + "in-sync or applied"), r.out());
    new AgentStatus(AgentStatus.OK, "", Optional.of("c"), Optional.of("c"), Instant.now(), Optional.of(Instant.now()), 4, 12)
        .by(RUNNING).write(StateDirectory.open(state));
    var fine = run("status", "--state-dir", state.toString());
    assertEquals(0, fine.code(), fine.out());
    assertTrue(fine.out().contains("agent:           polls every 30s, resyncs every 5m; last status "), fine.out());
    assertTrue(fine.out().contains("verdict:         in sync, as a running agent found it "), fine.out());
  }

  /** In sync is not "fine" while an expectation the agent checked fails. */
  @Test
  void aFailedExpectationMakesTheStatusFail() {
    StateDirectory dir = StateDirectory.open(state);
    new AgentStatus(AgentStatus.OK, "", Optional.of("c"), Optional.of("c"), Instant.now(), Optional.of(Instant.now()), 4, 12)
        .by(RUNNING).write(dir);
    new CheckResults(Instant.parse("2026-12-01T02:00:00Z"), Optional.of("c"), List.of(
        "ok    a -> b:80  expected reachable, reachable: 10.0.0.3 refused: nothing listens, the path is open",
        "FAIL  a -> c:80  expected reachable, blocked: 10.0.0.4 no answer (timed out)  (net.yaml:9:5)",
        "2 expectations checked: 1 held, 1 failed."), 2, 1).write(dir);
    var r = run("status", "--state-dir", state.toString());
    assertEquals(1, r.code(), r.out());
    assertTrue(r.out().contains("result:          in-sync"), r.out());
    assertTrue(r.out().contains("expectations:    2 expectations checked: 1 held, 1 failed. (at 2026-12-01T02:00:00Z, "
        + "commit c)\n  FAIL  a -> c:80"), r.out());
    new CheckResults(Instant.now(), Optional.of("c"), List.of("1 expectation checked: 1 held, 0 failed."), 1, 0).write(dir);
    assertEquals(0, run("status", "--state-dir", state.toString()).code());
  }

  /** Results of another commit than the one applied say nothing about it: shown as such, not counted either way. */
  @Test
  void resultsOfAnotherCommitAreNotCounted() {
    StateDirectory dir = StateDirectory.open(state);
    new AgentStatus(AgentStatus.APPLIED, "", Optional.of("d"), Optional.of("d"), Instant.now(), Optional.of(Instant.now()), 5,
        13).by(RUNNING).write(dir);
    new CheckResults(Instant.parse("2026-12-01T02:00:00Z"), Optional.of("c"), List.of("FAIL  a -> c:80",
        "1 expectation checked: 0 held, 1 failed."), 1, 1).write(dir);
    var r = run("status", "--state-dir", state.toString());
    assertEquals(0, r.code(), r.out());
    assertTrue(r.out().contains("expectations:    not checked yet for the applied commit (the last check, at "
        + "2026-12-01T02:00:00Z, was of commit c)"), r.out());
  }

  /** A results file that cannot be read must not hide a failure. */
  @Test
  void unreadableResultsCountAsAFailure() throws Exception {
    StateDirectory dir = StateDirectory.open(state);
    new AgentStatus(AgentStatus.OK, "", Optional.of("c"), Optional.of("c"), Instant.now(), Optional.of(Instant.now()), 4, 12)
        .by(RUNNING).write(dir);
    Files.writeString(dir.agentChecks(), "{\"at\": 12");
    var r = run("status", "--state-dir", state.toString());
    assertEquals(1, r.code(), r.out());
    assertTrue(r.out().contains("cannot be read"), r.out());
  }

  @Test
  void aStatusAnotherUserCouldHaveWrittenIsNotShown() throws Exception {
    new AgentStatus(AgentStatus.OK, "", Optional.of("c"), Optional.of("c"), Instant.now(), Optional.of(Instant.now()), 4, 12)
        .write(StateDirectory.open(state));
    Files.setPosixFilePermissions(state, PosixFilePermissions.fromString("rwxrwxrwx"));
    var r = run("status", "--state-dir", state.toString());
    assertEquals(1, r.code(), r.out());
    assertEquals("", r.out());
    assertTrue(r.err().startsWith("netform: refusing the state directory " + state + ": it is writable by group and others"),
        r.err());
  }
}
