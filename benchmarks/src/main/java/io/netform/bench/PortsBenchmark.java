package io.netform.bench;

import io.netform.desired.DesiredState;
import io.netform.kernel.KernelHost;
import io.netform.kernel.apply.KernelExecutor;
import io.netform.kernel.firewall.FirewallBackend;
import io.netform.kernel.firewall.FirewallKind;
import io.netform.kernel.observe.HostObserver;
import io.netform.kernel.sandbox.Sandbox;
import io.netform.net.IpAddress.Family;
import io.netform.plan.Plan;
import java.util.List;

/**
 * Issue 13's benchmark: many published ports on one bridge network, in a sandbox. For each count
 * of ports (ranges of 100 ports, one container each): the cold apply, the firewall's share of
 * it (the one iptables-restore and building its input), a no-op plan, and the destroy. The
 * firewall time per rule stays flat when the cost grows linearly with the count.
 */
public final class PortsBenchmark {

  private static final int PORTS_PER_CONTAINER = 100;

  private PortsBenchmark() {}

  public static void main(String[] args) {
    int[] counts = args.length == 0 ? new int[] {1_000, 4_000, 16_000} : java.util.Arrays.stream(args)
        .mapToInt(Integer::parseInt).toArray();
    System.out.printf("ports benchmark: one bridge network, ranges of %d ports per container, %d cores%n",
        PORTS_PER_CONTAINER, Runtime.getRuntime().availableProcessors());
    System.out.printf("%9s %8s %8s %10s %10s %12s %10s %10s %12s%n", "backend", "ports", "rules", "apply s", "firewall s",
        "µs per rule", "no-op s", "destroy s", "firewall s");
    for (int ports : counts) {
      for (FirewallKind kind : backends()) {
        measure(ports, kind);
      }
    }
  }

  /** $NETFORM_FIREWALL_BACKEND: iptables (the default), nftables, or both (each count with each, one after the other). */
  private static List<FirewallKind> backends() {
    String chosen = System.getenv().getOrDefault(FirewallKind.ENVIRONMENT, "iptables");
    return chosen.equals("both") ? List.of(FirewallKind.values())
        : List.of(FirewallKind.parse(chosen).orElseThrow(() -> new IllegalArgumentException(FirewallKind.ENVIRONMENT + "="
            + chosen + ": iptables, nftables or both")));
  }

  private static void measure(int ports, FirewallKind kind) {
    DesiredState desired = ApplyBenchmark.check(desired(ports));
    DesiredState nothing = ApplyBenchmark.check("version: 1\n");
    try (Sandbox sandbox = Sandbox.create(Sandbox.DEFAULT_ROOT, kind)) {
      TimedFirewall firewall = new TimedFirewall(sandbox.host().firewall());
      KernelHost host = new KernelHost(sandbox.host().root(), sandbox.host().namespaces(), sandbox.host().stateDir(),
          firewall);
      HostObserver observer = new HostObserver(host);
      long t0 = System.nanoTime();
      Plan plan = ApplyBenchmark.plan(desired, observer.observe());
      execute(host, plan);
      double apply = ApplyBenchmark.seconds(t0);
      double fw = firewall.seconds;
      long rules = plan.changes().stream().filter(c -> c.object() instanceof io.netform.model.FirewallRule).count();
      long t1 = System.nanoTime();
      if (!ApplyBenchmark.plan(desired, observer.observe()).isEmpty()) {
        throw new IllegalStateException("not converged after the apply");
      }
      double noop = ApplyBenchmark.seconds(t1);
      long t2 = System.nanoTime();
      execute(host, ApplyBenchmark.plan(nothing, observer.observe()));
      double destroy = ApplyBenchmark.seconds(t2);
      double fwDestroy = firewall.seconds - fw;
      System.out.printf("%9s %8d %8d %10.2f %10.2f %12.1f %10.2f %10.2f %12.2f%n", kind.text(), ports, rules, apply, fw,
          fw * 1e6 / rules, noop, destroy, fwDestroy);
    }
  }

  private static void execute(KernelHost host, Plan plan) {
    try (KernelExecutor executor = new KernelExecutor(host)) {
      executor.apply(plan, done -> { });
    }
  }

  /** One network, PORTS published ports in ranges of PORTS_PER_CONTAINER, one container per range. */
  public static String desired(int ports) {
    StringBuilder sb = new StringBuilder("version: 1\nnetworks:\n  pub: {bridge_name: nfpub, ipam: {config: [{subnet: "
        + "10.60.0.0/16}]}}\ncontainers:\n");
    for (int c = 0; c * PORTS_PER_CONTAINER < ports; c++) {
      int from = 10_000 + c * PORTS_PER_CONTAINER;
      int to = from + Math.min(PORTS_PER_CONTAINER, ports - c * PORTS_PER_CONTAINER) - 1;
      sb.append("  c").append(c).append(": {networks: [pub], ports: [\"").append(from).append('-').append(to).append(':')
          .append(from).append('-').append(to).append("\"]}\n");
    }
    return sb.toString();
  }

  /** The sandbox's firewall, timing its changes (the restore input is built inside apply). */
  private static final class TimedFirewall implements FirewallBackend {
    private final FirewallBackend inner;
    double seconds;

    TimedFirewall(FirewallBackend inner) {
      this.inner = inner;
    }

    @Override
    public Observed observe() {
      return inner.observe();
    }

    @Override
    public void checkAvailable(Family family) {
      inner.checkAvailable(family);
    }

    @Override
    public void checkAlone(boolean keepsRules, boolean holdsRules) {
      inner.checkAlone(keepsRules, holdsRules);
    }

    @Override
    public boolean changesAreAnnounced() {
      return inner.changesAreAnnounced();
    }

    @Override
    public void apply(ChangeSet changes) {
      long t = System.nanoTime();
      inner.apply(changes);
      seconds += ApplyBenchmark.seconds(t);
    }
  }
}
