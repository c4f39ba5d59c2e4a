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
    return status.get().healthy() && counted(status.get(), checks).map(CheckResults::held).orElse(true) ? ExitCodes.OK
        : ExitCodes.ERROR;
  }

  /** The results that speak for the commit the host holds: none when they are of another one (not checked again yet). */
  static Optional<CheckResults> counted(AgentStatus s, Optional<CheckResults> checks) {
    return checks.filter(c -> c.commit().isEmpty() || c.commit().equals(s.appliedCommit()));
  }

  /** The status, and the last check of the connectivity assertions (its summary, and each failure). */
  static String describe(AgentStatus s, Optional<CheckResults> checks) {
    if (checks.isPresent() && counted(s, checks).isEmpty()) {
      return describe(s) + "\nexpectations:    not checked yet for the applied commit (the last check, at " + checks.get().at()
          + ", was of commit " + checks.get().commit().orElse("-") + ")";
    }
    return describe(s) + checks.map(c -> "\nexpectations:    " + c.summary() + " (at " + c.at()
        + c.commit().map(x -> ", commit " + x).orElse("") + ")" + c.lines().stream()
        .filter(l -> l.startsWith("FAIL") || !c.held() && c.lines().size() == 1).map(l -> "\n  " + l)
        .collect(java.util.stream.Collectors.joining())).orElse("");
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
