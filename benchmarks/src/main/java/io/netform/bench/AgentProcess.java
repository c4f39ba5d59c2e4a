package io.netform.bench;

import io.netform.agent.AgentStatus;
import io.netform.kernel.sandbox.Sandbox;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;

/**
 * The real {@code netform agent} process, started as examples/systemd/netform-agent.service
 * starts it (its JVM options and environment), in a sandbox, following a local Git repository that the benchmark
 * commits to.
 */
final class AgentProcess implements AutoCloseable {

  private final Process process;
  private final Path log;
  private final Sandbox sandbox;

  private AgentProcess(Process process, Path log, Sandbox sandbox) {
    this.process = process;
    this.log = log;
    this.sandbox = sandbox;
  }

  /** A local repository holding {@code yaml} as net.yaml in one commit on main. */
  static Path repository(String yaml) throws IOException, GitAPIException {
    Path repo = Files.createTempDirectory("netform-bench-repo");
    try (Git git = Git.init().setInitialBranch("main").setDirectory(repo.toFile()).call()) {
      commit(git, repo, yaml, "bench");
    }
    return repo;
  }

  /** Commits {@code yaml} as net.yaml on top of what the repository holds. */
  static void commit(Path repo, String yaml, String message) throws IOException, GitAPIException {
    try (Git git = Git.open(repo.toFile())) {
      commit(git, repo, yaml, message);
    }
  }

  private static void commit(Git git, Path repo, String yaml, String message) throws IOException, GitAPIException {
    Files.writeString(repo.resolve("net.yaml"), yaml);
    git.add().addFilepattern(".").call();
    git.commit().setMessage(message).setAuthor("bench", "bench@example.org").setCommitter("bench", "bench@example.org").call();
  }

  /**
   * Starts the agent on {@code repo} with the systemd unit's JVM options plus {@code extraJvm},
   * polling and resyncing as {@code poll} and {@code resync} (ISO-8601) say.
   */
  static AgentProcess start(Sandbox sandbox, Path repo, String jar, List<String> extraJvm, String poll, String resync)
      throws IOException {
    Path log = Files.createTempFile("netform-bench-agent", ".log");
    List<String> command = new ArrayList<>(List.of("java"));
    command.addAll(JvmOptions.agent());
    command.addAll(extraJvm);
    command.addAll(List.of("-jar", jar, "agent", "--source", repo.toString(), "--poll", poll, "--resync", resync,
        "--listen", "none", "--state-dir", sandbox.host().stateDir().toString(), "--netns-dir",
        sandbox.host().namespaces().dir().toString()));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().putAll(JvmOptions.agentEnvironment());
    return new AgentProcess(sandbox.host().root().start(pb), log, sandbox);
  }

  /** Waits until the agent reports its first successful reconcile; throws with its log if it does not. */
  void awaitHealthy(long millis) throws IOException, InterruptedException {
    waitFor(() -> healthy() || !process.isAlive(), millis);
    if (!process.isAlive() || !healthy()) {
      throw new IllegalStateException("the agent did not apply the state: " + Files.readString(log));
    }
  }

  private boolean healthy() {
    return AgentStatus.read(sandbox.host().state()).map(AgentStatus::healthy).orElse(false);
  }

  /** The agent's status as it last wrote it. */
  AgentStatus status() {
    return AgentStatus.read(sandbox.host().state()).orElseThrow();
  }

  long pid() {
    return process.pid();
  }

  boolean alive() {
    return process.isAlive();
  }

  /** A field of /proc/PID/status in kB (VmRSS, VmHWM, Threads...); -1 if absent. */
  long status(String field) throws IOException {
    return status(pid(), field);
  }

  /** A field of /proc/PID/status of any process, in kB; -1 if absent. */
  static long status(long pid, String field) throws IOException {
    return Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")).stream()
        .filter(l -> l.startsWith(field + ":")).map(l -> Long.parseLong(l.replaceAll("[^0-9]", ""))).findFirst().orElse(-1L);
  }

  /** The last lines of the agent's log. */
  String tail(int lines) throws IOException {
    List<String> all = Files.readAllLines(log);
    return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
  }

  /** Lines of the agent's log that contain {@code text}. */
  long logLinesWith(String text) throws IOException {
    try (var lines = Files.lines(log)) {
      return lines.filter(l -> l.contains(text)).count();
    }
  }

  static boolean waitFor(BooleanSupplier condition, long millis) throws InterruptedException {
    long deadline = System.currentTimeMillis() + millis;
    while (!condition.getAsBoolean()) {
      if (System.currentTimeMillis() > deadline) {
        return false;
      }
      Thread.sleep(5);
    }
    return true;
  }

  @Override
  public void close() throws IOException, InterruptedException {
    process.destroy();
    process.waitFor();
    Files.deleteIfExists(log);
  }
}
