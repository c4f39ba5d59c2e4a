package io.netform.cli;

import static io.netform.cli.ValidateCommandTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netform.agent.AgentStatus;
import io.netform.agent.CheckResults;
import io.netform.kernel.StateDirectory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatusCommandTest {

  @TempDir
  Path state;

  @Test
  void reportsWhatTheAgentLastDid() {
    assertEquals(1, run("status", "--state-dir", state.toString()).code(), "no agent yet");
    new AgentStatus(AgentStatus.INVALID, "commit b is invalid, keeping a", Optional.of("b"), Optional.of("a"), Instant.now(),
        Optional.empty(), 3, 12).write(StateDirectory.open(state));
    var r = run("status", "--state-dir", state.toString());
    assertEquals(1, r.code());
    assertTrue(r.out().contains("result:          invalid-commit"), r.out());
    assertTrue(r.out().contains("applied commit:  a"), r.out());
    new AgentStatus(AgentStatus.OK, "", Optional.of("c"), Optional.of("c"), Instant.now(), Optional.of(Instant.now()), 4, 12)
        .write(StateDirectory.open(state));
    assertEquals(0, run("status", "--state-dir", state.toString()).code());
  }

  /** In sync is not "fine" while an expectation the agent checked fails. */
  @Test
  void aFailedExpectationMakesTheStatusFail() {
    StateDirectory dir = StateDirectory.open(state);
    new AgentStatus(AgentStatus.OK, "", Optional.of("c"), Optional.of("c"), Instant.now(), Optional.of(Instant.now()), 4, 12)
        .write(dir);
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
        13).write(dir);
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
        .write(dir);
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
