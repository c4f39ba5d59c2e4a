package io.netform.cli;

import io.netform.kernel.StateDirectory;
import io.netform.kernel.firewall.ToolPath;
import io.netform.rollback.Checkpoint;
import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Starts the process that rolls a host back when its checkpoint is not confirmed in time: {@code
 * netform rollback --timer ID} in a session of its own ({@code setsid}), so that it outlives the
 * terminal, the SSH connection and the command that made the checkpoint.
 */
final class RollbackTimer {

  /** Time for the timer's JVM to start and say so, on a loaded host. */
  private static final Duration STARTUP = Duration.ofSeconds(20);
  private static final int TAIL = 64 * 1024;

  private RollbackTimer() {}

  /** Refuses, before anything changes, a machine on which the timer cannot be started. */
  static void checkCanStart() {
    if (ToolPath.fromEnvironment().find("setsid").isEmpty()) {
      throw new UserError("--confirm-within needs setsid (util-linux) to keep its rollback timer running after this "
          + "command ends; install util-linux. Nothing was changed.");
    }
  }

  /** The first line a timer writes: until it is in the log, the timer has not started. */
  static String startLine(String id) {
    return "rollback timer of checkpoint " + id + " started";
  }

  /**
   * Starts the timer for {@code c}, with the host access this command has, and waits until it
   * says it runs; its output goes to the state directory's rollback.log. A timer that does not
   * start is an error: the apply would otherwise promise a rollback nobody will make.
   */
  static void start(Checkpoint c, HostAccess access, StateDirectory state) {
    String classPath = String.join(File.pathSeparator, Arrays.stream(System.getProperty("java.class.path")
        .split(File.pathSeparator)).map(e -> Path.of(e).toAbsolutePath().toString()).toList());
    List<String> command = new ArrayList<>(List.of(ToolPath.fromEnvironment().find("setsid").orElseThrow().toString(), "-f",
        ProcessHandle.current().info().command().orElse("java"),
        "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xmx64m",
        "-cp", classPath, Main.class.getName(), "rollback", "--timer", c.id(),
        "--state-dir", state.dir().toString(), "--netns-dir", access.netnsDir.toAbsolutePath().toString(),
        "--firewall-backend", access.firewall().text()));
    if (access.etcNetnsDir != null) {
      command.addAll(List.of("--etc-netns-dir", access.etcNetnsDir.toAbsolutePath().toString()));
    }
    ProcessBuilder pb = new ProcessBuilder(command).directory(new File("/")) // never keeps a directory busy
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(state.rollbackLog().toFile()))
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    String failed = "the rollback timer did not start";
    try {
      pb.start().waitFor(); // setsid -f forks the timer and returns at once
      Instant until = Instant.now().plus(STARTUP);
      while (!logMentions(state.rollbackLog(), startLine(c.id()))) {
        if (Instant.now().isAfter(until)) {
          throw new UserError(failed + " within " + STARTUP.toSeconds() + " s (see " + state.rollbackLog()
              + "). Nothing was changed.");
        }
        Thread.sleep(50);
      }
    } catch (IOException e) {
      throw new UserError(failed + ": " + e.getMessage() + ". Nothing was changed.");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UserError(failed + ": interrupted. Nothing was changed.");
    }
  }

  /** Whether the end of the log (a timer's first line is among its last) holds {@code line}. */
  private static boolean logMentions(Path log, String line) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
      long from = Math.max(0, f.length() - TAIL);
      byte[] tail = new byte[(int) (f.length() - from)];
      f.seek(from);
      f.readFully(tail);
      return new String(tail, StandardCharsets.UTF_8).contains(line);
    } catch (java.io.FileNotFoundException e) {
      return false;
    }
  }
}
