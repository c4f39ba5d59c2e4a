package io.netform.cli;

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
import picocli.CommandLine.Option;
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

  @Option(names = "--auto-approve", description = "Apply without asking.")
  boolean autoApprove;

  @Option(names = "--no-color", description = "Never colour the output (NO_COLOR is honoured too).")
  boolean noColor;

  @Mixin
  HostAccess access;

  @Override
  public Integer call() throws Exception {
    DesiredStateCheck.Checked checked = DesiredStateCheck.run(paths);
    Style style = Style.detect(noColor);
    if (!checked.valid()) {
      return refuse(checked.diagnostics(), checked, style);
    }
    try (HostAccess.Opened opened = access.open()) {
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
      if (!autoApprove && !confirmed()) {
        return ExitCodes.ERROR;
      }
      int total = plan.steps().size();
      long started = System.nanoTime();
      try (KernelExecutor executor = new KernelExecutor(opened.host())) {
        executor.apply(plan, done -> progress(done, total));
      } catch (NetlinkException | io.netform.kernel.firewall.FirewallException | IllegalStateException e) {
        System.err.println();
        throw new UserError("apply stopped: " + e.getMessage() + ". Run apply again to finish; what was done is kept.");
      }
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

  private static void progress(int done, int total) {
    if (total >= 200 && (done % 100 == 0 || done == total) && System.console() != null) {
      System.err.print("\rApplying: " + done + "/" + total + " steps");
      if (done == total) {
        System.err.println();
      }
    }
  }

  private static boolean confirmed() throws java.io.IOException {
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
