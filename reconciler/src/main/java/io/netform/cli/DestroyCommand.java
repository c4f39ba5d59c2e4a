package io.netform.cli;

import io.netform.converge.Goal;
import io.netform.diagnostics.render.Style;
import io.netform.kernel.HostLock;
import io.netform.validate.DesiredStateCheck;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "destroy", mixinStandardHelpOptions = true,
    description = {"Remove everything netform owns for the networks and containers of a desired state, and only that.",
        "Host-wide objects (netform's chains, jumps) go only when nothing of netform's is left. Needs root.",
        "Adopted namespaces (namespace:) are never deleted; foreign rules in netform's chains block the removal of "
            + "those chains (the plan says how to clear them).",
        "Nothing is removed while a container it keeps still uses a network or container it would remove "
            + "(network-in-use, container-in-use)."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:destroyed and verified (or nothing to do)", "1:error, conflict, declined, or something is left"})
final class DestroyCommand implements Callable<Integer> {

  @Parameters(arity = "1..*", paramLabel = "PATH", description = "The desired state whose objects to remove.")
  List<Path> paths;

  @Mixin
  ChangeOptions change;

  @Mixin
  HostAccess access;

  @Mixin
  HostOption host;

  @Override
  public Integer call() throws Exception {
    DesiredStateCheck.Checked checked = DesiredStateCheck.run(paths);
    if (!checked.valid()) {
      return Refusal.print(checked.diagnostics(), checked, change.color.style(), "nothing destroyed");
    }
    Style style = change.color.style();
    Goal goal = Goal.without(host.local(checked.state()).state()); // an unknown --host is refused first
    try (HostAccess.Opened opened = access.open();
         HostLock lock = HostChange.lockForChange(opened, "destroy")) {
      return new HostChange(opened, style, "destroy").run(goal, checked, change.autoApprove,
          () -> { });
    }
  }
}
