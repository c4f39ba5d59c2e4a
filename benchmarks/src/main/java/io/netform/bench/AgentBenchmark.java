package io.netform.bench;

import io.netform.kernel.netlink.Rtnl;
import io.netform.kernel.netns.NetnsHandle;
import io.netform.kernel.sandbox.Sandbox;
import io.netform.net.Cidr;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * Issue 5's benchmark, in a sandbox: the agent (started as the systemd unit starts it) holds
 * NETWORKS x CONTAINERS attachments committed to a local Git repository; 20 out-of-band changes
 * of five kinds are made behind its back and the time until each is repaired is measured from the
 * change to the moment the object is back. Then the agent's resident memory is read from /proc.
 */
public final class AgentBenchmark {

  private static final int CHANGES = 20;

  private AgentBenchmark() {}

  public static void main(String[] args) throws Exception {
    int networks = args.length > 0 ? Integer.parseInt(args[0]) : 50;
    int perNetwork = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    String jar = args.length > 2 ? args[2] : "reconciler/target/netform.jar";
    System.out.printf("agent benchmark: %d networks x %d containers = %d attachments, %d cores%n", networks, perNetwork,
        networks * perNetwork, Runtime.getRuntime().availableProcessors());
    Path repo = AgentProcess.repository(ApplyBenchmark.desired(networks, perNetwork, false));
    try (Sandbox sandbox = Sandbox.create(Sandbox.DEFAULT_ROOT);
         AgentProcess agent = AgentProcess.start(sandbox, repo, jar, List.of(), "PT1H", "PT1H")) {
      long t0 = System.nanoTime();
      agent.awaitHealthy(300_000);
      System.out.printf("initial apply by the agent: %.1f s (from start of the JVM)%n", (System.nanoTime() - t0) / 1e9);
      Thread.sleep(1500); // the reconcile its own changes trigger
      long rssAfterApply = agent.status("VmRSS");
      double[] latencies = new double[CHANGES];
      for (int i = 0; i < CHANGES; i++) {
        try (Drift drift = drift(i, sandbox, networks, perNetwork)) {
          long t = System.nanoTime();
          drift.change().run();
          if (!AgentProcess.waitFor(drift.repaired(), 10_000)) {
            throw new IllegalStateException("not repaired within 10 s: " + drift.name() + "\n" + agent.tail(30));
          }
          latencies[i] = (System.nanoTime() - t) / 1e6;
          System.out.printf("  %2d %-34s repaired in %6.0f ms%n", i + 1, drift.name(), latencies[i]);
        }
        Thread.sleep(1200); // let the agent's follow-up reconcile (its own events) pass
      }
      long rss = agent.status("VmRSS");
      long peak = agent.status("VmHWM");
      double median = ApplyBenchmark.median(latencies);
      double max = Arrays.stream(latencies).max().orElseThrow();
      System.out.printf("%-40s median %5.0f ms, max %5.0f ms   target <= 1000 ms: %s%n", "drift repair latency (20 changes)",
          median, max, max <= 1000 ? "meets" : "MISSES");
      System.out.printf("%-40s %5d MB now, %d MB after the initial apply, peak %d MB   target <= 256 MB: %s%n",
          "agent resident memory", rss / 1024, rssAfterApply / 1024, peak / 1024, peak <= 256 * 1024 ? "meets" : "MISSES");
    }
  }

  /** An out-of-band change, how to see it repaired, and what to close afterwards. */
  record Drift(String name, Runnable change, BooleanSupplier repaired, AutoCloseable resources) implements AutoCloseable {
    Drift(String name, Runnable change, BooleanSupplier repaired) {
      this(name, change, repaired, () -> { });
    }

    @Override
    public void close() throws Exception {
      resources.close();
    }
  }

  /** The i-th out-of-band change: five kinds in turn, each on a different network. */
  static Drift drift(int i, Sandbox sandbox, int networks, int perNetwork) {
    Rtnl host = sandbox.host().root().rtnl();
    int n = (i * 7) % networks;
    String bridge = "nfb" + n;
    switch (i % 5) {
      case 0 -> {
        return new Drift("bridge " + bridge + " deleted", () -> host.run(host.deleteLinkByName(host.batch(), bridge)),
            () -> host.link(bridge).map(l -> l.up()).orElse(false));
      }
      case 1 -> {
        Cidr gateway = Cidr.parse("10.0." + n + ".1/24");
        return new Drift("gateway address removed from " + bridge, () -> {
          int index = host.linkIndex(bridge).orElseThrow();
          host.run(host.deleteAddress(host.batch(), index, bridge, gateway));
        }, () -> host.addresses().stream().anyMatch(a -> a.address().equals(gateway)));
      }
      case 2 -> {
        return new Drift("bridge " + bridge + " MTU set to 1400", () -> host.run(host.setLinkByName(host.batch(), bridge,
            Optional.empty(), 1400, Optional.empty(), Optional.empty())),
            () -> host.link(bridge).map(l -> l.mtu() == 1500).orElse(false));
      }
      case 3 -> {
        String veth = hostSideOf(host, bridge);
        return new Drift("veth " + veth + " set down", () -> host.run(host.setLinkByName(host.batch(), veth,
            Optional.of(false), 0, Optional.empty(), Optional.empty())),
            () -> host.link(veth).map(l -> l.up()).orElse(false));
      }
      default -> {
        String container = "c" + n + "-" + (i % perNetwork);
        NetnsHandle ns = NetnsHandle.open(container, sandbox.host().namespaces().dir().resolve(container));
        Rtnl inside = ns.rtnl();
        Cidr address = Cidr.parse("10.0." + n + "." + (i % perNetwork + 2) + "/24");
        return new Drift("address removed in container " + container, () -> {
          int eth0 = inside.linkIndex("eth0").orElseThrow();
          inside.run(inside.deleteAddress(inside.batch(), eth0, "eth0", address));
        }, () -> inside.addresses().stream().anyMatch(a -> a.address().equals(address)), ns);
      }
    }
  }

  private static String hostSideOf(Rtnl host, String bridge) {
    int master = host.linkIndex(bridge).orElseThrow();
    return host.links().stream().filter(l -> l.master() == master && "veth".equals(l.kind())).findFirst().orElseThrow().name();
  }
}
