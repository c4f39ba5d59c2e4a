package io.netform.bench;

import io.netform.converge.Converger;
import io.netform.converge.Goal;
import io.netform.converge.Outcome;
import io.netform.converge.Proposal;
import io.netform.desired.DesiredState;
import io.netform.kernel.observe.EventDrivenReads;
import io.netform.kernel.observe.HostObserver;
import io.netform.kernel.sandbox.Sandbox;
import io.netform.model.ObservedHost;
import io.netform.plan.Plan;
import io.netform.validate.DesiredStateCheck;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Issue 4's benchmark, in sandboxes: NETWORKS bridge networks x CONTAINERS containers each
 * (static addresses): cold apply, no-op plan and a one-container change, in-process; and the same
 * cold build by a shell script with one ip/iptables process per step, in the same run.
 *
 * <p>Each in-process figure is taken in a child JVM started with the options netform runs that
 * operation with: the launcher's for the one-shot commands (a fresh read of the host each time),
 * the systemd unit's for the agent's path (reads through the event-driven view).
 */
public final class ApplyBenchmark {

  private ApplyBenchmark() {}

  public static void main(String[] args) throws Exception {
    boolean child = args.length > 0 && !Character.isDigit(args[0].charAt(0));
    int at = child ? 1 : 0;
    int networks = args.length > at ? Integer.parseInt(args[at]) : 50;
    int perNetwork = args.length > at + 1 ? Integer.parseInt(args[at + 1]) : 20;
    if (child) {
      Map<String, Double> figures = args[0].equals("one-shot") ? oneShot(networks, perNetwork) : agentPath(networks, perNetwork);
      ChildJvm.print(figures);
      return;
    }
    System.out.printf("apply benchmark: %d networks x %d containers = %d attachments, %d cores%n", networks, perNetwork,
        networks * perNetwork, Runtime.getRuntime().availableProcessors());
    List<String> oneShotJvm = JvmOptions.oneShot();
    List<String> agentJvm = JvmOptions.agent();
    Map<String, Double> one = inChildJvm(oneShotJvm, Map.of(), "one-shot", networks, perNetwork);
    Map<String, Double> agent = inChildJvm(agentJvm, JvmOptions.agentEnvironment(), "agent", networks, perNetwork);
    double[] whole = WholeProcess.time(desired(networks, perNetwork, false), desired(networks, perNetwork, true));
    double shell = ShellApply.time(networks, perNetwork);
    double cold = one.get("cold");
    System.out.printf("cold apply: %.0f steps; one-container change: %.0f steps%n", one.get("steps"), one.get("changeSteps"));
    System.out.printf("in-process, one-shot commands (JVM options of ./netform: %s):%n", String.join(" ", oneShotJvm));
    System.out.printf("%-38s %8.3f s  (target <= 2 s)%n", "cold apply", cold);
    System.out.printf("%-38s %8.3f s  netform %5.1fx faster (target >= 10x)%n", "cold build, shell script (ip/iptables)",
        shell, shell / cold);
    System.out.printf("%-38s %8.1f ms (target <= 200 ms)%n", "no-op plan, median of 5", one.get("noop") * 1e3);
    System.out.printf("%-38s %8.1f ms (target <= 50 ms)%n", "one-container change", one.get("change") * 1e3);
    System.out.printf("%-38s %8.3f s  (%.0f steps)%n", "destroy (everything)", one.get("destroy"), one.get("destroySteps"));
    System.out.printf("in-process, the agent's path through the event-driven view (JVM options and environment of the systemd"
        + " unit: %s %s):%n", String.join(" ", agentJvm), JvmOptions.agentEnvironment());
    System.out.printf("%-38s %8.1f ms (target <= 200 ms)%n", "no-op plan, median of 5", agent.get("noop") * 1e3);
    System.out.printf("%-38s %8.1f ms (target <= 50 ms)%n", "one-container change, median of 10", agent.get("change") * 1e3);
    System.out.printf("%-38s %8.1f ms%n", "removing it again, median of 10", agent.get("removal") * 1e3);
    System.out.printf("%-38s %8.1f ms (target <= 50 ms)%n", "  the same after 200 polls", agent.get("settledChange") * 1e3);
    System.out.printf("%-38s %8.1f ms%n", "  removing it, after 200 polls", agent.get("settledRemoval") * 1e3);
    System.out.printf("whole process (./netform, JVM start included, with the launcher's class-data archive):%n");
    System.out.printf("%-38s %8.3f s  netform %5.1fx faster than the shell script%n", "cold apply", whole[0], shell / whole[0]);
    System.out.printf("%-38s %8.3f s%n", "no-op plan", whole[1]);
    System.out.printf("%-38s %8.3f s%n", "one-container change (apply)", whole[2]);
  }

