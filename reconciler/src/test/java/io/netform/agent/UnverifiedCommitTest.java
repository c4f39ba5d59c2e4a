package io.netform.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netform.agent.git.CommitSignatures;
import io.netform.agent.git.GitSource;
import io.netform.agent.git.TestSigning;
import io.netform.kernel.KernelHost;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.ObjectId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reconciler's report of an unverified commit when there is no last good state to enforce:
 * that path reads no desired state and touches no kernel, so the host here has no kernel handles
 * at all (any use of them would fail the test). Enforcing the last good state is the same code
 * as for an invalid commit, covered by the kernel tests.
 */
class UnverifiedCommitTest {

  @TempDir
  Path dir;

  @Test
  void anUnsignedFirstCommitIsReportedAndNothingIsApplied() throws Exception {
    TestSigning.Key key = TestSigning.ed25519();
    ObjectId unsigned;
    try (Git origin = Git.init().setInitialBranch("main").setDirectory(dir.resolve("origin").toFile()).call()) {
      unsigned = TestSigning.commit(origin.getRepository(), "main", Map.of("net.yaml", "not even read\n"), "unsigned\n", null);
    }
    Path state = Files.createDirectories(dir.resolve("state"));
    KernelHost host = new KernelHost(null, null, state, null);
    GitSource source = new GitSource(dir.resolve("origin").toString(), "main", state.resolve("source"),
        Optional.of(CommitSignatures.load(key.writeTo(dir.resolve("allowed.asc")))));
    Reconciler reconciler = new Reconciler(source, ".", host);

    AgentStatus s = reconciler.reconcile("poll");
    assertEquals(AgentStatus.UNVERIFIED, s.result());
    assertEquals("commit " + unsigned.name() + " is unverified, keeping nothing: not signed", s.message());
    assertEquals(Optional.of(unsigned.name()), s.seenCommit());
    assertEquals(Optional.empty(), s.appliedCommit());
    assertTrue(s.isError());
    assertFalse(s.healthy());
    assertEquals(AgentStatus.UNVERIFIED, AgentStatus.read(host.state()).orElseThrow().result(), "written for netform status");
    assertFalse(Files.exists(state.resolve("last-good")));

    AgentStatus drift = reconciler.repairDrift("netlink event"); // no fetch: the same commit, still refused
    assertEquals(AgentStatus.UNVERIFIED, drift.result());
    assertEquals(2, drift.reconciles());
  }
}
