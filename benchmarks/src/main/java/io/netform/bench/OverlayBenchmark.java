package io.netform.bench;

import io.netform.agent.Agent;
import io.netform.agent.Reconciler;
import io.netform.agent.git.GitSource;
import io.netform.converge.Converger;
import io.netform.converge.Goal;
import io.netform.converge.Outcome;
import io.netform.converge.Proposal;
import io.netform.desired.DesiredState;
import io.netform.fleet.LocalState;
import io.netform.kernel.KernelHost;
import io.netform.kernel.netns.NetnsHandle;
import io.netform.kernel.netlink.Nl;
import io.netform.kernel.sandbox.Sandbox;
import io.netform.kernel.sandbox.SandboxFleet;
import io.netform.net.IpAddress;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jgit.api.Git;

/**
 * Issue 11's benchmark: two sandbox hosts on one LAN, NETWORKS overlay networks with PER
 * containers on each host on each: the cold apply of each host's share (in-process, as the
 * Converger does it), against a shell script doing docker2's same wiring with one ip or bridge
 * process per step; then agents on both hosts following one repository, and the time from a
 * commit adding one container on docker3 until docker2 has its entries and TCP reaches it.
 * {@code bench/run overlay [NETWORKS [PER [POLL_MS [cold|agent]]]]}: {@code cold} runs the cold applies alone, {@code agent} the agents' part alone.
 * Each part runs in a JVM of its own with the options the product runs with: the cold applies with
 * the launcher's ({@code ./netform apply}), the agents with the systemd unit's.
 */
public final class OverlayBenchmark {

  static final String A = "docker2";
  static final String B = "docker3";
  static final IpAddress A_ADDRESS = IpAddress.parse("10.10.10.102");
  static final IpAddress B_ADDRESS = IpAddress.parse("10.10.10.103");
  static final int PORT = 7300;

  private OverlayBenchmark() {}

  public static void main(String[] args) throws Exception {
    List<String> words = java.util.Arrays.asList(args);
    List<String> numbers = words.stream().filter(w -> Character.isDigit(w.charAt(0))).toList();
    int networks = numbers.size() > 0 ? Integer.parseInt(numbers.get(0)) : 10;
    int per = numbers.size() > 1 ? Integer.parseInt(numbers.get(1)) : 100;
    Duration poll = Duration.ofMillis(numbers.size() > 2 ? Long.parseLong(numbers.get(2)) : 1000);
    if (words.contains("child-cold")) { // in a JVM with the launcher's options: the cold applies
      Map<String, double[]> cold = coldApplies(networks, per);
      Map<String, Double> out = new LinkedHashMap<>();
      for (String host : List.of(A, B)) {
        double[] c = cold.get(host);
        out.put(host, c[0]);
        out.put(host + "-steps", c[1]);
        for (int i = 0; i < PHASES.size(); i++) {
          out.put(host + "-" + PHASES.get(i), c[2 + i]);
        }
      }
      ChildJvm.print(out);
      return;
    }
    if (words.contains("child-agent")) { // in a JVM with the agent unit's options: the agents' part
      double[] agent = agentPickUp(networks, per, poll);
      ChildJvm.print(Map.of("entries", agent[0], "tcp", agent[1]));
      return;
    }
    System.out.printf("overlay benchmark: 2 hosts, %d overlay networks x %d containers on each host = %d attachments, "
        + "%d cores%n", networks, per, 2 * networks * per, Runtime.getRuntime().availableProcessors());
    List<String> sizes = List.of(Integer.toString(networks), Integer.toString(per), Long.toString(poll.toMillis()));
    boolean agentOnly = words.contains("agent");
    Map<String, Double> cold = agentOnly ? null : ChildJvm.run(JvmOptions.oneShot(), Map.of(), OverlayBenchmark.class,
        prepend("child-cold", sizes));
    if (cold != null) {
      System.out.printf("cold applies in one JVM with the options of ./netform: %s%n", String.join(" ", JvmOptions.oneShot()));
      for (String host : List.of(A, B)) {
        System.out.printf("%-44s %8.3f s  (%.0f steps; target <= 2 s)%n", "cold apply of " + host + "'s share", cold.get(host),
            cold.get(host + "-steps"));
        System.out.printf("  of which: %s%n", String.join(", ", PHASES.stream().filter(PHASE_NAMES::containsKey)
            .map(ph -> String.format("%s %.3f s", PHASE_NAMES.get(ph), cold.get(host + "-" + ph))).toList()));
        System.out.printf("  while the kernel requests ran, this JVM's threads used %.2f s of user CPU and %.2f s of system "
            + "CPU (the kernel's own workers not counted)%n", cold.get(host + "-kernel-user"), cold.get(host + "-kernel-system"));
      }
    }
    if (words.contains("cold")) {
      return;
    }
    if (!agentOnly) {
      double shell = ApplyBenchmark.ShellApply.run(shellScript(networks, per));
      System.out.printf("%-44s %8.3f s  netform %5.1fx faster (target >= 10x)%n",
          "docker2's wiring, shell script (ip/bridge)", shell, shell / cold.get(A));
    }
    List<String> agentJvm = twoAgentsJvm(JvmOptions.agent());
    Map<String, Double> agent = ChildJvm.run(agentJvm, JvmOptions.agentEnvironment(), OverlayBenchmark.class,
        prepend("child-agent", sizes));
    System.out.printf("both agents in one JVM with the agent unit's options, heap doubled for two hosts: %s%n",
        String.join(" ", agentJvm));
    System.out.printf("%-44s %8.3f s  (target <= poll %.1f s + 1 s)%n", "commit on docker3 -> docker2 has the entries",
        agent.get("entries"), poll.toMillis() / 1e3);
    System.out.printf("%-44s %8.3f s  (target <= poll %.1f s + 1 s)%n", "commit on docker3 -> TCP across works", agent.get("tcp"),
        poll.toMillis() / 1e3);
  }

