package io.netform.cli;

import io.netform.compile.TargetState;
import io.netform.diagnostics.Diagnostic;
import io.netform.diagnostics.render.DiagnosticFormat;
import io.netform.diagnostics.render.Style;
import io.netform.kernel.apply.KernelExecutor;
import io.netform.kernel.netlink.NetlinkException;
import io.netform.kernel.observe.HostObserver;
import io.netform.model.ObservedHost;
import io.netform.plan.Change;
import io.netform.plan.Plan;
import io.netform.plan.PlanText;
import io.netform.plan.Planner;
import io.netform.validate.DesiredStateCheck;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "apply", mixinStandardHelpOptions = true,
    description = {"Make the host match the desired state with the fewest changes: observe, plan, confirm, apply, verify.",
        "Asks for confirmation on a terminal; --auto-approve for scripts. Needs root, or use --sandbox."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:applied and verified (or nothing to do)", "1:error: invalid desired state, conflict, kernel error, "
        + "declined, or the host did not converge"})
final class ApplyCommand implements Callable<Integer> {

  @Parameters(arity = "1..*", paramLabel = "PATH", description = "Desired-state files or directories.")
  List<Path> paths;

  @Mixin
  ChangeOptions change;

  @Mixin
  HostAccess access;

  @Override
  public Integer call() throws Exception {
    Style style = Style.detect(change.noColor);
    if (paths.size() == 1 && paths.get(0).toString().endsWith(".json")) {
      return applySaved(paths.get(0), style);
    }
    DesiredStateCheck.Checked checked = DesiredStateCheck.run(paths);
    if (!checked.valid()) {
      return refuse(checked.diagnostics(), checked, style);
    }
    try (HostAccess.Opened opened = access.open();
         io.netform.kernel.HostLock lock = lockOf(opened, "apply")) {
      preflight(opened);
      HostObserver observer = new HostObserver(opened.host());
      ObservedHost before = observer.observe();
      TargetState target = TargetState.against(checked.state(), before);
      if (target.problems().stream().anyMatch(Diagnostic::isError)) {
        return refuse(target.problems(), checked, style);
      }
      Plan plan = Planner.plan(target.model(), before);
      System.out.print(PlanText.render(plan, style));
      if (plan.hasConflicts()) {
        System.err.println("netform: nothing applied: the desired state collides with objects netform does not own.");
        return ExitCodes.ERROR;
      }
      if (plan.isEmpty()) {
        opened.sandbox().ifPresent(s -> System.out.print(SandboxReport.of(s, checked.state())));
        return ExitCodes.OK;
      }
      if (!change.autoApprove && !confirmed()) {
        return ExitCodes.ERROR;
      }
      long started = System.nanoTime();
      execute(opened, plan);
      ObservedHost after = observer.observe();
      Plan rest = Planner.plan(TargetState.against(checked.state(), after).model(), after);
      long ms = (System.nanoTime() - started) / 1_000_000;
      if (!rest.isEmpty()) {
        System.err.println("netform: applied, but these objects did not converge:");
        for (Change c : rest.changes()) {
          System.err.println("  " + c.action().symbol + " " + c.object().kindLabel() + " " + c.object().displayName());
        }
        return ExitCodes.ERROR;
      }
      System.out.println(style.green("Apply complete!") + " Resources: " + plan.toAdd() + " added, " + plan.toChange()
          + " changed, " + plan.toDestroy() + " destroyed (" + ms + " ms, verified).");
      opened.sandbox().ifPresent(s -> System.out.print(SandboxReport.of(s, checked.state())));
      return ExitCodes.OK;
    }
  }

  /** Takes the host lock; a second run gets a message naming the holder. */
  static io.netform.kernel.HostLock lockOf(HostAccess.Opened opened, String command) {
    try {
      return io.netform.kernel.HostLock.acquire(opened.host().stateDir(), command);
    } catch (io.netform.kernel.HostLock.LockedException e) {
      throw new UserError(e.getMessage());
    }
  }

  /** Refuses to start when a tool the change needs is missing: nothing is read or changed, and the message says what to install. */
  static void preflight(HostAccess.Opened opened) {
    try {
      io.netform.kernel.Preflight.check(opened.host());
    } catch (io.netform.kernel.firewall.FirewallException e) {
      throw new UserError(e.getMessage() + ". Nothing was changed.");
    }
  }

