package io.netform.agent;

import io.netform.check.ProbePlan;
import io.netform.check.Verdict;
import io.netform.desired.DesiredState;
import io.netform.fleet.LocalState;
import io.netform.kernel.KernelHost;
import io.netform.kernel.observe.HostObserver;
import io.netform.kernel.probe.ProbeRunner;
import io.netform.model.HostModel;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent checking the connectivity assertions ({@code expect:}) of the desired state it last
 * enforced, every so often, on a thread of its own: a check waits for answers (up to its timeout
 * for each blocked path) and never delays a reconcile. Each check is written to
 * {@code STATE/agent-checks.json} for {@code netform status}, and a change in its outcome is logged.
 * A check can run while a reconcile changes the host; a path broken only for that moment shows
 * until the next check.
 */
public final class ConnectivityChecks implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ConnectivityChecks.class);

  private final Reconciler reconciler;
  private final Function<DesiredState, Optional<String>> hostName;
  private final Function<DesiredState, LocalState> share;
  private final Duration timeout;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "connectivity-checks");
    t.setDaemon(true);
    return t;
  });
  private volatile Optional<Boolean> lastHeld = Optional.empty();

  /**
   * {@code hostName}: which declared host this machine is (empty alone); {@code share}: its share of
   * a desired state; {@code timeout}: how long one connection may take to be answered.
   */
  public ConnectivityChecks(Reconciler reconciler, Function<DesiredState, Optional<String>> hostName,
      Function<DesiredState, LocalState> share, Duration timeout) {
    this.reconciler = reconciler;
    this.hostName = hostName;
    this.share = share;
    this.timeout = timeout;
  }

  /** Checks every {@code interval}, the first time one interval from now. */
  public ConnectivityChecks every(Duration interval) {
    timer.scheduleWithFixedDelay(() -> {
      try {
        checkNow();
      } catch (RuntimeException e) {
        LOG.atWarn().addKeyValue("event", "check-failed").log("checking the connectivity assertions failed: {}", e.toString());
      }
    }, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    return this;
  }

  /**
   * Checks the expectations of the state last enforced and writes the result; empty (and no
   * result kept) when nothing is enforced yet or it has no expectations.
   */
  public Optional<CheckResults> checkNow() {
    KernelHost host = reconciler.host();
    Optional<Reconciler.Enforced> enforced = reconciler.enforced();
    if (enforced.isEmpty() || enforced.get().state().expectations().isEmpty()) {
      try {
        Files.deleteIfExists(host.state().agentChecks()); // results of expectations no longer committed would mislead
      } catch (IOException e) {
        throw host.state().writeFailure("the agent's connectivity checks", host.state().agentChecks(), e);
      }
      lastHeld = Optional.empty();
      return Optional.empty();
    }
    DesiredState state = enforced.get().state();
    HostModel owned = new HostObserver(host).observe().owned();
    List<Verdict> verdicts = ProbeRunner.run(host, owned, ProbePlan.of(state, hostName.apply(state).orElse(""),
        share.apply(state).overlay(), owned), timeout);
    CheckResults results = CheckResults.of(Instant.now(), enforced.get().commit(), verdicts);
    results.write(host.state());
    if (!lastHeld.equals(Optional.of(results.held()))) {
      var event = (results.held() ? LOG.atInfo() : LOG.atError()).addKeyValue("event", "expectations")
          .addKeyValue("checked", results.checked()).addKeyValue("failed", results.failed());
      event.log("{}{}", results.lines().get(results.lines().size() - 1), results.held() ? ""
          : " " + String.join("; ", results.lines().stream().filter(l -> l.startsWith("FAIL")).toList()));
      lastHeld = Optional.of(results.held());
    }
    return Optional.of(results);
  }

  @Override
  public void close() {
    timer.shutdownNow();
    try {
      timer.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