  /** Runs one part of the benchmark in a child JVM with {@code options} and {@code env}; its figures come back on its last line. */
  private static Map<String, Double> inChildJvm(List<String> options, Map<String, String> env, String part, int networks,
      int perNetwork) throws Exception {
    return ChildJvm.run(options, env, ApplyBenchmark.class, List.of(part, Integer.toString(networks),
        Integer.toString(perNetwork)));
  }

  /**
   * As a one-shot {@code netform apply} and {@code plan} work, each reading the whole host
   * afresh: the cold apply (the first thing this JVM does), five no-op plans, one added container,
   * then everything destroyed.
   */
  private static Map<String, Double> oneShot(int networks, int perNetwork) {
    DesiredState desired = check(desired(networks, perNetwork, false));
    DesiredState grown = check(desired(networks, perNetwork, true));
    try (Sandbox sandbox = Sandbox.create(Sandbox.DEFAULT_ROOT)) {
      HostObserver observer = new HostObserver(sandbox.host());
      Converger converger = new Converger(sandbox.host());
      long t0 = System.nanoTime();
      Plan plan = converge(converger, desired);
      double cold = seconds(t0);
      double noop = medianNoop(desired, observer);
      long t1 = System.nanoTime();
      Plan one = converge(converger, grown);
      double change = seconds(t1);
      // netform destroy: every container and network removed
      DesiredState nothing = check("version: 1\n");
      long t2 = System.nanoTime();
      Plan destroy = converge(converger, nothing);
      double destroyed = seconds(t2);
      if (!plan(nothing, observer.observe()).isEmpty()) {
        throw new IllegalStateException("the destroy left something behind");
      }
      Map<String, Double> figures = new LinkedHashMap<>();
      figures.put("cold", cold);
      figures.put("noop", noop);
      figures.put("change", change);
      figures.put("steps", (double) plan.steps().size());
      figures.put("changeSteps", (double) one.steps().size());
      figures.put("destroy", destroyed);
      figures.put("destroySteps", (double) destroy.steps().size());
      return figures;
    }
  }

  /**
   * As the agent works, after a cold apply (not timed here): reads through the event-driven view.
   * The view is opened after the cold apply, as the agent's is before its first repair (its
   * socket would otherwise receive every event of the cold apply).
   */
  private static Map<String, Double> agentPath(int networks, int perNetwork) {
    DesiredState desired = check(desired(networks, perNetwork, false));
    DesiredState grown = check(desired(networks, perNetwork, true));
    try (Sandbox sandbox = Sandbox.create(Sandbox.DEFAULT_ROOT)) {
      converge(new Converger(sandbox.host()), desired);
      try (EventDrivenReads view = new EventDrivenReads(sandbox.host().root())) {
        HostObserver viewed = new HostObserver(sandbox.host(), view);
        Converger agent = new Converger(sandbox.host(), viewed);
        double noop = medianNoop(desired, viewed);
        Map<String, Double> figures = new LinkedHashMap<>();
        figures.put("noop", noop);
        // Soon after the agent started: 5 additions and 5 removals warm the JIT up, the next 10 of each count.
        double[] soon = toggles(agent, desired, grown, 5, 10);
        figures.put("change", soon[0]);
        figures.put("removal", soon[1]);
        // The agent reconciles at every poll (30 s by default) whether or not anything changed:
        // after 200 polls (100 minutes) its code is compiled as it will stay.
        for (int i = 0; i < 200; i++) {
          if (!plan(desired, viewed.observe()).isEmpty()) {
            throw new IllegalStateException("not converged");
          }
        }
        double[] settled = toggles(agent, desired, grown, 0, 10);
        figures.put("settledChange", settled[0]);
        figures.put("settledRemoval", settled[1]);
        return figures;
      }
    }
  }

  /**
   * One container added and removed again, {@code warmUp + counted} times each, through the view;
   * the medians of the counted additions and removals (a removal waits for the kernel to
   * unregister the veth).
   */
  private static double[] toggles(Converger agent, DesiredState without, DesiredState with, int warmUp, int counted) {
    double[] additions = new double[counted];
    double[] removals = new double[counted];
    int[] stepsOf = {-1, -1}; // of an addition, of a removal: every toggle must be the same change
    for (int i = 0; i < 2 * (warmUp + counted); i++) {
      boolean removal = i % 2 == 1;
      long t = System.nanoTime();
      Plan p = converge(agent, removal ? without : with);
      if (i >= 2 * warmUp) {
        (removal ? removals : additions)[(i - 2 * warmUp) / 2] = seconds(t);
      }
      int kind = removal ? 1 : 0;
      if (stepsOf[kind] < 0) {
        stepsOf[kind] = p.steps().size();
      }
      if (p.steps().isEmpty() || p.steps().size() != stepsOf[kind]) {
        throw new IllegalStateException("expected the same one-container change each time (" + stepsOf[kind]
            + " steps), got " + p.steps().size() + " steps");
      }
    }
    return new double[] {median(additions), median(removals)};
  }

