package io.netform.cli;

import io.netform.diagnostics.render.Style;
import io.netform.fleet.LocalState;
import io.netform.validate.DesiredStateCheck;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "check", mixinStandardHelpOptions = true,
    description = {"Check the desired state's connectivity assertions (expect:) on this host: from each container's "
        + "namespace, a TCP connection to the target. An answer of any kind (connected, or refused because nothing "
        + "listens) means the path is open; silence or no route means it is blocked. Changes nothing.",
        "In a fleet, this host checks the assertions that start in its own containers. 'netform apply --sandbox' "
            + "checks them after applying."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:every assertion checked here held (or there are none)",
        "1:an assertion failed, or an invalid desired state"})
final class CheckCommand implements Callable<Integer> {

  private static final Duration MAX_TIMEOUT = Duration.ofMinutes(1);

  @Parameters(arity = "1..*", paramLabel = "PATH", description = "Desired-state files or directories.")
  List<Path> paths;

  @Mixin
  HostAccess access;

  @Mixin
  HostOption host;

  @Option(names = "--timeout", paramLabel = "DURATION", description = "How long a connection may take to be answered "
      + "before the path counts as blocked (default: 1s).")
  Duration timeout = ExpectationCheck.DEFAULT_TIMEOUT;

  @Override
  public Integer call() {
    DesiredStateCheck.Checked checked = DesiredStateCheck.run(paths);
    if (!checked.valid()) {
      return Refusal.print(checked.diagnostics(), checked, Style.detect(false), "nothing checked");
    }
    if (access.sandbox) {
      throw new UserError("check looks at a host as it is; 'netform apply --sandbox' applies in a sandbox and checks "
          + "the assertions there");
    }
    if (checked.state().expectations().isEmpty()) {
      System.out.println("No connectivity assertions (expect:) in the desired state; nothing to check.");
      return ExitCodes.OK;
    }
    if (timeout.compareTo(Duration.ofMillis(1)) < 0 || timeout.compareTo(MAX_TIMEOUT) > 0) {
      throw new UserError("--timeout must be between 1ms and " + MAX_TIMEOUT.toSeconds() + "s (it is how long one "
          + "connection may take to be answered)");
    }
    LocalState share = host.local(checked.state());
    String name = host.name(checked.state());
    try (HostAccess.Opened opened = access.open()) {
      return ExpectationCheck.run(opened.host(), checked.state(), name, share, timeout);
    }
  }
}
