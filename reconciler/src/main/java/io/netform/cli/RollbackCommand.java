package io.netform.cli;

import io.netform.converge.Goal;
import io.netform.desired.DesiredState;
import io.netform.kernel.HostLock;
import io.netform.kernel.StateDirectory;
import io.netform.model.ObservedHost;
import io.netform.rollback.Checkpoint;
import io.netform.rollback.Checkpoints;
import io.netform.validate.DesiredStateCheck;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "rollback", mixinStandardHelpOptions = true,
    description = {"Put back what netform held on this host before the apply that waits for confirmation "
        + "(apply --confirm-within), and end its checkpoint. The same happens by itself when the time to confirm runs out.",
        "Only netform's own objects change; namespaces come back empty (processes in a removed one are gone)."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:rolled back and verified", "1:nothing waits for confirmation, or the rollback did not complete "
        + "(the checkpoint stays)"})
final class RollbackCommand implements Callable<Integer> {

  /** What a rollback plan's problems are rendered against: it comes from no desired-state file. */
  private static final DesiredStateCheck.Checked NO_FILES = new DesiredStateCheck.Checked(DesiredState.empty(), List.of(), 0);
  private static final Duration POLL = Duration.ofSeconds(1);

  @Mixin
  HostAccess access;

  @Mixin
  ColorOption color;

  @Option(names = "--timer", paramLabel = "ID", hidden = true,
      description = "Wait for the deadline of checkpoint ID, then roll back unless it was confirmed (started by apply).")
  String timer;

  @Override
  public Integer call() throws Exception {
    if (access.sandbox) {
      throw new UserError("a sandbox keeps no checkpoint: it is removed when the command that made it ends");
    }
    if (timer != null) {
      return rollBackWhenDue();
    }
    try (HostAccess.Opened opened = access.open();
         HostLock lock = HostChange.lock(opened, "rollback")) {
      Checkpoints checkpoints = new Checkpoints(opened.host().state());
      Optional<Checkpoint> pending = checkpoints.pending();
      if (pending.isEmpty()) {
        System.err.println("netform: no apply waits for confirmation on this host; nothing to roll back.");
        return ExitCodes.ERROR;
      }
      return rollBack(opened, checkpoints, pending.get());
    }
  }

  private int rollBack(HostAccess.Opened opened, Checkpoints checkpoints, Checkpoint c) throws Exception {
    ObservedHost before = checkpoints.before();
    System.out.println("Rolling back the apply of " + c.created() + " (" + c.command() + ") to what netform held before it:");
    int code = new HostChange(opened, color.style(), "rollback")
        .run(Goal.exactly(before.owned()), NO_FILES, true, () -> { });
    if (code != ExitCodes.OK) {
      System.err.println("netform: checkpoint " + c.id() + " stays: run 'netform rollback' again once the cause above is "
          + "fixed, or 'netform confirm' to keep the host as it is.");
      return code;
    }
    checkpoints.clear();
    System.out.println("Checkpoint " + c.id() + " ended.");
    return ExitCodes.OK;
  }

  /**
   * The timer: says it has started (the apply waits for that), then looks once a second whether
   * checkpoint {@link #timer} is still pending (a confirm ends it early). At its deadline, under
   * the host lock (waited for while another netform holds it), it checks again, since the apply
   * moves the deadline to its own end, and rolls back.
   */
  private int rollBackWhenDue() throws Exception {
    System.out.println(RollbackTimer.startLine(timer) + " (pid " + ProcessHandle.current().pid() + ")");
    while (true) {
      Optional<Checkpoint> pending = StateDirectory.existing(access.stateDir).flatMap(s -> new Checkpoints(s).pending())
          .filter(c -> c.id().equals(timer));
      if (pending.isEmpty()) {
        System.out.println(Instant.now() + " checkpoint " + timer + " was confirmed or rolled back: nothing to do.");
        return ExitCodes.OK;
      }
      Duration left = pending.get().left(Instant.now());
      if (!left.isZero()) {
        Thread.sleep(Math.min(left.toMillis(), POLL.toMillis()));
        continue;
      }
      try (HostAccess.Opened opened = access.open();
           HostLock lock = HostLock.acquire(opened.host().state(), "rollback (timer of checkpoint " + timer + ")")) {
        Checkpoints checkpoints = new Checkpoints(opened.host().state());
        Optional<Checkpoint> due = checkpoints.pending().filter(c -> c.id().equals(timer));
        if (due.isPresent() && due.get().left(Instant.now()).isZero()) {
          System.out.println(Instant.now() + " checkpoint " + timer + " was not confirmed in time: rolling back.");
          return rollBack(opened, checkpoints, due.get());
        }
      } catch (HostLock.LockedException busy) {
        Thread.sleep(POLL.toMillis()); // the apply that made the checkpoint may still be running
      }
    }
  }
}
