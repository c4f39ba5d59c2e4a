package io.netform.cli;

import io.netform.agent.HandChange;
import io.netform.converge.Converger;
import io.netform.converge.Goal;
import io.netform.converge.Outcome;
import io.netform.converge.Proposal;
import io.netform.diagnostics.render.Style;
import io.netform.kernel.HostLock;
import io.netform.kernel.firewall.FirewallException;
import io.netform.model.ObservedHost;
import io.netform.plan.Plan;
import io.netform.plan.PlanText;
import io.netform.plan.Verification;
import io.netform.rollback.Checkpoint;
import io.netform.rollback.Checkpoints;
import io.netform.validate.DesiredStateCheck;
import io.netform.validate.DestroyRules;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * What apply and destroy share, in the CLI's words around the one convergence path: propose,
 * print the plan, refuse what is blocked, ask, apply through the {@link Converger}, and report
 * what happened — verified, with any extra round the kernel's side effects needed, or stopped
 * part-way with what was undone and whether running again can help. A change is recorded
 * ({@link HandChange}) before it begins, so that netform status no longer takes the agent's last
 * word for what the host holds.
 */
final class HostChange {

  private final HostAccess.Opened opened;
  private final Style style;
  private final String verb;
  private Consumer<ObservedHost> beforeChanging = before -> { };

  /** {@code verb}: "apply", "destroy" or "rollback", for the messages. */
  HostChange(HostAccess.Opened opened, Style style, String verb) {
    this.opened = opened;
    this.style = style;
    this.verb = verb;
  }

  /** Takes the host lock; a second run gets a message naming the holder. */
  static HostLock lock(HostAccess.Opened opened, String command) {
    try {
      return HostLock.acquire(opened.host().state(), command);
    } catch (HostLock.LockedException e) {
      throw new UserError(e.getMessage());
    }
  }

  /**
   * Takes the host lock for a change; refused while an apply waits for confirmation, whose
   * rollback would otherwise undo this change too, or be undone by it.
   */
  static HostLock lockForChange(HostAccess.Opened opened, String command) {
    HostLock lock = lock(opened, command);
    Optional<Checkpoint> pending;
    try {
      pending = new Checkpoints(opened.host().state()).pending();
    } catch (RuntimeException e) {
      lock.close();
      throw e;
    }
    if (pending.isPresent()) {
      lock.close();
      throw new UserError(pending.get().waiting(Instant.now()) + ": run 'netform confirm' to keep it or 'netform "
          + "rollback' to undo it, then run this again. Nothing was changed.");
    }
    return lock;
  }

  /** Runs {@code hook} with what the host held, once the plan is approved and before anything changes. */
  HostChange beforeChanging(Consumer<ObservedHost> hook) {
    HostChange c = new HostChange(opened, style, verb);
    c.beforeChanging = hook;
    return c;
  }

  /**
   * Plans the goal, prints the plan, and if allowed and confirmed applies it; returns the exit
   * code. {@code afterwards} runs when the host holds the goal (verified, or nothing to do).
   */
  int run(Goal goal, DesiredStateCheck.Checked checked, boolean autoApprove, Runnable afterwards) throws IOException {
    Converger converger = new Converger(opened.host());
    Proposal proposal;
    try {
      proposal = converger.propose(goal);
    } catch (FirewallException e) {
      throw new UserError(e.getMessage() + ". Nothing was changed.");
    }
    if (!proposal.errors().isEmpty()) {
      return Refusal.print(proposal.target().problems(), checked, style, "nothing " + done());
    }
    if (verb.equals("apply")) {
      Warnings.print(checked, proposal, style);
    } else {
      Warnings.print(proposal.warnings(), checked, style); // what is removed: the file's own warnings are no news
    }
    Plan plan = proposal.plan();
    System.out.print(PlanText.render(plan, style, verb.equals("destroy") ? PlanText.NOTHING_TO_DESTROY : PlanText.NO_CHANGES));
    if (plan.hasConflicts()) {
      System.err.println("netform: nothing " + done() + ": the plan collides with objects netform does not own (see above).");
      return ExitCodes.ERROR;
    }
    boolean filesLeft = proposal.warnings().stream().anyMatch(d -> d.code().equals(DestroyRules.NAME_FILES_LEFT));
    if (plan.isEmpty()) {
      if (filesLeft) {
        System.err.println(FILES_LEFT);
        return ExitCodes.ERROR;
      }
      afterwards.run();
      return ExitCodes.OK;
    }
    if (!autoApprove && !confirmed()) {
      return ExitCodes.ERROR;
    }
    beforeChanging.accept(proposal.before());
    HandChange.begin(opened.host().state(), "netform " + verb);
    int total = plan.steps().size();
    return report(converger.apply(proposal, goal, done -> progress(done, total)), afterwards, filesLeft);
  }