  static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  /** The same three operations by the netform command in child processes, in a fresh sandbox. */
  static final class WholeProcess {
    /**
     * Through the launcher, as a user runs netform. Its class-data archive is made first by a
     * {@code plan --empty-host} of the same file (the launcher records the classes of its first
     * run after a build), so that making it is not timed.
     */
    static double[] time(String yaml, String grownYaml) throws Exception {
      Path dir = Files.createTempDirectory("netform-bench-whole");
      Path desired = Files.writeString(dir.resolve("desired.yaml"), yaml);
      Path grown = Files.writeString(dir.resolve("grown.yaml"), grownYaml);
      try (Sandbox sandbox = Sandbox.create(Sandbox.DEFAULT_ROOT)) {
        NetformProcess netform = new NetformProcess(sandbox, dir);
        netform.warmUp(desired);
        double cold = netform.run(0, "apply", "--auto-approve", desired.toString()).seconds();
        double noop = netform.run(0, "plan", "--detailed-exitcode", desired.toString()).seconds();
        double change = netform.run(0, "apply", "--auto-approve", grown.toString()).seconds();
        return new double[] {cold, noop, change};
      } finally {
        Files.deleteIfExists(dir.resolve("time"));
        Files.delete(desired);
        Files.delete(grown);
        Files.delete(dir);
      }
    }
  }

  /** Median of five plans that must come out empty. */
  static double medianNoop(DesiredState desired, HostObserver observer) {
    double[] noops = new double[5];
    for (int i = 0; i < noops.length; i++) {
      long t = System.nanoTime();
      Plan p = plan(desired, observer.observe());
      noops[i] = seconds(t);
      if (!p.isEmpty()) {
        throw new IllegalStateException("not converged: " + p.changes().size() + " changes");
      }
    }
    return median(noops);
  }

  /** A plan the way every command makes it (Proposal: target, plan, host conflicts). */
  static Plan plan(DesiredState desired, ObservedHost observed) {
    return Proposal.against(observed, Goal.of(desired)).plan();
  }

  /**
   * The desired state applied the way every command and the agent apply it (the Converger:
   * observe, plan, execute, observe again and verify); returns the plan it ran.
   */
  static Plan converge(Converger converger, DesiredState desired) {
    Goal goal = Goal.of(desired);
    Proposal proposal = converger.propose(goal);
    if (proposal.isBlocked()) {
      throw new IllegalStateException("blocked: " + proposal.plan().conflicts() + " " + proposal.errors());
    }
    if (!proposal.plan().isEmpty()) {
      Outcome outcome = converger.apply(proposal, goal, done -> { });
      if (!outcome.converged()) {
        throw new IllegalStateException("not converged: " + outcome.unconverged() + " " + outcome.failure());
      }
    }
    return proposal.plan();
  }

  static DesiredState check(String yaml) {
    DesiredStateCheck.Checked c = DesiredStateCheck.runText("bench.yaml", yaml);
    if (!c.valid()) {
      throw new IllegalStateException(c.diagnostics().toString());
    }
    return c.state();
  }

  /** NETWORKS bridges (10.0.N.0/24) with PER static-address containers each; {@code plusOne} adds one more container. */
  static String desired(int networks, int per, boolean plusOne) {
    StringBuilder sb = new StringBuilder("version: 1\nnetworks:\n");
    for (int n = 0; n < networks; n++) {
      sb.append("  net").append(n).append(": {bridge_name: nfb").append(n).append(", ipam: {config: [{subnet: 10.0.")
          .append(n).append(".0/24}]}}\n");
    }
    sb.append("containers:\n");
    for (int n = 0; n < networks; n++) {
      for (int c = 0; c < per; c++) {
        sb.append("  c").append(n).append('-').append(c).append(": {networks: {net").append(n)
            .append(": {ipv4_address: 10.0.").append(n).append('.').append(c + 2).append("}}}\n");
      }
    }
    if (plusOne) {
      sb.append("  extra: {networks: {net0: {ipv4_address: 10.0.0.250}}}\n");
    }
    return sb.toString();
  }

