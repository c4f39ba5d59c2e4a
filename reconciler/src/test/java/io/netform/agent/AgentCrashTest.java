package io.netform.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netform.kernel.KernelHost;
import io.netform.kernel.KernelTest;
import io.netform.kernel.Namespaces;
import io.netform.kernel.apply.CrashTest;
import io.netform.kernel.firewall.IptablesBackend;
import io.netform.kernel.netns.NamedNamespaces;
import io.netform.kernel.netns.NetnsHandle;
import io.netform.kernel.observe.HostObserver;
import io.netform.model.ObservedHost;
import io.netform.testing.RepoFiles;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.Test;
import io.netform.testing.Hosts;

/**
 * The agent killed with SIGKILL in the middle of an apply, then started again: it converges from
 * what is on the host (kernel, inventory, state files), with no orphan and no duplicate rule.
 */
@KernelTest
class AgentCrashTest {

  static final String EXAMPLE = "09-tomcat-mysql-ports.yaml";

  @Test
  void killedMidApplyThenRestartedConverges() throws Exception {
    String desired = Files.readString(RepoFiles.examples().resolve(EXAMPLE));
    Path repo = Files.createTempDirectory("agent-crash-repo");
    try (Git git = Git.init().setInitialBranch("main").setDirectory(repo.toFile()).call()) {
      Files.writeString(repo.resolve("net.yaml"), desired);
      git.add().addFilepattern(".").call();
      git.commit().setMessage("ports").setAuthor("t", "t@example.org").setCommitter("t", "t@example.org").call();
    }
    try (Namespaces ns = new Namespaces()) {
      // Halted at chosen steps (as kill -9 does: no cleanup, no shutdown hook)…
      for (int crashAt : new int[] {2, 9, 17, 26}) {
        NetnsHandle host = ns.create("agent-crash" + crashAt);
        Path state = Files.createTempDirectory("agent-crash-state");
        Path netns = Files.createTempDirectory("agent-crash-netns");
        Process halted = agent(host, repo, state, netns, crashAt, true);
        assertEquals(137, halted.waitFor(), "halted at step " + crashAt + ":\n" + output(halted));
        restartConverges(host, repo, state, netns, desired, "halt at step " + crashAt);
      }
      // …and a real SIGKILL sent to a running agent as soon as it says it is applying.
      NetnsHandle host = ns.create("agent-sigkill");
      Path state = Files.createTempDirectory("agent-crash-state");
      Path netns = Files.createTempDirectory("agent-crash-netns");
      Process running = agent(host, repo, state, netns, -1, false);
      List<String> lines = new ArrayList<>();
      try (BufferedReader out = new BufferedReader(new InputStreamReader(running.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = out.readLine()) != null) {
          lines.add(line);
          if (line.contains("applying")) {
            running.destroyForcibly(); // SIGKILL
            break;
          }
        }
      }
      assertTrue(running.waitFor(30, TimeUnit.SECONDS), "the agent did not die");
      assertEquals(137, running.exitValue(), "killed by SIGKILL: " + lines);
      restartConverges(host, repo, state, netns, desired, "SIGKILL");
    }
  }

  private static void restartConverges(NetnsHandle host, Path repo, Path state, Path netns, String desired, String after)
      throws Exception {
    Process restarted = agent(host, repo, state, netns, -1, true);
    assertEquals(0, restarted.waitFor(), "the restarted agent converges after " + after + ":\n" + output(restarted));
    KernelHost kernel = new KernelHost(host, new NamedNamespaces(netns), state, new IptablesBackend(host));
    ObservedHost seen = new HostObserver(kernel).observe();
    assertTrue(Hosts.plan(Hosts.desired(desired), seen).isEmpty(), "in sync after " + after);
    assertEquals(Set.of("lo"), seen.foreign().hostLinkNames(), "no orphan interface after " + after);
    assertTrue(seen.foreign().namespaces().isEmpty(), "no orphan namespace after " + after);
    CrashTest.assertNoDuplicateRules(host, -1);
    assertTrue(AgentStatus.read(kernel.state()).orElseThrow().healthy(), "status after " + after);
    new NamedNamespaces(netns).list().forEach(n -> new NamedNamespaces(netns).delete(n));
    new NamedNamespaces(netns).unmountDirectory();
  }

  /** The netform agent in a child JVM living in the test namespace. */
  private static Process agent(NetnsHandle host, Path repo, Path state, Path netns, int crashAfter, boolean once) {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> command = new ArrayList<>(List.of(java, "-XX:TieredStopAtLevel=1",
        "-Dnetform.test.crashAfterSteps=" + crashAfter, "-cp", classpath, "io.netform.cli.Main", "agent",
        "--source", repo.toString(), "--state-dir", state.toString(), "--netns-dir", netns.toString(), "--listen", "none"));
    if (once) {
      command.add("--once");
    }
    return host.start(new ProcessBuilder(command).redirectErrorStream(true));
  }

  private static String output(Process p) throws Exception {
    return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
  }
}
