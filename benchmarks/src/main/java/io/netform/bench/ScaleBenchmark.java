package io.netform.bench;

import io.netform.kernel.netlink.Rtnl;
import io.netform.kernel.observe.NamespaceWalker;
import io.netform.bench.NetformProcess.Timed;
import io.netform.kernel.sandbox.Sandbox;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Issue 9's scale benchmark: COUNTS containers on one host (1,000, 5,000 and 10,000 by default),
 * spread over 50 bridge networks, static addresses. For each count, in fresh sandboxes and in the
 * same run: netform as a user runs it ({@code ./netform apply}, {@code plan}, {@code destroy},
 * whole processes, with their peak resident memory), and the same host built and torn down by
 * {@code ip -batch} (one batch for the host, one per namespace, one {@code iptables-restore}).
 * A no-op plan has no {@code ip} counterpart; it is set against the floor of any observation: a
 * loop that only enters every namespace and dumps its links, addresses and routes (netform's
 * netlink layer, in this JVM, warmed up).
 */
public final class ScaleBenchmark {

  private static final int NETWORKS = 50;
  private static final int RUNS = 3;

  private ScaleBenchmark() {}

  record Figures(int containers, Timed apply, Timed noop, double floor, Timed destroy, double peerApply, double peerDestroy) {}

  public static void main(String[] args) throws Exception {
    int[] counts = args.length > 0 ? Arrays.stream(args).mapToInt(Integer::parseInt).toArray() : new int[] {1000, 5000, 10000};
    System.out.printf("scale benchmark: %s containers on %d bridge networks, static addresses; %d cores; netform through"
        + " ./netform (whole processes), against ip -batch%n", Arrays.toString(counts), NETWORKS,
        Runtime.getRuntime().availableProcessors());
    List<Figures> all = new ArrayList<>();
    for (int n : counts) {
      if (n % NETWORKS != 0 || n / NETWORKS > 250) {
        throw new IllegalArgumentException(n + " containers: a multiple of " + NETWORKS + ", at most " + 250 * NETWORKS);
      }
      Figures f = measure(n);
      all.add(f);
      print(f);
    }
    if (all.size() > 1) {
      growth(all);
    }
  }

  private static Figures measure(int containers) throws Exception {
    int per = containers / NETWORKS;
    Path dir = Files.createTempDirectory("netform-bench-scale");
    Path desired = Files.writeString(dir.resolve("desired.yaml"), ApplyBenchmark.desired(NETWORKS, per, false));
    try {
      Timed apply;
      List<Timed> noops = new ArrayList<>();
      double[] floors = new double[RUNS];
      Timed destroy;
      try (Sandbox sandbox = Sandbox.create(Sandbox.DEFAULT_ROOT)) {
        NetformProcess netform = new NetformProcess(sandbox, dir);
        netform.warmUp(desired);
        apply = netform.run(0, "apply", "--auto-approve", desired.toString());
        for (int i = 0; i < RUNS; i++) {
          noops.add(netform.run(0, "plan", "--detailed-exitcode", desired.toString()));
          floors[i] = readEverything(sandbox);
        }
        destroy = netform.run(0, "destroy", "--auto-approve", desired.toString());
        if (!sandbox.host().namespaces().list().isEmpty()) {
          throw new IllegalStateException("the destroy left namespaces behind");
        }
      }
      double[] peer = IpBatch.buildAndDestroy(dir, NETWORKS, per);
      Timed noop = noops.stream().sorted((a, b) -> Double.compare(a.seconds(), b.seconds())).toList().get(RUNS / 2);
      return new Figures(containers, apply, noop, ApplyBenchmark.median(floors), destroy, peer[0], peer[1]);
    } finally {
      try (var files = Files.list(dir)) {
        for (Path f : files.toList()) {
          Files.delete(f);
        }
      }
      Files.delete(dir);
    }
  }

  /** The floor of an observation: the host's three dumps, then every namespace entered and dumped three times. */
  private static double readEverything(Sandbox sandbox) {
    long t0 = System.nanoTime();
    Rtnl host = sandbox.host().root().rtnl();
    host.links();
    host.addresses();
    host.routes();
    Map<String, Path> namespaces = new LinkedHashMap<>();
    sandbox.host().namespaces().list().forEach(n -> namespaces.put(n, sandbox.host().namespaces().path(n)));
    int read = NamespaceWalker.read(namespaces).size();
    if (read != namespaces.size()) {
      throw new IllegalStateException("read " + read + " of " + namespaces.size() + " namespaces");
    }
    return ApplyBenchmark.seconds(t0);
  }

  private static void print(Figures f) {
    System.out.printf("%,d containers:%n", f.containers());
    System.out.printf("  %-26s %8.2f s  peak %4d MB   ip -batch %8.2f s   ip -batch / netform %5.1f%n", "cold apply",
        f.apply().seconds(), f.apply().peakKb() / 1024, f.peerApply(), f.peerApply() / f.apply().seconds());
    System.out.printf("  %-26s %8.2f s  peak %4d MB   dumps only %7.2f s   netform / dumps only %5.1f%n",
        "no-op plan (median of " + RUNS + ")", f.noop().seconds(), f.noop().peakKb() / 1024, f.floor(),
        f.noop().seconds() / f.floor());
    System.out.printf("  %-26s %8.2f s  peak %4d MB   ip -batch %8.2f s   ip -batch / netform %5.1f%n", "destroy",
        f.destroy().seconds(), f.destroy().peakKb() / 1024, f.peerDestroy(), f.peerDestroy() / f.destroy().seconds());
  }