  /** Runs a plan's steps with progress; a kernel refusal is reported as a message, and a re-run finishes the job. */
  static void execute(HostAccess.Opened opened, Plan plan) {
    int total = plan.steps().size();
    try (KernelExecutor executor = new KernelExecutor(opened.host())) {
      executor.apply(plan, done -> progress(done, total));
    } catch (NetlinkException | io.netform.kernel.firewall.FirewallException | IllegalStateException
        | io.netform.kernel.ffi.SyscallException e) {
      System.err.println();
      throw new UserError("apply stopped: " + e.getMessage() + ". Run it again to finish; what was done is kept.");
    }
  }

  /** Applies exactly a saved plan, and only to the host state it was made against. */
  private int applySaved(Path file, Style style) throws Exception {
    io.netform.plan.SavedPlan saved;
    try {
      saved = io.netform.plan.SavedPlan.read(file);
    } catch (io.netform.snapshot.SnapshotException e) {
      throw new UserError(e.getMessage());
    }
    try (HostAccess.Opened opened = access.open();
         io.netform.kernel.HostLock lock = lockOf(opened, "apply " + file)) {
      preflight(opened);
      HostObserver observer = new HostObserver(opened.host());
      ObservedHost now = observer.observe();
      if (saved.isStaleFor(now)) {
        throw new UserError("the saved plan " + file + " is stale: the host changed since it was made ("
            + saved.fingerprint() + " then, " + io.netform.plan.Fingerprint.of(now) + " now). Nothing applied; plan again.");
      }
      Plan plan = saved.plan();
      System.out.print(PlanText.render(plan, style));
      if (plan.hasConflicts()) {
        System.err.println("netform: nothing applied: the saved plan collides with objects netform does not own.");
        return ExitCodes.ERROR;
      }
      if (plan.isEmpty()) {
        return ExitCodes.OK;
      }
      if (!change.autoApprove && !confirmed()) {
        return ExitCodes.ERROR;
      }
      execute(opened, plan);
      java.util.List<String> unconverged = unconverged(plan, observer.observe());
      if (!unconverged.isEmpty()) {
        System.err.println("netform: applied, but these objects did not converge:");
        unconverged.forEach(k -> System.err.println("  " + k));
        return ExitCodes.ERROR;
      }
      System.out.println(style.green("Apply complete!") + " Resources: " + plan.toAdd() + " added, " + plan.toChange()
          + " changed, " + plan.toDestroy() + " destroyed (verified).");
      return ExitCodes.OK;
    }
  }

  /** Keys whose observed state differs from what the plan promised. */
  static java.util.List<String> unconverged(Plan plan, ObservedHost after) {
    java.util.List<String> out = new java.util.ArrayList<>();
    for (Change c : plan.changes()) {
      var seen = after.owned().get(c.key());
      boolean ok = c.after().isPresent()
          ? seen.isPresent() && seen.get().attributes().equals(c.after().get().attributes())
          : seen.isEmpty();
      if (!ok) {
        out.add(c.action().symbol + " " + c.object().kindLabel() + " " + c.object().displayName());
      }
    }
    return out;
  }

  private static void progress(int done, int total) {
    if (total >= 200 && (done % 100 == 0 || done == total) && System.console() != null) {
      System.err.print("\rApplying: " + done + "/" + total + " steps");
      if (done == total) {
        System.err.println();
      }
    }
  }

  static boolean confirmed() throws java.io.IOException {
    if (System.console() == null) {
      System.err.println("netform: no terminal to ask for confirmation; nothing applied. Use --auto-approve in scripts.");
      return false;
    }
    System.out.print("\nDo you want to perform these actions? Only 'yes' will be accepted: ");
    System.out.flush();
    String answer = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
    if (!"yes".equals(answer == null ? null : answer.strip())) {
      System.err.println("Apply cancelled.");
      return false;
    }
    return true;
  }

  private static int refuse(List<Diagnostic> diagnostics, DesiredStateCheck.Checked checked, Style style) {
    var summary = new DiagnosticFormat.Summary(checked.files(), checked.state().networks().size(),
        checked.state().containers().size());
    System.err.print(DiagnosticFormat.named("human", style).render(diagnostics, summary));
    System.err.println("netform: nothing applied: fix the errors above first.");
    return ExitCodes.ERROR;
  }
}
