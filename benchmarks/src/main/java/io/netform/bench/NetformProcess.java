package io.netform.bench;

import io.netform.kernel.sandbox.Sandbox;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code ./netform} run in a sandbox as a user runs it (the launcher, its JVM options and its
 * class-data archive), under /usr/bin/time for its peak resident memory.
 */
final class NetformProcess {

  /** One whole process: wall time and peak resident memory. */
  record Timed(double seconds, long peakKb) {}

  private final Sandbox sandbox;
  private final Path timeFile;

  NetformProcess(Sandbox sandbox, Path scratch) {
    this.sandbox = sandbox;
    this.timeFile = scratch.resolve("time");
  }

  /**
   * The launcher records its class-data archive at its first run after a build: a {@code plan
   * --empty-host} of {@code desired} does that, untimed, so that no timed run pays for it.
   */
  void warmUp(Path desired) throws IOException, InterruptedException {
    new ProcessBuilder("./netform", "plan", "--empty-host", desired.toString()).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
  }

  /** Runs {@code ./netform ARGS} on the sandbox; throws with the end of its output unless it exits {@code expectedExit}. */
  Timed run(int expectedExit, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("/usr/bin/time", "-f", "%M", "-o", timeFile.toString(), "./netform"));
    command.addAll(List.of(args));
    command.addAll(List.of("--no-color", "--state-dir", sandbox.host().stateDir().toString(), "--netns-dir",
        sandbox.host().namespaces().dir().toString()));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().remove("NETFORM_JAVA_OPTS");
    long t0 = System.nanoTime();
    Process p = sandbox.host().root().start(pb);
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    int exit = p.waitFor();
    double seconds = (System.nanoTime() - t0) / 1e9;
    if (exit != expectedExit) {
      throw new IllegalStateException("netform " + String.join(" ", args) + " exited " + exit + ":\n" + tail(out));
    }
    List<String> lines = Files.readAllLines(timeFile);
    return new Timed(seconds, Long.parseLong(lines.get(lines.size() - 1).trim()));
  }

  private static String tail(String out) {
    String[] lines = out.split("\n");
    return String.join("\n", Arrays.asList(lines).subList(Math.max(0, lines.length - 40), lines.length));
  }
}