  /** Each cost at each count as a multiple of the same cost at the first count, next to the multiple of containers. */
  private static void growth(List<Figures> all) {
    Figures base = all.get(0);
    System.out.printf("growth against %,d containers (containers x, then each cost x):%n", base.containers());
    System.out.printf("  %8s %6s %10s %10s %10s %10s %10s %10s %10s%n", "count", "x", "apply", "ip apply", "plan", "dumps",
        "destroy", "ip destroy", "peak apply");
    for (Figures f : all) {
      System.out.printf("  %,8d %6.1f %10.1f %10.1f %10.1f %10.1f %10.1f %10.1f %10.1f%n", f.containers(),
          (double) f.containers() / base.containers(), f.apply().seconds() / base.apply().seconds(),
          f.peerApply() / base.peerApply(), f.noop().seconds() / base.noop().seconds(), f.floor() / base.floor(),
          f.destroy().seconds() / base.destroy().seconds(), f.peerDestroy() / base.peerDestroy(),
          (double) f.apply().peakKb() / base.apply().peakKb());
    }
  }

  /**
   * The same host with iproute2 in batch mode, in a fresh sandbox and a private /run/netns: one
   * {@code ip -batch} for the host (namespaces, bridges and their gateway addresses, veths with
   * their peers in the namespaces), one {@code ip -n NS -batch} per namespace (loopback and eth0
   * up, address, default route), and the firewall rules in one {@code iptables-restore}. Then torn
   * down: one {@code ip -batch} deleting the namespaces and bridges, and, as netform's destroy
   * does, waiting until the kernel has removed every veth from the host.
   */
  static final class IpBatch {
    /** Seconds to build, seconds to tear down. */
    static double[] buildAndDestroy(Path dir, int networks, int per) throws Exception {
      StringBuilder build = new StringBuilder();
      StringBuilder destroy = new StringBuilder();
      for (int n = 0; n < networks; n++) {
        build.append("link add nfb").append(n).append(" type bridge\nlink set nfb").append(n).append(" up\n");
        build.append("addr add 10.0.").append(n).append(".1/24 dev nfb").append(n).append('\n');
        destroy.append("link del nfb").append(n).append('\n');
      }
      Path inside = Files.createDirectories(dir.resolve("inside"));
      for (int n = 0; n < networks; n++) {
        for (int c = 0; c < per; c++) {
          String ns = "c" + n + "-" + c;
          build.append("netns add ").append(ns).append('\n');
          build.append("link add v").append(n).append('x').append(c).append(" type veth peer name eth0 netns ").append(ns)
              .append('\n');
          build.append("link set v").append(n).append('x').append(c).append(" master nfb").append(n).append(" up\n");
          Files.writeString(inside.resolve(ns), "link set lo up\nlink set eth0 up\naddr add 10.0." + n + "." + (c + 2)
              + "/24 dev eth0\nroute add default via 10.0." + n + ".1\n", StandardCharsets.US_ASCII);
          destroy.insert(0, "netns del " + ns + "\n");
        }
      }
      StringBuilder rules = new StringBuilder();
      for (String table : List.of("filter", "nat")) {
        rules.append('*').append(table).append('\n');
        for (String rule : ApplyBenchmark.ShellApply.firewallRules(networks)) {
          boolean nat = rule.startsWith("-t nat ");
          if (nat == table.equals("nat")) {
            String r = nat ? rule.substring("-t nat ".length()) : rule;
            rules.append(r.startsWith("-N ") ? ":" + r.substring(3) + " - [0:0]" : r).append('\n');
          }
        }
        rules.append("COMMIT\n");
      }
      Files.writeString(dir.resolve("build.batch"), build, StandardCharsets.US_ASCII);
      Files.writeString(dir.resolve("destroy.batch"), destroy, StandardCharsets.US_ASCII);
      Files.writeString(dir.resolve("rules"), rules, StandardCharsets.US_ASCII);
      String script = String.join("\n", "set -e", "mkdir -p /run/netns", "mount -t tmpfs netform-bench /run/netns",
          "t0=$(date +%s%N)",
          "sysctl -qw net.ipv4.ip_forward=1",
          "ip -batch " + dir.resolve("build.batch"),
          "for f in " + inside + "/*; do ip -n \"${f##*/}\" -batch \"$f\"; done",
          "iptables-restore --noflush < " + dir.resolve("rules"),
          "t1=$(date +%s%N)",
          "ip -batch " + dir.resolve("destroy.batch"),
          "while ip -o link show type veth | grep -q ': v[0-9]*x[0-9]*@'; do sleep 0.005; done",
          "t2=$(date +%s%N)",
          "echo \"times $t0 $t1 $t2\"", "");
      Path sh = Files.writeString(dir.resolve("peer.sh"), script, StandardCharsets.US_ASCII);
      try (Sandbox sandbox = Sandbox.create(Sandbox.DEFAULT_ROOT)) {
        Process p = sandbox.host().root().start(new ProcessBuilder("unshare", "--mount", "--propagation", "private", "sh",
            sh.toString()).redirectErrorStream(true));
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0 || !out.contains("times ")) {
          throw new IllegalStateException("ip -batch failed: " + out);
        }
        String[] t = out.substring(out.lastIndexOf("times ") + 6).trim().split(" ");
        long t0 = Long.parseLong(t[0]);
        long t1 = Long.parseLong(t[1]);
        long t2 = Long.parseLong(t[2]);
        return new double[] {(t1 - t0) / 1e9, (t2 - t1) / 1e9};
      } finally {
        try (var files = Files.list(inside)) {
          for (Path f : files.toList()) {
            Files.delete(f);
          }
        }
        Files.delete(inside);
      }
    }
  }
}
