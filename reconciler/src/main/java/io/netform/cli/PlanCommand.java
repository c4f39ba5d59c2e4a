package io.netform.cli;

import io.netform.converge.Converger;
import io.netform.converge.Goal;
import io.netform.converge.Proposal;
import io.netform.diagnostics.Diagnostic;
import io.netform.kernel.firewall.FirewallException;
import io.netform.model.ObservedHost;
import io.netform.plan.Plan;
import io.netform.plan.PlanJson;
import io.netform.plan.PlanText;
import io.netform.plan.PlannedFrom;
import io.netform.plan.SavedPlan;
import io.netform.snapshot.Fingerprint;
import io.netform.snapshot.Snapshot;
import io.netform.snapshot.SnapshotException;
import io.netform.validate.DesiredStateCheck;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "plan", mixinStandardHelpOptions = true,
    description = {"Show what netform would change on a host to reach the desired state. Read-only.",
        "By default against this machine (root needed) or --sandbox. Offline modes need no root: --empty-host "
            + "(nothing managed yet) or --observed SNAPSHOT.json (a host recorded with 'netform show --snapshot')."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:success (with --detailed-exitcode: no changes)", "1:error (invalid desired state, conflict, unreadable snapshot)",
        "2:with --detailed-exitcode: success, there are changes"})
final class PlanCommand implements Callable<Integer> {

  @Parameters(arity = "1..*", paramLabel = "PATH", description = "Desired-state files or directories.")
  List<Path> paths;

  @ArgGroup(exclusive = true, multiplicity = "0..1")
  HostSource host;

  /** Without either option the plan is made against this machine (or --sandbox), which needs root. */
  static final class HostSource {
    @Option(names = "--empty-host", required = true, description = "Plan against a host with nothing managed (for CI; "
        + "not with --out: no host is empty, so no apply could use the plan).")
    boolean emptyHost;

    @Option(names = "--observed", required = true, paramLabel = "SNAPSHOT",
        description = "Plan against a recorded host (JSON written by 'netform show --snapshot').")
    Path observed;
  }

  @picocli.CommandLine.Mixin
  HostAccess access;

  @picocli.CommandLine.Mixin
  HostOption fleetHost;

  /** Named as typed on the command line (picocli lists and matches the constants' names). */
  enum Format { human, json }

  @Option(names = "--format", defaultValue = "human", paramLabel = "FORMAT",
      description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}); json is documented in docs/plan-output.md.")
  Format format;

  @Option(names = "--out", paramLabel = "FILE", description = "Save the plan for a later apply, with the host's fingerprint, "
      + "the desired state, --host and --firewall-backend it was made from (with --observed, a backend only if one is "
      + "chosen: else apply's own). 'netform apply FILE' knows it by its content, whatever its name. Not with --sandbox "
      + "(removed when the command ends) nor --empty-host (no host is empty).")
  Path out;

  @Option(names = "--detailed-exitcode", description = "Exit 0 when there are no changes, 2 when there are, 1 on error.")
  boolean detailedExitCode;

  @Mixin
  ColorOption color;

  @Override
  public Integer call() throws IOException {
    if (out != null && access.sandbox) {
      throw new UserError("--out saves a plan for a later apply on the host it was made against, and a sandbox is "
          + "removed when this command ends, so no apply could use it: leave out --out (or --sandbox, to plan this machine)");
    }
    if (out != null && host != null && host.emptyHost) {
      throw new UserError("--out saves a plan for a later apply on the host it was made against, and --empty-host is no "
          + "host: a host read live is never empty (its loopback, its namespace directory), so apply would refuse the "
          + "plan as stale: leave out --out (--format json prints the plan), or plan against the host, on it or from a "
          + "snapshot of it ('netform show --snapshot FILE' there, then 'netform plan --observed FILE --out PLAN PATH')");
    }
    DesiredStateCheck.Checked checked = DesiredStateCheck.run(paths);
    if (!checked.valid()) {
      return refuse(checked.diagnostics(), checked);
    }
    Goal goal = Goal.of(fleetHost.local(checked.state())); // an unknown --host is refused before the host is read
    Proposal proposal = propose(goal);
    ObservedHost observed = proposal.before();
    if (!proposal.errors().isEmpty()) {
      return refuse(proposal.target().problems(), checked);
    }
    Warnings.print(checked, proposal, color.style());
    Plan plan = proposal.plan();
    String fingerprint = Fingerprint.of(observed);
    if (format == Format.json) {
      System.out.print(PlanJson.render(plan, fingerprint));
    } else {
      System.out.print(PlanText.render(plan, color.style()));
    }
    if (out != null) {
      PlannedFrom from = new PlannedFrom(checked.read(), Optional.of(fleetHost.name(checked.state())).filter(h -> !h.isEmpty()),
          keptFirewall());
      SavedPlan saved = new SavedPlan(plan, fingerprint, Version.current(), Instant.now(), from);
      OutputFile.save("the plan", out, "--out", () -> saved.write(out));
      System.err.println("Saved the plan to " + out + ". Apply exactly these changes with: netform apply " + out);
    }
    System.out.flush();
    if (plan.hasConflicts()) {
      return ExitCodes.ERROR;
    }
    return detailedExitCode && !plan.isEmpty() ? ExitCodes.CHANGES : ExitCodes.OK;
  }

  /**
   * The backend a saved plan is applied with: the one a live host was observed with, or one chosen
   * for a snapshot; none when a snapshot is planned without a choice, since nothing was read with
   * one and the plan's changes are the same with either. Apply then reads the host with its own,
   * which still guards: the other backend's rules are refused, a host read otherwise is stale.
   */
  private Optional<String> keptFirewall() {
    return host == null || access.firewallChosen() ? Optional.of(access.firewall().text()) : Optional.empty();
  }

  private int refuse(List<Diagnostic> diagnostics, DesiredStateCheck.Checked checked) {
    return format == Format.json ? Refusal.printJson(diagnostics, checked, "no plan made")
        : Refusal.print(diagnostics, checked, color.style(), "no plan made");
  }

  /**
   * The plan's proposal: on a live host as apply makes it, with the same checks before (the tools
   * it needs, one firewall backend per host), so that a plan never shows changes apply refuses.
   */
  private Proposal propose(Goal goal) throws IOException {
    if (host != null) {
      if (access.sandbox) {
        throw new UserError((host.emptyHost ? "--empty-host" : "--observed") + " plans against a recorded host and "
            + "--sandbox against a sandbox: give one of them");
      }
      return Proposal.against(recordedHost(), goal);
    }
    try (HostAccess.Opened opened = access.open()) {
      return new Converger(opened.host()).propose(goal);
    } catch (FirewallException e) {
      throw new UserError(e.getMessage() + "; no plan made");
    }
  }

  private ObservedHost recordedHost() throws IOException {
    if (host.emptyHost) {
      return ObservedHost.emptyHost();
    }
    try {
      return Snapshot.read(host.observed);
    } catch (SnapshotException e) {
      throw new UserError(e.getMessage(), e);
    } catch (java.nio.file.NoSuchFileException e) {
      throw new UserError(host.observed + ": no such snapshot file; record one with: netform show --snapshot FILE", e);
    }
  }

}
