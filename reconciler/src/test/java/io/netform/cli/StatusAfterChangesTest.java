package io.netform.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netform.agent.AgentRun;
import io.netform.agent.AgentStatus;
import io.netform.kernel.KernelTest;
import io.netform.kernel.StateDirectory;
import io.netform.testing.RepoFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * netform status after the agent, on the "live host" (the test JVM's own private network
 * namespace): what the agent last said is not taken for what the host holds once it is no longer
 * current.
 */
@KernelTest
class StatusAfterChangesTest {

  LiveHost host;
  Path repo;
  Path desired;

  @BeforeEach
  void setUp() throws Exception {
    host = LiveHost.create();
    desired = LiveHost.desired("08-icc-off.yaml");
    repo = Files.createTempDirectory("status-repo");
    try (Git git = Git.init().setInitialBranch("main").setDirectory(repo.toFile()).call()) {
      Files.copy(RepoFiles.examples().resolve("08-icc-off.yaml"), repo.resolve("net.yaml"));
      git.add().addFilepattern(".").call();
      git.commit().setMessage("icc off").setAuthor("test", "test@example.org").setCommitter("test", "test@example.org")
          .call();
    }
  }

  @AfterEach
  void tearDown() {
    host.run("destroy", "--auto-approve", desired.toString());
  }

  private ValidateCommandTest.Result status() {
    return ValidateCommandTest.run("status", "--state-dir", host.state().toString());
  }

  @Test
  void aOneShotRunAndADestroyByHandAreNotTakenForAHostInSync() {
    var once = host.run("agent", "--source", repo.toString(), "--once");
    assertEquals(0, once.code(), once.out() + once.err());
    assertTrue(once.out().contains("result:          applied"), once.out());
    var afterOnce = status();
    assertEquals(1, afterOnce.code(), afterOnce.out());
    assertTrue(afterOnce.out().contains("agent:           one-shot (agent --once), "), afterOnce.out());

    // The same word from a running agent, as it would write it at its next poll: current, and fine.
    StateDirectory state = StateDirectory.open(host.state());
    AgentStatus applied = AgentStatus.read(state).orElseThrow();
    new AgentStatus(applied.result(), applied.message(), applied.seenCommit(), applied.appliedCommit(), Instant.now(),
        applied.lastSuccess(), applied.reconciles(), applied.changesApplied())
        .by(AgentRun.every(Duration.ofSeconds(30), Duration.ofMinutes(5))).write(state);
    var running = status();
    assertEquals(0, running.code(), running.out());

    var destroyed = host.run("destroy", "--auto-approve", "--no-color", desired.toString());
    assertEquals(0, destroyed.code(), destroyed.out() + destroyed.err());
    var afterDestroy = status();
    assertEquals(1, afterDestroy.code(), "nothing is on the host: " + afterDestroy.out());
    assertTrue(afterDestroy.out().contains("result:          applied"), afterDestroy.out());
    assertTrue(afterDestroy.out().contains("\nchanged by hand: netform destroy at "), afterDestroy.out());
    assertTrue(afterDestroy.out().contains("netform destroy changed the host after the agent's last status"),
        afterDestroy.out());
  }
}
