package io.netform.bench;

import io.netform.kernel.sandbox.Sandbox;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Issue 9's soak, in a sandbox: the agent, started as the systemd unit starts it (its JVM options,
 * its poll and resync periods), holds NETWORKS x CONTAINERS from a local Git repository for
 * MINUTES; an out-of-band change every 5 s (AgentBenchmark's five kinds in turn) and a commit
 * every minute (a container added, then removed again). Its resident memory is sampled every 5 s;
 * the figures are the peak and the slopes of least-squares lines through the samples, in MB per
 * hour: after the first minutes, and over the second half, which is the verdict (in the first
 * minutes the JIT compiles, the heap grows to its working size and the first periodic resync
 * reads the whole host, all once).
 *
 * <p>Extra JVM options for the agent (e.g. {@code -XX:NativeMemoryTracking=summary}, to see where
 * native memory goes) come from {@code NETFORM_SOAK_JVM_OPTS}; with native memory tracking on,
 * the change of each category from the end of the warm-up to the end is printed.
 */
public final class SoakBenchmark {

  private static final long CHANGE_EVERY_MILLIS = 5_000;
  private static final long COMMIT_EVERY_MILLIS = 60_000;
  private static final long LIMIT_KB = 256 * 1024;
  /** A slope under this is flat: a few MB of heap pages touched or returned over a run looks like this much. */
  private static final double FLAT_MB_PER_HOUR = 10;

  private SoakBenchmark() {}

  public static void main(String[] args) throws Exception {
    double minutes = args.length > 0 ? Double.parseDouble(args[0]) : 20;
    int networks = args.length > 1 ? Integer.parseInt(args[1]) : 50;
    int perNetwork = args.length > 2 ? Integer.parseInt(args[2]) : 20;
    String jar = args.length > 3 ? args[3] : "reconciler/target/netform.jar";
    List<String> extraJvm = extraJvmOptions();
    String poll = JvmOptions.agentArgument("--poll");
    String resync = JvmOptions.agentArgument("--resync");
    System.out.printf("soak: %.0f min, %d networks x %d containers, a change every %d s, a commit every %d s; agent: %s %s%s,"
            + " --poll %s --resync %s; %d cores%n", minutes, networks, perNetwork, CHANGE_EVERY_MILLIS / 1000,
        COMMIT_EVERY_MILLIS / 1000, JvmOptions.agentEnvironment(), String.join(" ", JvmOptions.agent()),
        extraJvm.isEmpty() ? "" : " " + String.join(" ", extraJvm), poll, resync, Runtime.getRuntime().availableProcessors());
    String without = ApplyBenchmark.desired(networks, perNetwork, false);
    String with = ApplyBenchmark.desired(networks, perNetwork, true);
    Path repo = AgentProcess.repository(without);
    boolean nmt = extraJvm.stream().anyMatch(o -> o.startsWith("-XX:NativeMemoryTracking="));
    try (Sandbox sandbox = Sandbox.create(Sandbox.DEFAULT_ROOT);
         AgentProcess agent = AgentProcess.start(sandbox, repo, jar, extraJvm, poll, resync)) {
      agent.awaitHealthy(600_000);
      long start = System.currentTimeMillis();
      long end = start + (long) (minutes * 60_000);
      long warmUpEnd = start + warmUpMillis(minutes);
      List<double[]> samples = new ArrayList<>(); // minutes since start, RSS in MB
      int changes = 0;
      int late = 0;
      int commits = 0;
      boolean baseline = false;
      System.out.printf("%8s %9s %8s %8s %9s %8s%n", "minute", "RSS MB", "threads", "fds", "repairs", "commits");
      for (long next = start; next < end; next += CHANGE_EVERY_MILLIS) {
        sleepUntil(next);
        if (!agent.alive()) {
          throw new IllegalStateException("the agent exited:\n" + agent.tail(40));
        }
        try (AgentBenchmark.Drift drift = AgentBenchmark.drift(changes, sandbox, networks, perNetwork)) {
          drift.change().run();
          changes++;
          if (!AgentProcess.waitFor(drift.repaired(), CHANGE_EVERY_MILLIS - 500)) {
            late++;
          }
        }
        if (next - start >= (commits + 1) * COMMIT_EVERY_MILLIS) {
          commits++;
          AgentProcess.commit(repo, commits % 2 == 1 ? with : without, "soak " + commits);
        }
        long rss = agent.status("VmRSS");
        double minute = (System.currentTimeMillis() - start) / 60_000.0;
        samples.add(new double[] {minute, rss / 1024.0});
        if (nmt && !baseline && System.currentTimeMillis() >= warmUpEnd) {
          Jcmd.run(agent.pid(), "VM.native_memory", "baseline");
          baseline = true;
        }
        if (changes % 12 == 0) {
          System.out.printf("%8.1f %9.1f %8d %8d %9d %8d%n", minute, rss / 1024.0, agent.status("Threads"),
              openFiles(agent.pid()), changes - late, commits);
        }
      }
      long peak = agent.status("VmHWM");
      double first = samples.get(0)[1];
      double last = samples.get(samples.size() - 1)[1];
      double warmMinute = (warmUpEnd - start) / 60_000.0;
      double[] after = slope(samples.stream().filter(s -> s[0] >= warmMinute).toList());
      double[] secondHalf = slope(samples.stream().filter(s -> s[0] >= minutes / 2).toList());
      System.out.printf("out-of-band changes: %d, repaired within %d s: %d; commits: %d; agent status: %s%n", changes,
          (CHANGE_EVERY_MILLIS - 500) / 1000, changes - late, commits, agent.status().result());
      System.out.printf("resident memory: %.0f MB at start, %.0f MB at the end, peak %d MB   target <= 256 MB: %s%n", first,
          last, peak / 1024, peak <= LIMIT_KB ? "meets" : "MISSES");
      System.out.printf("RSS slope after the first %.0f min: %+.1f MB/h; over the second half: %+.1f MB/h   target flat"
              + " in the second half (<= %.0f MB/h): %s%n", warmMinute, after[0], secondHalf[0], FLAT_MB_PER_HOUR,
          secondHalf[0] <= FLAT_MB_PER_HOUR ? "meets" : "MISSES");
      if (nmt && baseline) {
        System.out.println("native memory, change since the end of the warm-up (jcmd VM.native_memory summary.diff):");
        System.out.println(Jcmd.run(agent.pid(), "VM.native_memory", "summary.diff", "scale=KB"));
      }
    }
  }

  /** Two minutes, or a fifth of a short run. */
  private static long warmUpMillis(double minutes) {
    return (long) Math.min(2 * 60_000, minutes * 60_000 / 5);
  }

  /** Least-squares slope of MB over minutes, as MB per hour; and the number of samples. */
  static double[] slope(List<double[]> samples) {
    int n = samples.size();
    if (n < 2) {
      return new double[] {Double.NaN, n};
    }
    double mx = samples.stream().mapToDouble(s -> s[0]).average().orElseThrow();
    double my = samples.stream().mapToDouble(s -> s[1]).average().orElseThrow();
    double sxy = 0;
    double sxx = 0;
    for (double[] s : samples) {
      sxy += (s[0] - mx) * (s[1] - my);
      sxx += (s[0] - mx) * (s[0] - mx);
    }
    return new double[] {sxx == 0 ? Double.NaN : sxy / sxx * 60, n};
  }

  private static long openFiles(long pid) {
    String[] fds = Path.of("/proc", Long.toString(pid), "fd").toFile().list();
    return fds == null ? -1 : fds.length;
  }

  private static List<String> extraJvmOptions() {
    String extra = System.getenv().getOrDefault("NETFORM_SOAK_JVM_OPTS", "").trim();
    return extra.isEmpty() ? List.of() : Arrays.asList(extra.split("\\s+"));
  }

  private static void sleepUntil(long millis) throws InterruptedException {
    long wait = millis - System.currentTimeMillis();
    if (wait > 0) {
      Thread.sleep(wait);
    }
  }

  /** The JDK's jcmd on the agent's process. */
  static final class Jcmd {
    static String run(long pid, String... command) throws Exception {
      List<String> argv = new ArrayList<>(List.of("jcmd", Long.toString(pid)));
      argv.addAll(List.of(command));
      Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      p.waitFor();
      return out;
    }
  }
}
