package io.netform.cli;

import io.netform.agent.AgentStatus;
import io.netform.agent.CheckResults;
import io.netform.agent.HandChange;
import io.netform.agent.Health;
import io.netform.kernel.StateDirectory;
import io.netform.rollback.Checkpoints;
import io.netform.util.Durations;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "status", mixinStandardHelpOptions = true,
    description = {"What the agent last did on this host, whether the host was in sync then, and whether that word is "
        + "still current: a running agent writes its status at every poll and resync, so a status older than that, one "
        + "of agent --once, a change by hand (apply, destroy, rollback) since, or an apply waiting for confirmation make "
        + "it not current. Reads the state directory only, not the kernel; the directory is root's alone: run it as root."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:a running agent found the host in sync (or applied its commit) within its poll, the expectations "
        + "last checked held, and nothing changed the host by hand since",
        "1:anything else: invalid commit, apply failure, unreachable source, waiting for a sync window, an expectation "
        + "that failed, a status overdue or of agent --once, a change by hand since, an apply waiting for confirmation, "
        + "a damaged status file, or no agent yet"})
final class StatusCommand implements Callable<Integer> {

  @Mixin
  StateDirOption state;

  @Override
  public Integer call() {
    Optional<StateDirectory> dir = StateDirectory.existing(state.stateDir);
    Optional<AgentStatus> status = dir.flatMap(AgentStatus::read);
    if (status.isEmpty()) {
      System.out.println("No agent has run with state directory " + state.stateDir + " yet.");
      return ExitCodes.ERROR;
    }
    Optional<CheckResults> checks = CheckResults.read(dir.get());
    Health health = Health.of(status.get(), checks);
    List<String> notCurrent = new ArrayList<>();
    String currency = currency(status.get(), HandChange.read(dir.get()), pendingCheckpoint(dir.get()), Instant.now(),
        notCurrent);
    System.out.println(describe(health, checks) + currency);
    List<String> reasons = new ArrayList<>();
    if (!health.status().healthy()) {
      reasons.add("the agent's last result is " + health.status().result() + ", not in-sync or applied");
    }
    if (!health.expectationsHeld()) {
      reasons.add("the expectations of the applied commit did not hold");
    }
    reasons.addAll(notCurrent);
    System.out.println("verdict:         " + (reasons.isEmpty()
        ? "in sync, as a running agent found it " + ago(status.get().at(), Instant.now())
        : "not known to be in sync: " + String.join("; ", reasons)));
    return health.inSync() && notCurrent.isEmpty() ? ExitCodes.OK : ExitCodes.ERROR;
  }

  /** The apply waiting for confirmation, in words, or what keeps netform from reading it; empty if none. */
  private static Optional<String> pendingCheckpoint(StateDirectory dir) {
    try {
      return new Checkpoints(dir).pending().map(c -> c.waiting(Instant.now()));
    } catch (Checkpoints.UnreadableException e) {
      return Optional.of(e.getMessage());
    }
  }

  /**
   * What tells whether the status is still the agent's word about the host, as lines to add, with
   * the reason it is not added to {@code notCurrent}: how the agent runs and whether its status
   * came when due, a change by hand after it, an apply waiting for confirmation.
   */
  static String currency(AgentStatus s, Optional<HandChange> hand, Optional<String> checkpoint, Instant now,
      List<String> notCurrent) {
    StringBuilder out = new StringBuilder();
    if (s.run().isEmpty()) {
      out.append("\nagent:           how it runs is not recorded (an older netform wrote this status): whether an agent "
          + "still keeps the host cannot be told; restart the agent");
      notCurrent.add("the status does not say how its agent runs");
    } else if (s.run().get().isOnce()) {
      out.append("\nagent:           ").append(s.run().get().shown()).append(", ").append(ago(s.at(), now))
          .append(": nothing has reconciled since, so this is what the host held then, not now");
      notCurrent.add("the status is of a one-shot run, " + ago(s.at(), now) + " (agent --once's own exit code tells that "
          + "run)");
    } else {
      out.append("\nagent:           ").append(s.run().get().shown());
      if (s.run().get().overdue(s.at(), now)) {
        out.append("; its last status is from ").append(ago(s.at(), now)).append(", later than ")
            .append(Durations.shown(s.run().get().overdueAfter().orElseThrow()))
            .append(" allows: is it running? (systemctl status netform-agent; a long apply delays it too)");
        notCurrent.add("the agent's status is overdue");
      } else {
        out.append("; last status ").append(ago(s.at(), now));
      }
    }
    hand.filter(h -> h.after(s.at())).ifPresent(h -> {
      out.append("\nchanged by hand: ").append(h.command()).append(" at ").append(h.at()).append(", after this status: "
          + "the host may no longer hold what it says (a running agent reconciles it again at its next poll or event)");
      notCurrent.add(h.command() + " changed the host after the agent's last status");
    });
    checkpoint.ifPresent(c -> {
      out.append("\ncheckpoint:      ").append(c);
      notCurrent.add("an apply by hand waits for confirmation or rollback");
    });
    return out.toString();
  }

  /** "3m ago" (or "just now"). */
  static String ago(Instant at, Instant now) {
    Duration age = Duration.between(at, now);
    return age.compareTo(Duration.ofSeconds(1)) < 0 ? "just now" : Durations.shown(age) + " ago";
  }

  /** The agent's word: its last reconcile, and the last check of the connectivity assertions (summary and failures). */
  static String describe(Health h, Optional<CheckResults> checks) {
    return reconcile(h) + (checks.isPresent() && h.counted().isEmpty()
        ? "\nexpectations:    not checked yet for the applied commit (the last check, at " + checks.get().at()
            + ", was of commit " + checks.get().commit().orElse("-") + ")" : "");
  }

  private static String reconcile(Health h) {
    AgentStatus s = h.status();
    return "result:          " + s.result() + (s.message().isEmpty() ? "" : "\nmessage:         " + s.message())
        + "\nseen commit:     " + s.seenCommit().orElse("-")
        + "\napplied commit:  " + s.appliedCommit().orElse("-")
        + "\nat:              " + s.at()
        + "\nlast success:    " + s.lastSuccess().map(Object::toString).orElse("-")
        + "\nreconciles:      " + s.reconciles() + ", objects changed: " + s.changesApplied()
        + h.counted().map(c -> "\nexpectations:    " + c.shown()).orElse("");
  }
}
