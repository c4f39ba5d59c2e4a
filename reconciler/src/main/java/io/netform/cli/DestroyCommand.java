package io.netform.cli;

import io.netform.desired.DesiredState;
import io.netform.diagnostics.render.Style;
import io.netform.kernel.observe.HostObserver;
import io.netform.model.HostModel;
import io.netform.model.KernelObject;
import io.netform.model.ObservedHost;
import io.netform.model.Owner;
import io.netform.plan.Plan;
import io.netform.plan.PlanText;
import io.netform.plan.Planner;
import io.netform.validate.DesiredStateCheck;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "destroy", mixinStandardHelpOptions = true,
    description = {"Remove everything netform owns for the networks and containers of a desired state, and only that.",
        "Host-wide objects (netform's chains, jumps) go only when nothing of netform's is left. Needs root."})
final class DestroyCommand implements Callable<Integer> {

  @Parameters(arity = "1..*", paramLabel = "PATH", description = "The desired state whose objects to remove.")
  List<Path> paths;

  @Mixin
  ChangeOptions change;

  @Mixin
  HostAccess access;

  @Override
  public Integer call() throws Exception {
    DesiredStateCheck.Checked checked = DesiredStateCheck.run(paths);
    if (!checked.valid()) {
      System.err.println("netform: nothing destroyed: the desired state has errors; run netform validate.");
      return ExitCodes.ERROR;
    }
    Style style = Style.detect(change.noColor);
    try (HostAccess.Opened opened = access.open();
         io.netform.kernel.HostLock lock = ApplyCommand.lockOf(opened, "destroy")) {
      ApplyCommand.preflight(opened);
      HostObserver observer = new HostObserver(opened.host());
      ObservedHost before = observer.observe();
      Plan plan = Planner.plan(remaining(before.owned(), owners(checked.state())), before);
      System.out.print(PlanText.render(plan, style));
      if (plan.hasConflicts()) {
        System.err.println("netform: nothing destroyed: objects netform does not own depend on what it would remove.");
        return ExitCodes.ERROR;
      }
      if (plan.isEmpty()) {
        return ExitCodes.OK;
      }
      if (!change.autoApprove && !ApplyCommand.confirmed()) {
        return ExitCodes.ERROR;
      }
      ApplyCommand.execute(opened, plan);
      List<String> left = ApplyCommand.unconverged(plan, observer.observe());
      if (!left.isEmpty()) {
        System.err.println("netform: these objects are still there:");
        left.forEach(k -> System.err.println("  " + k));
        return ExitCodes.ERROR;
      }
      System.out.println(style.green("Destroy complete!") + " Resources: " + plan.toDestroy() + " destroyed.");
      return ExitCodes.OK;
    }
  }

  static Set<Owner> owners(DesiredState state) {
    Set<Owner> out = new HashSet<>();
    state.networks().keySet().forEach(n -> out.add(Owner.network(n)));
    state.containers().keySet().forEach(c -> out.add(Owner.container(c)));
    return out;
  }

  /** What stays: objects of other owners, and host-wide ones while any network or container object stays. */
  static HostModel remaining(HostModel owned, Set<Owner> destroyed) {
    List<KernelObject> kept = owned.objects().values().stream()
        .filter(o -> o.owner().kind() != Owner.Kind.HOST && !destroyed.contains(o.owner())).toList();
    if (kept.isEmpty()) {
      return HostModel.empty();
    }
    List<KernelObject> withHost = new java.util.ArrayList<>(kept);
    owned.objects().values().stream().filter(o -> o.owner().kind() == Owner.Kind.HOST).forEach(withHost::add);
    return HostModel.of(withHost);
  }
}
