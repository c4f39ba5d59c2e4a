package io.netform.cli;

import io.netform.check.Verdict;
import io.netform.desired.DesiredState;
import io.netform.fleet.LocalState;
import io.netform.kernel.KernelHost;
import io.netform.kernel.probe.ProbeRunner;
import java.time.Duration;
import java.util.List;

/** The connectivity assertions of a desired state, checked on one host and printed; what check and a sandbox apply share. */
final class ExpectationCheck {

  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(1);

  private ExpectationCheck() {}

  /**
   * Checks on {@code host} (named {@code name} in the fleet, "" alone) and prints each verdict;
   * returns the exit code: 0 when every expectation checked here held (or there are none).
   */
  static int run(KernelHost host, DesiredState fleet, String name, LocalState share, Duration timeout) {
    if (fleet.expectations().isEmpty()) {
      return ExitCodes.OK;
    }
    List<Verdict> verdicts = ProbeRunner.checkExpectations(host, host.root(), fleet, name, share, timeout);
    StringBuilder sb = new StringBuilder("\nExpectations" + (name.isEmpty() ? "" : " on " + name) + " (TCP connect, "
        + timeout.toMillis() + " ms to answer):\n");
    verdicts.forEach(v -> sb.append("  ").append(v.line()).append('\n'));
    sb.append(Verdict.summary(verdicts)).append('\n');
    System.out.print(sb);
    return verdicts.stream().allMatch(Verdict::held) ? ExitCodes.OK : ExitCodes.ERROR;
  }
}
