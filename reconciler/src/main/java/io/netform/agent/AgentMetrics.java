package io.netform.agent;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.core.metrics.Info;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The agent's Prometheus metrics, served with a health endpoint on {@code /metrics} and
 * {@code /-/healthy} (loopback by default).
 */
public final class AgentMetrics implements Reconciler.Listener, AutoCloseable {

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final Counter reconciles = Counter.builder().name("netform_reconciles_total")
      .help("Reconciles by result").labelNames("result").register(registry);
  private final Histogram duration = Histogram.builder().name("netform_reconcile_duration_seconds")
      .help("How long a reconcile took").register(registry);
  private final Gauge lastSuccess = Gauge.builder().name("netform_last_success_timestamp_seconds")
      .help("When the host was last in sync with an applied commit (unix time)").register(registry);
  private final Info appliedCommit = Info.builder().name("netform_applied_commit")
      .help("The commit whose desired state is enforced").labelNames("commit").register(registry);
  private final Counter objectsChanged = Counter.builder().name("netform_objects_changed_total")
      .help("Kernel objects created, changed or deleted by the agent").register(registry);
  private final Counter driftRepairs = Counter.builder().name("netform_drift_repairs_total")
      .help("Objects put back without a new commit (drift repaired)").register(registry);
  private final Counter errors = Counter.builder().name("netform_errors_total")
      .help("Reconciles that did not reach the desired state, by kind").labelNames("kind").register(registry);
  private final Counter failures = Counter.builder().name("netform_reconcile_failures_total")
      .help("Reconciles that failed, by the stage they failed in (fetch, signature, load, plan, apply, verify)")
      .labelNames("stage").register(registry);
  private final Gauge commitValid = Gauge.builder().name("netform_last_commit_valid")
      .help("1 if the branch's newest commit could be enforced (valid and, when required, signed), 0 if it was refused")
      .register(registry);
  private final Gauge healthy = Gauge.builder().name("netform_healthy")
      .help("1 while /-/healthy answers 200: the last reconcile reached the desired state (or waits for a sync window) and "
          + "the last check of the applied commit's expectations held; 0 otherwise").register(registry);
  private final Gauge expectationsChecked = Gauge.builder().name("netform_expectations_checked")
      .help("Connectivity assertions (expect:) checked on this host at the last check").register(registry);
  private final Gauge expectationsFailed = Gauge.builder().name("netform_expectations_failed")
      .help("Connectivity assertions that did not hold at the last check (or 1 when the check could not be made)")
      .register(registry);
  private final Gauge expectationsAt = Gauge.builder().name("netform_expectations_check_timestamp_seconds")
      .help("When the connectivity assertions were last checked (unix time)").register(registry);
  private Optional<String> shownCommit = Optional.empty();
  private volatile Health health = Health.of(AgentStatus.initial(), Optional.empty());
  private Optional<CheckResults> lastChecks = Optional.empty();
  private HTTPServer server;

  public PrometheusRegistry registry() {
    return registry;
  }

  /** Serves /metrics and /-/healthy on ADDRESS:PORT (port 0: any free port). */
  public int serve(InetAddress address, int port) throws IOException {
    server = HTTPServer.builder().inetAddress(address).port(port).registry(registry).registerHealthHandler(false)
        .defaultHandler(this::health).buildAndStart();
    return server.getPort();
  }

  /**
   * {@code /-/healthy}: 200 while the agent keeps the host as committed ({@link Health#agentHealthy}),
   * 503 with the reason otherwise (starting, a refused commit, an unreachable source, a failed
   * apply, an expectation that failed or could not be checked), so that a probe sees a degraded
   * agent. Other paths: 404.
   */
  private void health(HttpExchange exchange) throws IOException {
    try (exchange) {
      Health h = health;
      AgentStatus s = h.status();
      boolean isHealth = exchange.getRequestURI().getPath().equals("/-/healthy");
      boolean ok = h.agentHealthy();
      int code = !isHealth ? 404 : ok ? 200 : 503;
      String body = !isHealth ? "not found: see /metrics and /-/healthy\n"
          : (ok ? "healthy: " : "degraded: ") + s.result() + (s.failedStage().isEmpty() ? "" : " (" + s.failedStage() + ")")
              + (s.message().isEmpty() ? "" : ": " + s.message()) + "\n"
              + h.counted().map(c -> "expectations: " + c.shown() + "\n").orElse("");
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
      exchange.sendResponseHeaders(code, bytes.length);
      exchange.getResponseBody().write(bytes);
    }
  }

  @Override
  public synchronized void reconciled(AgentStatus before, AgentStatus after, double seconds) {
    judge(after, lastChecks);
    reconciles.labelValues(after.result()).inc();
    commitValid.set(after.commitValid() ? 1 : 0);
    if (!after.failedStage().isEmpty()) {
      failures.labelValues(after.failedStage()).inc();
    }
    duration.observe(seconds);
    long changed = after.changesApplied() - before.changesApplied();
    if (changed > 0) {
      objectsChanged.inc(changed);
      if (after.appliedCommit().equals(before.appliedCommit())) {
        driftRepairs.inc(changed);
      }
    }
    if (after.healthy()) {
      after.lastSuccess().ifPresent(t -> lastSuccess.set(t.toEpochMilli() / 1000.0));
    } else if (after.isError()) {
      errors.labelValues(after.result()).inc();
    }
    if (!after.appliedCommit().equals(shownCommit)) {
      after.appliedCommit().ifPresent(appliedCommit::setLabelValues); // replaces the previous commit
      shownCommit = after.appliedCommit();
    }
  }

  /** The last check of the connectivity assertions (agent.ConnectivityChecks). */
  public synchronized void checked(CheckResults results) {
    judge(health.status(), Optional.of(results));
    expectationsChecked.set(results.checked());
    expectationsFailed.set(results.failed());
    expectationsAt.set(results.at().toEpochMilli() / 1000.0);
  }

  /** The last reconcile and check, judged by the one rule: what /-/healthy and netform_healthy say. */
  private void judge(AgentStatus status, Optional<CheckResults> checks) {
    lastChecks = checks;
    health = Health.of(status, checks);
    healthy.set(health.agentHealthy() ? 1 : 0);
  }

  @Override
  public void close() {
    if (server != null) {
      server.close();
    }
  }
}
