package io.netform.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netform.kernel.KernelTest;
import io.netform.kernel.sandbox.Sandbox;
import io.netform.testing.Conditions;
import io.netform.testing.RepoFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.Test;

/** `systemctl stop` on the agent: SIGTERM, a clean stop, and nothing of a --sandbox left behind. */
@KernelTest
class AgentStopTest {

  @Test
  void aSigtermStopsTheAgentAndRemovesItsSandbox() throws Exception {
    Path repo = Files.createTempDirectory("agent-stop-repo");
    try (Git git = Git.init().setInitialBranch("main").setDirectory(repo.toFile()).call()) {
      Files.copy(RepoFiles.examples().resolve("07-none.yaml"), repo.resolve("net.yaml"));
      git.add().addFilepattern(".").call();
      git.commit().setMessage("none").setAuthor("t", "t@example.org").setCommitter("t", "t@example.org").call();
    }
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    Process agent = new ProcessBuilder(java, "-XX:TieredStopAtLevel=1", "-cp", classpath, "io.netform.cli.Main", "agent",
        "--sandbox", "--source", repo.toString(), "--listen", "none", "--poll", "1s")
        .redirectErrorStream(true).redirectOutput(Files.createTempFile("agent-stop", ".log").toFile()).start();
    try {
      assertTrue(Conditions.within(Duration.ofSeconds(60), () -> !sandboxesOf(agent.pid()).isEmpty()
          && sandboxesOf(agent.pid()).stream().anyMatch(d -> Files.exists(d.resolve("state/agent-status.json")))),
          "the agent made its sandbox and reconciled");
      agent.destroy(); // SIGTERM, as systemctl stop sends
      assertTrue(agent.waitFor(60, TimeUnit.SECONDS), "it stops");
      assertEquals(143, agent.exitValue(), "the JVM's exit on SIGTERM, which the unit counts as success");
      assertEquals(List.of(), sandboxesOf(agent.pid()), "its sandbox is removed before the JVM ends");
    } finally {
      agent.destroyForcibly();
    }
  }

  private static List<Path> sandboxesOf(long pid) {
    try (Stream<Path> dirs = Files.list(Sandbox.DEFAULT_ROOT)) {
      return dirs.filter(d -> d.getFileName().toString().startsWith(pid + "-")).toList();
    } catch (java.io.IOException e) {
      return List.of();
    }
  }
}
