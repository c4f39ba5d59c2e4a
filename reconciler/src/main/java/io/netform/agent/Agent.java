package io.netform.agent;

import io.netform.dns.NameService;
import io.netform.kernel.observe.EventDrivenReads;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import org.quartz.SchedulerException;

/**
 * The running agent: the host view kept by netlink events, the metrics, the schedule (polls,
 * resyncs, retries), the drift watcher and the embedded DNS around one {@link Reconciler}. Closing it stops them in
 * an order that lets a running reconcile finish, so an apply is never cut in half.
 */
public final class Agent implements AutoCloseable {

  private final EventDrivenReads view;
  private final AgentMetrics metrics;
  private final AgentScheduler scheduler;
  private final DriftWatcher watcher;
  private final int metricsPort;
  private final NameService names;

  private Agent(EventDrivenReads view, AgentMetrics metrics, AgentScheduler scheduler, DriftWatcher watcher, int metricsPort,
      NameService names) {
    this.names = names;
    this.view = view;
    this.metrics = metrics;
    this.scheduler = scheduler;
    this.watcher = watcher;
    this.metricsPort = metricsPort;
  }

  /**
   * Starts reconciling: metrics served at {@code metricsAt} (when given), repairs read through the
   * event-driven view, the periodic resync afresh.
   *
   * @throws IOException the metrics address cannot be served (taken, not local)
   */
  public static Agent start(Reconciler reconciler, Duration poll, Duration resync, Optional<InetSocketAddress> metricsAt)
      throws IOException, SchedulerException {
    EventDrivenReads view = new EventDrivenReads(reconciler.host().root());
    AgentMetrics metrics = new AgentMetrics();
    AgentScheduler scheduler = null;
    DriftWatcher watcher = null;
    NameService names = null;
    try {
      names = NameService.start(reconciler.host()); // the embedded DNS follows what the agent applies
      int port = -1;
      if (metricsAt.isPresent()) {
        port = metrics.serve(metricsAt.get().getAddress(), metricsAt.get().getPort());
      }
      reconciler.listen(metrics);
      reconciler.runs(AgentRun.every(poll, resync));
      reconciler.readThrough(view); // repairs re-read only what changed; the resync reads everything
      scheduler = new AgentScheduler(reconciler, poll, resync);
      watcher = new DriftWatcher(reconciler.host().root(), () -> reconciler.repairDrift("netlink event"), 100);
      scheduler.start();
      return new Agent(view, metrics, scheduler, watcher, port, names);
    } catch (IOException | SchedulerException | RuntimeException e) {
      closeQuietly(watcher);
      if (names != null) {
        names.close();
      }
      if (scheduler != null) {
        scheduler.close();
      }
      metrics.close();
      view.close();
      throw e;
    }
  }

  /** The agent's metrics, which others (the connectivity checks) report to as well. */
  public AgentMetrics metrics() {
    return metrics;
  }

  /** The port metrics are served on, or -1. */
  public int metricsPort() {
    return metricsPort;
  }

  /** Stops the schedule and the watcher, each after letting a running reconcile finish; then metrics and the view. */
  @Override
  public void close() throws SchedulerException {
    try {
      scheduler.close();
    } finally {
      closeQuietly(watcher);
      metrics.close();
      view.close();
      names.close();
    }
  }

  private static void closeQuietly(DriftWatcher watcher) {
    if (watcher != null) {
      watcher.close();
    }
  }
}
