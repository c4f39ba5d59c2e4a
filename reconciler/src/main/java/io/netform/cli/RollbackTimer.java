package io.netform.cli;

import io.netform.kernel.StateDirectory;
import io.netform.kernel.firewall.ToolPath;
import io.netform.rollback.Checkpoint;
import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Starts the process that rolls a host back when its checkpoint is not confirmed in time: {@code
 * netform rollback --timer ID} in a session of its own ({@code setsid}), so that it outlives the
 * terminal, the SSH connection and the command that made the checkpoint.
 */
final class RollbackTimer {

  private RollbackTimer() {}

  /** Refuses, before anything changes, a machine on which the timer cannot be started. */
  static void checkCanStart() {
    if (ToolPath.fromEnvironment().find("setsid").isEmpty()) {
      throw new UserError("--confirm-within needs setsid (util-linux) to keep its rollback timer running after this "
          + "command ends; install util-linux. Nothing was changed.");
    }
  }

  /** Starts the timer for {@code c}, with the host access this command has; its output goes to the state directory's rollback.log. */
  static void start(Checkpoint c, HostAccess access, StateDirectory state) {
    List<String> command = new ArrayList<>(List.of(ToolPath.fromEnvironment().find("setsid").orElseThrow().toString(), "-f",
        ProcessHandle.current().info().command().orElse("java"),
        "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xmx64m",
        "-cp", System.getProperty("java.class.path"), Main.class.getName(), "rollback", "--timer", c.id(),
        "--state-dir", state.dir().toString(), "--netns-dir", access.netnsDir.toAbsolutePath().toString()));
    if (access.etcNetnsDir != null) {
      command.addAll(List.of("--etc-netns-dir", access.etcNetnsDir.toAbsolutePath().toString()));
    }
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(state.rollbackLog().toFile()))
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    try {
      Process p = pb.start();
      // setsid -f forks the timer and returns at once
      if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new UserError("the rollback timer did not start (see " + state.rollbackLog() + ")");
      }
    } catch (IOException e) {
      throw new UserError("the rollback timer did not start: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UserError("interrupted while starting the rollback timer");
    }
  }
}
