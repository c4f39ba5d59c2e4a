package io.netform.agent;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netform.kernel.KernelTest;
import io.netform.kernel.Namespaces;
import io.netform.kernel.netns.NetnsHandle;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** /metrics and /-/healthy over real HTTP on loopback, inside a namespace of the test's own. */
@KernelTest
class AgentMetricsTest {

  @Test
  void reconcilesShowUpInMetrics() throws Exception {
    try (Namespaces ns = new Namespaces(); AgentMetrics metrics = new AgentMetrics()) {
      NetnsHandle box = ns.create("metrics");
      int port = box.call(() -> metrics.serve(InetAddress.getLoopbackAddress(), 0));
      AgentStatus start = AgentStatus.initial();
      AgentStatus applied = new AgentStatus(AgentStatus.APPLIED, "", Optional.of("c1"), Optional.of("c1"), Instant.now(),
          Optional.of(Instant.now()), 1, 30);
      AgentStatus repaired = new AgentStatus(AgentStatus.APPLIED, "", Optional.of("c1"), Optional.of("c1"), Instant.now(),
          Optional.of(Instant.now()), 2, 33);
      AgentStatus invalid = new AgentStatus(AgentStatus.INVALID, "bad", Optional.of("c2"), Optional.of("c1"), Instant.now(),
          repaired.lastSuccess(), 3, 33, AgentStatus.LOAD);
      metrics.reconciled(start, applied, 0.2);
      metrics.reconciled(applied, repaired, 0.1);
      metrics.reconciled(repaired, invalid, 0.05);
      String body = box.call(() -> get(port, "/metrics"));
      assertTrue(body.contains("netform_reconciles_total{result=\"applied\"} 2.0"), body);
      assertTrue(body.contains("netform_errors_total{kind=\"invalid-commit\"} 1.0"), body);
      assertTrue(body.contains("netform_drift_repairs_total 3.0"), body);
      assertTrue(body.contains("netform_objects_changed_total 33.0"), body);
      assertTrue(body.contains("netform_applied_commit_info{commit=\"c1\"} 1"), body);
      assertTrue(body.contains("netform_reconcile_duration_seconds_count 3"), body);
      String degraded = box.call(() -> get(port, "/-/healthy"));
      assertTrue(degraded.startsWith("HTTP/1.1 503"), "a refused commit is visible to a probe: " + degraded);
      assertTrue(degraded.contains("degraded: invalid-commit (load): bad"), degraded);
      assertTrue(body.contains("netform_last_commit_valid 0.0"), body);
      assertTrue(body.contains("netform_reconcile_failures_total{stage=\"load\"} 1.0"), body);
      metrics.reconciled(invalid, repaired, 0.1);
      String healthy = box.call(() -> get(port, "/-/healthy"));
      assertTrue(healthy.startsWith("HTTP/1.1 200") && healthy.contains("healthy: applied"), healthy);
      assertTrue(box.call(() -> get(port, "/metrics")).contains("netform_last_commit_valid 1.0"));
    }
  }

  @Test
  void theLastConnectivityCheckShowsUpInMetrics() throws Exception {
    try (Namespaces ns = new Namespaces(); AgentMetrics metrics = new AgentMetrics()) {
      NetnsHandle box = ns.create("metrics-checks");
      int port = box.call(() -> metrics.serve(InetAddress.getLoopbackAddress(), 0));
      metrics.checked(new CheckResults(Instant.ofEpochSecond(1_764_554_400), Optional.of("c1"),
          java.util.List.of("FAIL  a -> b:80", "3 expectations checked: 2 held, 1 failed."), 3, 1));
      String body = box.call(() -> get(port, "/metrics"));
      assertTrue(body.contains("netform_expectations_checked 3.0"), body);
      assertTrue(body.contains("netform_expectations_failed 1.0"), body);
      assertTrue(body.contains("netform_expectations_check_timestamp_seconds 1.7645544E9"), body);
    }
  }

  /** In sync is not healthy while the applied commit's expectations fail, or could not be checked. */
  @Test
  void aFailedExpectationMakesTheAgentDegraded() throws Exception {
    try (Namespaces ns = new Namespaces(); AgentMetrics metrics = new AgentMetrics()) {
      NetnsHandle box = ns.create("metrics-health");
      int port = box.call(() -> metrics.serve(InetAddress.getLoopbackAddress(), 0));
      AgentStatus inSync = new AgentStatus(AgentStatus.OK, "", Optional.of("c1"), Optional.of("c1"), Instant.now(),
          Optional.of(Instant.now()), 1, 0);
      metrics.reconciled(AgentStatus.initial(), inSync, 0.1);
      assertTrue(box.call(() -> get(port, "/-/healthy")).startsWith("HTTP/1.1 200"));
      Instant at = Instant.parse("2026-12-01T02:00:00Z");
      metrics.checked(new CheckResults(at, Optional.of("c1"), List.of("ok    a -> b:80  expected reachable, reachable",
          "FAIL  a -> c:80  expected reachable, blocked: 10.0.0.4 no answer (timed out)",
          "2 expectations checked: 1 held, 1 failed."), 2, 1));
      metrics.reconciled(inSync, inSync, 0.1); // a reconcile in sync does not clear the failed check
      String degraded = box.call(() -> get(port, "/-/healthy"));
      assertTrue(degraded.startsWith("HTTP/1.1 503"), degraded);
      assertTrue(degraded.contains("degraded: in-sync\nexpectations: 2 expectations checked: 1 held, 1 failed. (at "
          + "2026-12-01T02:00:00Z, commit c1)\n  FAIL  a -> c:80  expected reachable, blocked"), degraded);
      assertTrue(box.call(() -> get(port, "/metrics")).contains("netform_healthy 0.0"));
      metrics.checked(new CheckResults(at, Optional.of("c0"), List.of("FAIL  a -> c:80",
          "1 expectation checked: 0 held, 1 failed."), 1, 1));
      assertTrue(box.call(() -> get(port, "/-/healthy")).startsWith("HTTP/1.1 200"),
          "a check of another commit than the applied one says nothing about it");
      metrics.checked(new CheckResults(at, Optional.of("c1"), List.of("the expectations could not be checked: no namespace"),
          0, 1));
      String unchecked = box.call(() -> get(port, "/-/healthy"));
      assertTrue(unchecked.startsWith("HTTP/1.1 503") && unchecked.contains("could not be checked: no namespace"), unchecked);
      metrics.checked(new CheckResults(at, Optional.of("c1"), List.of("2 expectations checked: 2 held, 0 failed."), 2, 0));
      String healthy = box.call(() -> get(port, "/-/healthy"));
      assertTrue(healthy.startsWith("HTTP/1.1 200") && healthy.contains("healthy: in-sync"), healthy);
      assertTrue(box.call(() -> get(port, "/metrics")).contains("netform_healthy 1.0"));
    }
  }

  static String get(int port, String path) throws Exception {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
      OutputStream out = s.getOutputStream();
      out.write(("GET " + path + " HTTP/1.0\r\nHost: localhost\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