  /** A destroy that leaves netform's name files (warned of first, with the fix): not complete, exit code 1. */
  private static final String FILES_LEFT = "netform: destroy incomplete: netform's files named in the warning above stay "
      + "(" + DestroyRules.NAME_FILES_LEFT + "); fix their directory as it says, then run this destroy again.";

  /** Applies exactly a saved plan (already checked to fit this host); returns the exit code. */
  int runExactly(Plan plan, Supplier<io.netform.model.ObservedHost> before, boolean autoApprove) throws IOException {
    System.out.print(PlanText.render(plan, style));
    if (plan.hasConflicts()) {
      System.err.println("netform: nothing applied: the saved plan collides with objects netform does not own.");
      return ExitCodes.ERROR;
    }
    if (plan.isEmpty()) {
      return ExitCodes.OK;
    }
    if (!autoApprove && !confirmed()) {
      return ExitCodes.ERROR;
    }
    HandChange.begin(opened.host().state(), "netform " + verb + " (a saved plan)");
    int total = plan.steps().size();
    return report(new Converger(opened.host()).applyExactly(plan, before.get(), done -> progress(done, total)), () -> { },
        false);
  }

  /** {@code filesLeft}: netform's name files stay (a destroy warned of them), so it is not complete. */
  private int report(Outcome outcome, Runnable afterwards, boolean filesLeft) {
    if (outcome.failure().isPresent()) {
      Outcome.Failure f = outcome.failure().get();
      System.err.println();
      System.err.println("netform: " + verb + " stopped: " + f.message() + ".");
      System.err.println("  What this " + verb + " had created was removed again (" + f.undone() + " objects)"
          + (f.undoFailed().isEmpty() ? "; deletions and in-place changes made before the error stay." : ", except:"));
      f.undoFailed().forEach(line -> System.err.println("    " + line));
      System.err.println(f.retryCanHelp()
          ? "  The kernel was busy: running the same command again can succeed."
          : "  Running it again would stop at the same place: change what the message names first.");
      return ExitCodes.ERROR;
    }
    if (!outcome.rounds().isEmpty()) {
      System.out.println("The kernel also changed what the plan did not foresee; put back within this " + verb + ":");
      outcome.rounds().forEach(r -> r.changes().forEach(c -> System.out.println("  " + Verification.line(c))));
    }
    if (!outcome.converged()) {
      System.err.println("netform: " + verb + " done, but the host still differs (verified by reading it again):");
      outcome.unconverged().forEach(line -> System.err.println("  " + line));
      return ExitCodes.ERROR;
    }
    Plan plan = outcome.plan();
    String title = switch (verb) {
      case "destroy" -> filesLeft ? "Destroy done, except netform's files named above." : "Destroy complete!";
      case "rollback" -> "Rollback complete!";
      default -> "Apply complete!";
    };
    System.out.println((filesLeft ? style.yellow(title) : style.green(title)) + " Resources: " + plan.toAdd() + " added, "
        + plan.toChange() + " changed, " + plan.toDestroy() + " destroyed (" + outcome.millis() + " ms, verified).");
    if (filesLeft) {
      System.err.println(FILES_LEFT);
      return ExitCodes.ERROR;
    }
    afterwards.run();
    return ExitCodes.OK;
  }

  /** "applied", "destroyed", "rolled back". */
  private String done() {
    return switch (verb) {
      case "apply" -> "applied";
      case "rollback" -> "rolled back";
      default -> verb + "ed";
    };
  }

  private static void progress(int done, int total) {
    if (total >= 200 && (done % 100 == 0 || done == total) && System.console() != null) {
      System.err.print("\rApplying: " + done + "/" + total + " steps");
      if (done == total) {
        System.err.println();
      }
    }
  }

  static boolean confirmed() throws IOException {
    if (System.console() == null) {
      System.err.println("netform: no terminal to ask for confirmation; nothing changed. Use --auto-approve in scripts.");
      return false;
    }
    System.out.print("\nDo you want to perform these actions? Only 'yes' will be accepted: ");
    System.out.flush();
    String answer = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
    if (!"yes".equals(answer == null ? null : answer.strip())) {
      System.err.println("Cancelled.");
      return false;
    }
    return true;
  }
}