  static double seconds(long t0) {
    return (System.nanoTime() - t0) / 1e9;
  }

  /** The same host built by a shell script, one ip or iptables process per step, in its own sandbox. */
  static final class ShellApply {
    static double time(int networks, int per) throws Exception {
      StringBuilder sh = new StringBuilder("set -e\nmkdir -p /run/netns\nmount -t tmpfs netform-bench /run/netns\n");
      sh.append("sysctl -qw net.ipv4.ip_forward=1\n");
      for (String rule : firewallRules(networks)) {
        sh.append("iptables ").append(rule).append('\n');
      }
      for (int n = 0; n < networks; n++) {
        String br = "nfb" + n;
        String s = "10.0." + n;
        sh.append("ip link add ").append(br).append(" type bridge\nip link set ").append(br).append(" up\n");
        sh.append("ip addr add ").append(s).append(".1/24 dev ").append(br).append('\n');
        for (int c = 0; c < per; c++) {
          String ns = "c" + n + "-" + c;
          String v = "v" + n + "x" + c;
          sh.append("ip netns add ").append(ns).append('\n');
          sh.append(ipv6Off(ns));
          sh.append("ip -n ").append(ns).append(" link set lo up\n");
          sh.append("ip link add ").append(v).append(" type veth peer name eth0 netns ").append(ns).append('\n');
          sh.append("ip link set ").append(v).append(" master ").append(br).append(" up\n");
          sh.append("ip -n ").append(ns).append(" link set eth0 up\n");
          sh.append("ip -n ").append(ns).append(" addr add ").append(s).append('.').append(c + 2).append("/24 dev eth0\n");
          sh.append("ip -n ").append(ns).append(" route add default via ").append(s).append(".1\n");
        }
      }
      return run(sh);
    }

    /**
     * Interfaces made in namespace {@code ns} from now on start with IPv6 off, as netform's (and
     * Docker's, on an IPv4-only network) do: one process, before the namespace's first interface.
     */
    static String ipv6Off(String ns) {
      return "ip netns exec " + ns + " sysctl -qw net.ipv6.conf.default.disable_ipv6=1\n";
    }

    /** Runs {@code sh} in a fresh sandbox with its own /run/netns; returns its wall time in seconds. */
    static double run(CharSequence sh) throws Exception {
      Path script = Files.createTempFile("netform-bench-shell", ".sh");
      Files.writeString(script, sh, StandardCharsets.US_ASCII);
      try (Sandbox sandbox = Sandbox.create(Sandbox.DEFAULT_ROOT)) {
        long t0 = System.nanoTime();
        Process p = sandbox.host().root().start(new ProcessBuilder("unshare", "--mount", "--propagation", "private", "sh",
            script.toString()).redirectErrorStream(true));
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
          throw new IllegalStateException("shell apply failed: " + out);
        }
        return seconds(t0);
      } finally {
        Files.delete(script);
      }
    }

    /**
     * The forwarding, isolation and masquerade rules netform makes for NETWORKS bridge networks,
     * as iptables arguments ({@code -t nat} first where they belong to that table).
     */
    static List<String> firewallRules(int networks) {
      List<String> rules = new ArrayList<>();
      for (String chain : new String[] {"NETFORM-FORWARD", "NETFORM-ISOLATION-1", "NETFORM-ISOLATION-2"}) {
        rules.add("-N " + chain);
      }
      rules.addAll(List.of("-t nat -N NETFORM-POSTROUTING", "-I FORWARD -j NETFORM-FORWARD",
          "-A NETFORM-FORWARD -j NETFORM-ISOLATION-1", "-t nat -I POSTROUTING -j NETFORM-POSTROUTING"));
      for (int n = 0; n < networks; n++) {
        String br = "nfb" + n;
        rules.add("-A NETFORM-FORWARD -o " + br + " -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT");
        rules.add("-A NETFORM-FORWARD -i " + br + " -o " + br + " -j ACCEPT");
        rules.add("-A NETFORM-FORWARD -i " + br + " ! -o " + br + " -j ACCEPT");
        rules.add("-A NETFORM-ISOLATION-1 -i " + br + " ! -o " + br + " -j NETFORM-ISOLATION-2");
        rules.add("-A NETFORM-ISOLATION-2 -o " + br + " -j DROP");
        rules.add("-t nat -A NETFORM-POSTROUTING -s 10.0." + n + ".0/24 ! -o " + br + " -j MASQUERADE");
      }
      return rules;
    }
  }
}