  /** The unit's options for one agent, with its heap bounds doubled: this JVM holds two hosts' agents. */
  static List<String> twoAgentsJvm(List<String> unit) {
    return unit.stream().map(o -> {
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("(-Xm[sx])(\\d+)([mMgG])").matcher(o);
      return m.matches() ? m.group(1) + (2 * Integer.parseInt(m.group(2))) + m.group(3) : o;
    }).toList();
  }

  private static List<String> prepend(String first, List<String> rest) {
    List<String> all = new java.util.ArrayList<>(List.of(first));
    all.addAll(rest);
    return all;
  }

  /** Each host's share applied cold, one after the other, in two sandbox hosts on one LAN; then TCP across is checked. */
  static Map<String, double[]> coldApplies(int networks, int per) {
    DesiredState fleet = ApplyBenchmark.check(desired(networks, per, false));
    Map<String, double[]> cold = new LinkedHashMap<>();
    try (SandboxFleet hosts = SandboxFleet.create(Sandbox.DEFAULT_ROOT, addresses())) {
      for (String host : addresses().keySet()) {
        cold.put(host, timedColdApply(new Converger(hosts.host(host).host()), LocalState.forHost(fleet, host)));
      }
      try (ServerSocket b0 = listen(hosts.host(B).host(), "n0-b0")) {
        if (!connects(hosts.host(A).host(), "n0-a0", address(0, per), 3000)) {
          throw new IllegalStateException("n0-a0 on docker2 does not reach n0-b0 on docker3");
        }
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
    return cold;
  }

  static Map<String, IpAddress> addresses() {
    Map<String, IpAddress> a = new LinkedHashMap<>();
    a.put(A, A_ADDRESS);
    a.put(B, B_ADDRESS);
    return a;
  }

  /**
   * NETWORKS overlay networks 10.100.N.0/24, PER containers on each host on each, docker2's
   * declared first (so they get .2 upwards, docker3's the next ones); {@code plusOne} adds
   * {@code extra} on docker3 on the first network.
   */
  static String desired(int networks, int per, boolean plusOne) {
    StringBuilder sb = new StringBuilder("version: 1\nhosts:\n  " + A + ": {address: " + A_ADDRESS + "}\n  " + B
        + ": {address: " + B_ADDRESS + "}\nnetworks:\n");
    for (int n = 0; n < networks; n++) {
      sb.append("  ov").append(n).append(": {driver: overlay, ipam: {config: [{subnet: 10.100.").append(n).append(".0/24}]}}\n");
    }
    sb.append("containers:\n");
    for (int n = 0; n < networks; n++) {
      for (String side : new String[] {"a", "b"}) {
        for (int c = 0; c < per; c++) {
          sb.append("  n").append(n).append('-').append(side).append(c).append(": {host: ")
              .append(side.equals("a") ? A : B).append(", networks: [ov").append(n).append("]}\n");
        }
      }
    }
    if (plusOne) {
      sb.append("  extra: {host: ").append(B).append(", networks: [ov0]}\n");
    }
    return sb.toString();
  }

  /** The address of the {@code index}-th container declared on network 0 (gateway .1). */
  static String address(int network, int index) {
    return "10.100." + network + "." + (index + 2);
  }

  /** The parts of a cold apply, timed apart, then the CPU of the kernel requests: {@link #timedColdApply}. */
  static final List<String> PHASES = List.of("plan", "kernel", "names", "firewall", "verify", "kernel-user", "kernel-system");
  static final Map<String, String> PHASE_NAMES = Map.of("plan", "observe and plan", "kernel", "kernel requests",
      "names", "name files", "firewall", "firewall and bridge settings", "verify", "observe again and verify");

  /**
   * A cold apply as {@link #converge} makes it, with its parts timed from the executor's progress:
   * total seconds, steps, then the seconds of each of {@link #PHASES}. The executor reports the
   * kernel's steps, then the name files, then the firewall's (each group once it is done); what
   * follows the last report is the verification. So the kernel's own share is measured in the
   * same run as the whole.
   */
  static double[] timedColdApply(Converger converger, LocalState share) {
    long t0 = System.nanoTime();
    Goal goal = Goal.of(share);
    Proposal proposal = converger.propose(goal);
    if (proposal.isBlocked()) {
      throw new IllegalStateException("blocked: " + proposal.plan().conflicts() + " " + proposal.errors());
    }
    long planned = System.nanoTime();
    List<io.netform.plan.Step> steps = proposal.plan().steps();
    long names = steps.stream().filter(st -> st.object() instanceof io.netform.model.NameFileObject).count();
    long firewall = steps.stream().filter(st -> st.object() instanceof io.netform.model.FirewallRule
        || st.object() instanceof io.netform.model.FirewallChain).count();
    long kernelSteps = steps.size() - names - firewall;
    long[] at = new long[3]; // when the kernel's steps, the name files and the firewall were reported done
    long[] cpu = new long[2]; // this JVM's user and system CPU (clock ticks) while the kernel's steps ran
    long[] cpuBefore = processCpuTicks();
    Outcome outcome = converger.apply(proposal, goal, done -> {
      long now = System.nanoTime();
      if (done == kernelSteps) {
        at[0] = now;
        long[] c = processCpuTicks();
        cpu[0] = c[0] - cpuBefore[0];
        cpu[1] = c[1] - cpuBefore[1];
      }
      if (done == kernelSteps + names) {
        at[1] = now;
      }
      at[2] = now;
    });
    long end = System.nanoTime();
    if (!outcome.converged()) {
      throw new IllegalStateException("not converged: " + outcome.unconverged() + " " + outcome.failure());
    }
    return new double[] {(end - t0) / 1e9, steps.size(), (planned - t0) / 1e9, (at[0] - planned) / 1e9,
        (at[1] - at[0]) / 1e9, (at[2] - at[1]) / 1e9, (end - at[2]) / 1e9, cpu[0] / 100.0, cpu[1] / 100.0};
  }

  /**
   * This process's user and system CPU so far, in clock ticks (1/100 s): fields 14 and 15 of
   * /proc/self/stat. The kernel's own workers (linkwatch, IPv6 address setup) are not counted.
   */
  static long[] processCpuTicks() {
    try {
      String stat = Files.readString(Path.of("/proc/self/stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" "); // fields from the 3rd on
      return new long[] {Long.parseLong(f[11]), Long.parseLong(f[12])};
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /**
   * Agents on both hosts (in this JVM) following one repository, polling every {@code poll}; once
   * both hold the first commit, one container is committed for docker3: the seconds until
   * docker2 holds its forwarding entry, and until a TCP connection from docker2 reaches it.
   */
  static double[] agentPickUp(int networks, int per, Duration poll) throws Exception {
    Path repo = Files.createTempDirectory("netform-bench-overlay-repo");
    try (SandboxFleet hosts = SandboxFleet.create(Sandbox.DEFAULT_ROOT, addresses());
         Git git = Git.init().setInitialBranch("main").setDirectory(repo.toFile()).call()) {
      commit(git, repo, desired(networks, per, false));
      Map<String, Reconciler> reconcilers = new LinkedHashMap<>();
      Map<String, Agent> agents = new LinkedHashMap<>();
      try {
        for (String host : addresses().keySet()) {
          KernelHost k = hosts.host(host).host();
          Reconciler r = new Reconciler(new GitSource(repo.toString(), "main", k.stateDir().resolve("source")), ".", k);
          r.goals(state -> Goal.of(LocalState.forHost(state, host)));
          reconcilers.put(host, r);
          agents.put(host, Agent.start(r, poll, Duration.ofMinutes(5), Optional.empty()));
        }
        String first = git.log().call().iterator().next().getName();
        waitFor(Duration.ofMinutes(3), () -> reconcilers.values().stream()
            .allMatch(r -> r.status().appliedCommit().equals(Optional.of(first))), "both agents apply the first commit");
        // Steady state, as a fleet runs: each agent has also made a no-op reconcile since.
        Map<String, Long> applied = new LinkedHashMap<>();
        reconcilers.forEach((host, r) -> applied.put(host, r.status().reconciles()));
        waitFor(Duration.ofMinutes(3), () -> reconcilers.entrySet().stream().allMatch(e -> e.getValue().status().reconciles()
            >= applied.get(e.getKey()) + 2 && e.getValue().status().healthy()), "both agents reconcile in steady state");
        String extra = "10.100.0." + (2 * per + 2);
        String mac = "02:42:0a:64:00:" + String.format("%02x", 2 * per + 2);
        KernelHost a = hosts.host(A).host();
        KernelHost b = hosts.host(B).host();
        long t0 = System.nanoTime();
        commit(git, repo, desired(networks, per, true));
        double entries = -1;
        double tcp = -1;
        ServerSocket listener = null;
        try {
          while (tcp < 0 && ApplyBenchmark.seconds(t0) < 60) {
            if (entries < 0 && hasFdb(a, mac)) {
              entries = ApplyBenchmark.seconds(t0);
            }
            if (listener == null && Files.exists(b.namespaces().path("extra"))) {
              listener = listen(b, "extra");
            }
            if (listener != null && entries >= 0 && connects(a, "n0-a0", extra, 200)) {
              tcp = ApplyBenchmark.seconds(t0);
            }
            Thread.sleep(20);
          }
        } finally {
          if (listener != null) {
            listener.close();
          }
        }
        if (tcp < 0) {
          throw new IllegalStateException("docker2 did not reach extra on docker3 within a minute: "
              + reconcilers.get(A).status() + " / " + reconcilers.get(B).status());
        }
        return new double[] {entries, tcp};
      } finally {
        for (Agent agent : agents.values()) {
          agent.close();
        }
      }
    } finally {
      try (var walk = Files.walk(repo)) {
        walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /**
   * Whether ov0's VXLAN device on {@code host} forwards {@code mac}: one dump of that namespace's
   * forwarding table, so that watching costs the agents next to nothing (a whole observation of
   * the host every 20 ms would compete with them for the cores).
   */
  private static boolean hasFdb(KernelHost host, String mac) {
    Path ns = host.namespaces().path("overlay+ov0");
    try (NetnsHandle h = NetnsHandle.open("overlay+ov0", ns)) {
      return h.rtnl().neighbours(Nl.AF_BRIDGE).stream().anyMatch(n -> n.lladdr().map(m -> m.toString().equals(mac)).orElse(false)
          && n.destination().isPresent());
    }
  }

  private static ServerSocket listen(KernelHost host, String container) {
    try (NetnsHandle h = NetnsHandle.open(container, host.namespaces().path(container))) {
      return h.call(() -> new ServerSocket(PORT));
    } catch (RuntimeException e) {
      return null; // its namespace is still being made: the next round
    }
  }

  private static boolean connects(KernelHost host, String container, String address, int timeoutMillis) {
    try (NetnsHandle h = NetnsHandle.open(container, host.namespaces().path(container))) {
      return h.call(() -> {
        try (Socket s = new Socket()) {
          s.connect(new InetSocketAddress(address, PORT), timeoutMillis);
          return true;
        } catch (IOException e) {
          return false;
        }
      });
    }
  }

  private static void commit(Git git, Path repo, String yaml) throws Exception {
    Files.writeString(repo.resolve("net.yaml"), yaml);
    git.add().addFilepattern(".").call();
    git.commit().setMessage("bench").setAuthor("bench", "bench@example.org").setCommitter("bench", "bench@example.org").call();
  }

  private static void waitFor(Duration limit, java.util.function.BooleanSupplier condition, String what) throws Exception {
    long end = System.nanoTime() + limit.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new IllegalStateException("timed out: " + what);
      }
      Thread.sleep(50);
    }
  }

  /**
   * docker2's share built by hand, one ip or bridge (or iptables) process per step: per overlay
   * network its namespace, br0 with the gateway, vxlan0 made in the host namespace and moved in;
   * per local container its namespace, eth0 on br0 (MTU 1450, Docker's MAC), eth1 on the gateway
   * bridge with the default route; per remote endpoint a forwarding and a neighbour entry; the
   * gateway bridge's and the VXLAN firewall rules.
   */
  static String shellScript(int networks, int per) {
    StringBuilder sh = new StringBuilder("set -e\nmkdir -p /run/netns\nmount -t tmpfs netform-bench /run/netns\n");
    sh.append("sysctl -qw net.ipv4.ip_forward=1\n");
    for (String rule : new String[] {"-N NETFORM-FORWARD", "-N NETFORM-VXLAN", "-t nat -N NETFORM-POSTROUTING",
        "-I FORWARD -j NETFORM-FORWARD", "-t nat -I POSTROUTING -j NETFORM-POSTROUTING",
        "-A NETFORM-FORWARD -o gwb -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT",
        "-A NETFORM-FORWARD -i gwb -o gwb -j DROP", "-A NETFORM-FORWARD -i gwb ! -o gwb -j ACCEPT",
        "-t nat -A NETFORM-POSTROUTING -s 172.17.0.0/16 ! -o gwb -j MASQUERADE",
        "-I INPUT -p udp -m udp --dport 4789 -j NETFORM-VXLAN", "-A NETFORM-VXLAN -s " + B_ADDRESS + "/32 -j ACCEPT",
        "-A NETFORM-VXLAN -j DROP"}) {
      sh.append("iptables ").append(rule).append('\n');
    }
    sh.append("ip link add gwb type bridge\nip link set gwb up\nip addr add 172.17.0.1/16 dev gwb\n");
    int gw = 2;
    for (int n = 0; n < networks; n++) {
      String ov = "ov" + n;
      sh.append("ip netns add ").append(ov).append('\n').append(ApplyBenchmark.ShellApply.ipv6Off(ov));
      sh.append("ip -n ").append(ov).append(" link set lo up\n");
      sh.append("ip -n ").append(ov).append(" link add br0 type bridge\nip -n ").append(ov).append(" link set br0 mtu 1450 up\n");
      sh.append("ip -n ").append(ov).append(" addr add 10.100.").append(n).append(".1/24 dev br0\n");
      sh.append("ip link add vx").append(n).append(" type vxlan id ").append(256 + n)
          .append(" dstport 4789 proxy nolearning\n");
      sh.append("ip link set vx").append(n).append(" netns ").append(ov).append('\n');
      sh.append("ip -n ").append(ov).append(" link set vx").append(n).append(" name vxlan0\n");
      sh.append("ip -n ").append(ov).append(" link set vxlan0 mtu 1450 master br0 up\n");
      for (int c = 0; c < per; c++) {
        String ns = "n" + n + "-a" + c;
        int host = c + 2;
        String mac = String.format("02:42:0a:64:%02x:%02x", n, host);
        sh.append("ip netns add ").append(ns).append('\n').append(ApplyBenchmark.ShellApply.ipv6Off(ns));
        sh.append("ip -n ").append(ns).append(" link set lo up\n");
        sh.append("ip -n ").append(ov).append(" link add p").append(c).append(" type veth peer name eth0 netns ").append(ns)
            .append('\n');
        sh.append("ip -n ").append(ov).append(" link set p").append(c).append(" mtu 1450 master br0 up\n");
        sh.append("ip -n ").append(ns).append(" link set eth0 address ").append(mac).append(" mtu 1450 up\n");
        sh.append("ip -n ").append(ns).append(" addr add 10.100.").append(n).append('.').append(host).append("/24 dev eth0\n");
        String g = "g" + n + "x" + c;
        sh.append("ip link add ").append(g).append(" type veth peer name eth1 netns ").append(ns).append('\n');
        sh.append("ip link set ").append(g).append(" master gwb up\n");
        sh.append("ip -n ").append(ns).append(" link set eth1 up\n");
        sh.append("ip -n ").append(ns).append(" addr add 172.17.").append(gw / 256).append('.').append(gw % 256)
            .append("/16 dev eth1\n");
        sh.append("ip -n ").append(ns).append(" route add default via 172.17.0.1\n");
        gw++;
      }
      for (int c = 0; c < per; c++) {
        int host = per + c + 2;
        String mac = String.format("02:42:0a:64:%02x:%02x", n, host);
        sh.append("bridge -n ").append(ov).append(" fdb add ").append(mac).append(" dev vxlan0 dst ").append(B_ADDRESS)
            .append(" self permanent\n");
        sh.append("ip -n ").append(ov).append(" neigh add 10.100.").append(n).append('.').append(host).append(" lladdr ")
            .append(mac).append(" dev vxlan0 nud permanent\n");
      }
    }
    return sh.toString();
  }
}
