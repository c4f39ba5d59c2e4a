package io.netform.cli;

import io.netform.agent.AgentStatus;
import io.netform.agent.CheckResults;
import io.netform.kernel.StateDirectory;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "status", mixinStandardHelpOptions = true,
    description = {"What the agent last did on this host and whether it was in sync. Reads the state directory only, "
        + "which is root's alone: run it as root."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:in sync (or last commit applied), and the expectations last checked held",
        "1:invalid commit, apply failure, unreachable source, an expectation that failed, or no agent yet"})
final class StatusCommand implements Callable<Integer> {

  @Mixin
  StateDirOption state;

  @Override
  public Integer call() {
    var status = StateDirectory.existing(state.stateDir).flatMap(AgentStatus::read);
    if (status.isEmpty()) {
      System.out.println("No agent has run with state directory " + state.stateDir + " yet.");
      return ExitCodes.ERROR;
    }
    Optional<CheckResults> checks = StateDirectory.existing(state.stateDir).flatMap(CheckResults::read);
    System.out.println(describe(status.get(), checks));
    return status.get().healthy() && checks.map(CheckResults::held).orElse(true) ? ExitCodes.OK : ExitCodes.ERROR;
  }

  /** The status, and the last check of the connectivity assertions (its summary, and each failure). */
  static String describe(AgentStatus s, Optional<CheckResults> checks) {
    return describe(s) + checks.map(c -> "\nexpectations:    " + c.lines().get(c.lines().size() - 1) + " (at " + c.at()
        + c.commit().map(x -> ", commit " + x).orElse("") + ")" + c.lines().stream().filter(l -> l.startsWith("FAIL"))
        .map(l -> "\n  " + l).collect(java.util.stream.Collectors.joining())).orElse("");
  }

  static String describe(AgentStatus s) {
    return "result:          " + s.result() + (s.message().isEmpty() ? "" : "\nmessage:         " + s.message())
        + "\nseen commit:     " + s.seenCommit().orElse("-")
        + "\napplied commit:  " + s.appliedCommit().orElse("-")
        + "\nat:              " + s.at()
        + "\nlast success:    " + s.lastSuccess().map(Object::toString).orElse("-")
        + "\nreconciles:      " + s.reconciles() + ", objects changed: " + s.changesApplied();
  }
}
