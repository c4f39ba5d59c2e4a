package io.netform.cli;

import io.netform.kernel.HostLock;
import io.netform.kernel.StateDirectory;
import io.netform.rollback.Checkpoint;
import io.netform.rollback.Checkpoints;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "confirm", mixinStandardHelpOptions = true,
    description = {"Keep the apply that waits for confirmation (apply --confirm-within): its checkpoint ends and its "
        + "rollback timer stops. Changes nothing on the host."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:confirmed", "1:nothing waits for confirmation, or a rollback holds the host"})
final class ConfirmCommand implements Callable<Integer> {

  @Mixin
  StateDirOption stateOption;

  @Override
  public Integer call() {
    Optional<StateDirectory> state = StateDirectory.existing(stateOption.stateDir);
    if (state.isEmpty()) {
      System.err.println("netform: no apply waits for confirmation (no state directory " + stateOption.stateDir + ").");
      return ExitCodes.ERROR;
    }
    // Under the host lock: a rollback that has begun is never confirmed halfway.
    try (HostLock lock = HostLock.acquire(state.get(), "confirm")) {
      Checkpoints checkpoints = new Checkpoints(state.get());
      Optional<Checkpoint> pending = checkpoints.pending();
      if (pending.isEmpty()) {
        System.err.println("netform: no apply waits for confirmation on this host; nothing to confirm.");
        return ExitCodes.ERROR;
      }
      checkpoints.clear();
      Checkpoint c = pending.get();
      boolean late = c.deadline().isBefore(Instant.now());
      System.out.println("Confirmed: the apply of " + c.created() + " (" + c.command() + ") stays; checkpoint " + c.id()
          + " ended" + (late ? " (its deadline " + c.deadline() + " had passed, and no rollback had begun)" : "") + ".");
      return ExitCodes.OK;
    } catch (HostLock.LockedException e) {
      throw new UserError(e.getMessage() + "; nothing confirmed");
    }
  }
}
