package io.netform.kernel.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netform.kernel.KernelHost;
import io.netform.kernel.KernelTest;
import io.netform.kernel.Namespaces;
import io.netform.kernel.firewall.IptablesBackend;
import io.netform.kernel.netns.NamedNamespaces;
import io.netform.kernel.netns.NetnsHandle;
import io.netform.kernel.observe.HostObserver;
import io.netform.model.ObservedHost;
import io.netform.plan.Planner;
import io.netform.testing.Hosts;
import io.netform.testing.RepoFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * kill -9 between any two steps of a realistic apply: for every step index a netform process
 * applying example 09 is halted there (no cleanup runs), then a fresh run must converge, with no
 * orphan interface or namespace and no duplicate firewall rule.
 */
@KernelTest
public class CrashTest {

  static final Path EXAMPLE = RepoFiles.examples().resolve("09-tomcat-mysql-ports.yaml");

  @Test
  void everyCrashPointConverges() throws Exception {
    int steps = Planner.plan(Hosts.target(Hosts.example("09-tomcat-mysql-ports.yaml"),
        ObservedHost.emptyHost()), ObservedHost.emptyHost()).steps().size();
    assertTrue(steps > 20, "a realistic plan");
    try (Namespaces ns = new Namespaces()) {
      for (int crashAt = 1; crashAt <= steps; crashAt++) {
        NetnsHandle host = ns.create("crash" + crashAt);
        Path state = Files.createTempDirectory("netform-crash-state");
        Path netns = Files.createTempDirectory("netform-crash-netns");
        int halted = netform(host, state, netns, crashAt);
        assertEquals(137, halted, "the process must die at crash point " + crashAt + " (halted like kill -9)");
        assertEquals(0, netform(host, state, netns, -1), "the next apply converges after a crash at step " + crashAt);
        KernelHost kernel = new KernelHost(host, new NamedNamespaces(netns), state, new IptablesBackend(host));
        ObservedHost seen = new HostObserver(kernel).observe();
        assertTrue(Planner.plan(Hosts.target(Hosts.example("09-tomcat-mysql-ports.yaml"), seen), seen)
            .isEmpty(), "converged after crash at step " + crashAt);
        assertEquals(Set.of("lo"), seen.foreign().hostLinkNames(), "no orphan interface after crash at " + crashAt);
        assertTrue(seen.foreign().namespaces().isEmpty(), "no orphan namespace after crash at " + crashAt);
        assertNoDuplicateRules(host, crashAt);
        new NamedNamespaces(netns).list().forEach(n -> new NamedNamespaces(netns).delete(n));
        new NamedNamespaces(netns).unmountDirectory();
      }
    }
  }

  /** Runs the netform CLI in a child JVM that lives in the test namespace. */
  static int netform(NetnsHandle host, Path state, Path netns, int crashAfter) throws Exception {
    return netform(host, state, netns, EXAMPLE, "-Dnetform.test.crashAfterSteps=" + crashAfter);
  }

  /** {@code netform apply --auto-approve DESIRED} in a child JVM in the test namespace, with {@code properties}. */
  static int netform(NetnsHandle host, Path state, Path netns, Path desired, String... properties) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> command = new java.util.ArrayList<>(List.of(java, "-XX:TieredStopAtLevel=1"));
    command.addAll(List.of(properties));
    command.addAll(List.of("-cp", classpath, "io.netform.cli.Main", "apply", "--auto-approve", "--no-color", "--state-dir",
        state.toString(), "--netns-dir", netns.toString(), desired.toString()));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    Process p = host.start(pb);
    String out = new String(p.getInputStream().readAllBytes());
    int code = p.waitFor();
    if (code != 0 && code != 137) {
      throw new AssertionError("netform exited " + code + ":\n" + out);
    }
    return code;
  }

  public static void assertNoDuplicateRules(NetnsHandle host, int crashAt) throws Exception {
    Process p = host.start(new ProcessBuilder("iptables-save"));
    List<String> rules = new String(p.getInputStream().readAllBytes()).lines().filter(l -> l.startsWith("-A ")).toList();
    p.waitFor();
    Set<String> unique = new HashSet<>(rules);
    assertEquals(unique.size(), rules.size(), "duplicate rules after crash at " + crashAt + ": " + rules);
  }
}
