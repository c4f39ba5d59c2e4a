package io.netform.agent;

import io.netform.check.Verdict;
import io.netform.desired.DesiredState;
import io.netform.fleet.LocalState;
import io.netform.kernel.netns.NetnsHandle;
import io.netform.kernel.probe.ProbeRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent checking the connectivity assertions ({@code expect:}) of the desired state it last
 * enforced: every so often, and soon after it enforces another commit, on a thread of its own
 * (probes from the host's own namespace go through a handle of its own too), so that a check
 * waiting for answers never delays a reconcile. Each check is written to
 * {@code STATE/agent-checks.json} with the commit it was of, for {@code netform status}; a check
 * that could not be made is written as failed; a change of outcome is logged. A check does not take
 * the host lock (it would stop reconciles for as long as probes wait for answers), so a failure is
 * only reported once a second check, after any reconcile under way and a short pause, fails too: a
 * path broken only for the moment of a change is no failure.
 */
public final class ConnectivityChecks implements Reconciler.Listener, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ConnectivityChecks.class);

  private final Reconciler reconciler;
  private final Function<DesiredState, Optional<String>> hostName;
  private final Function<DesiredState, LocalState> share;
  private final Duration timeout;
  private final Probe probe;
  private final Duration confirmAfter;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "connectivity-checks");
    t.setDaemon(true);
    return t;
  });
  private volatile boolean stopped;
  private volatile boolean checkedOnce;
  private volatile Optional<Boolean> lastHeld = Optional.empty();
  private volatile boolean forgotten; // no results kept since the last forget(): nothing to forget again
  private volatile String lastProblem = "";
  private java.util.function.Consumer<CheckResults> reports = r -> { }; // guarded by this
  private CheckResults lastReported; // guarded by this: told to metrics that come later

  /**
   * {@code hostName}: which declared host this machine is (empty alone); {@code share}: its share of
   * a desired state; {@code timeout}: how long one connection may take to be answered. Results an
   * earlier agent left are removed: they were of what that agent enforced.
   */
  public ConnectivityChecks(Reconciler reconciler, Function<DesiredState, Optional<String>> hostName,
      Function<DesiredState, LocalState> share, Duration timeout) {
    this(reconciler, hostName, share, timeout, null, Duration.ofSeconds(1));
  }

  /** As above, probing through {@code probe} (the real kernel when null) and confirming a failure after {@code confirmAfter}. */
  ConnectivityChecks(Reconciler reconciler, Function<DesiredState, Optional<String>> hostName,
      Function<DesiredState, LocalState> share, Duration timeout, Probe probe, Duration confirmAfter) {
    this.reconciler = reconciler;
    this.hostName = hostName;
    this.share = share;
    this.timeout = timeout;
    this.probe = probe != null ? probe : this::probeKernel;
    this.confirmAfter = confirmAfter;
    forget();
  }

  /** Checks a desired state's expectations on the host. */
  interface Probe {
    List<Verdict> check(DesiredState state);
  }

  private List<Verdict> probeKernel(DesiredState state) {
    try (NetnsHandle root = NetnsHandle.open("connectivity-checks", reconciler.host().root().path())) {
      return ProbeRunner.checkExpectations(reconciler.host(), root, state, hostName.apply(state).orElse(""),
          share.apply(state), timeout);
    }
  }

  /**
   * Tells {@code metrics} of every check from now on, and of the last one made: the first check
   * may have ended before the metrics were there, and a failure must not be missed.
   */
  public synchronized ConnectivityChecks reportTo(AgentMetrics metrics) {
    reports = metrics::checked;
    if (lastReported != null) {
      reports.accept(lastReported);
    }
    return this;
  }

  private synchronized void report(CheckResults results) {
    lastReported = results;
    reports.accept(results);
  }

  /** Checks every {@code interval}, and soon after each newly enforced commit. */
  public ConnectivityChecks every(Duration interval) {
    timer.scheduleWithFixedDelay(this::checkQuietly, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    reconciler.listen(this);
    return this;
  }

  /**
   * A reconcile that enforced another commit, or the first one of this agent to reach the desired
   * state: its expectations are checked now, not at the next interval (an agent that restarted has
   * no results until then).
   */
  @Override
  public void reconciled(AgentStatus before, AgentStatus after, double seconds) {
    boolean another = !Objects.equals(before.appliedCommit(), after.appliedCommit());
    if (after.healthy() && (another || !checkedOnce) && !stopped) {
      checkedOnce = true;
      try {
        timer.execute(this::checkQuietly);
      } catch (java.util.concurrent.RejectedExecutionException e) {
        // closed meanwhile: the agent is stopping
      }
    }
  }

  private void checkQuietly() {
    try {
      checkNow();
    } catch (Throwable e) { // anything escaping would end the schedule without a word
      if (stopped) {
        return;
      }
      String problem = "checking the connectivity assertions failed: " + e;
      if (!problem.equals(lastProblem)) {
        LOG.atWarn().addKeyValue("event", "check-failed").log(problem);
        lastProblem = problem;
      }
      lastHeld = Optional.of(false);
      record(new CheckResults(Instant.now(), reconciler.enforced().flatMap(Reconciler.Enforced::commit),
          List.of("the expectations could not be checked: " + e.getMessage()), 0, 1));
    }
  }

  /**
   * Checks the expectations of the state last enforced and writes the result; empty (and no
   * result kept) when nothing is enforced yet or it has no expectations.
   */
  public Optional<CheckResults> checkNow() {
    Optional<Reconciler.Enforced> enforced = reconciler.enforced();
    if (enforced.isEmpty() || enforced.get().state().expectations().isEmpty()) {
      if (!forgotten) {
        forget(); // once: forgetting at every interval would tell the metrics of a check each time
      }
      return Optional.empty();
    }
    DesiredState state = enforced.get().state();
    CheckResults results = CheckResults.of(Instant.now(), enforced.get().commit(), probe.check(state));
    if (!results.held() && !stopped) {
      // Confirmed before it counts: a reconcile (or an apply by hand) may have been changing the path.
      reconciler.awaitIdle();
      pause(confirmAfter);
      if (stopped || !reconciler.enforced().equals(enforced)) {
        return Optional.empty(); // stopping, or another state is enforced now: its own check follows
      }
      results = CheckResults.of(Instant.now(), enforced.get().commit(), probe.check(state));
    }
    if (stopped) {
      return Optional.of(results); // the agent is stopping: its host may be gone
    }
    if (!lastHeld.equals(Optional.of(results.held()))) {
      var event = (results.held() ? LOG.atInfo() : LOG.atError()).addKeyValue("event", "expectations")
          .addKeyValue("checked", results.checked()).addKeyValue("failed", results.failed());
      event.log("{}{}", results.summary(), results.held() ? ""
          : " " + String.join("; ", results.lines().stream().filter(l -> l.startsWith("FAIL")).toList()));
      lastHeld = Optional.of(results.held());
    }
    lastProblem = "";
    record(results);
    return Optional.of(results);
  }

  private static void pause(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void record(CheckResults results) {
    if (!stopped) {
      forgotten = false;
      report(results);
      results.write(reconciler.host().state());
    }
  }

  /** Removes the last results: nothing to check, or an earlier agent's. */
  private void forget() {
    report(new CheckResults(Instant.now(), Optional.empty(), List.of(), 0, 0)); // the metrics forget them too
    try {
      Files.deleteIfExists(reconciler.host().state().agentChecks());
    } catch (IOException e) {
      throw reconciler.host().state().writeFailure("the agent's connectivity checks", reconciler.host().state().agentChecks(), e);
    }
    lastHeld = Optional.empty();
    forgotten = true;
  }

  /** Stops checking, and waits for a check under way to end (before the host it uses is closed). */
  @Override
  public void close() {
    stopped = true;
    reconciler.unlisten(this);
    timer.shutdown();
    try {
      if (!timer.awaitTermination(timeout.multipliedBy(20).plusSeconds(30).toMillis(), TimeUnit.MILLISECONDS)) {
        timer.shutdownNow();
      }
    } catch (InterruptedException e) {
      timer.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
