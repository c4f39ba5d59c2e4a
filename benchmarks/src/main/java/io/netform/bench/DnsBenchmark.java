package io.netform.bench;

import io.netform.converge.Converger;
import io.netform.kernel.netlink.LinkInfo;
import io.netform.kernel.netlink.Rtnl;
import io.netform.kernel.netns.NetnsHandle;
import io.netform.kernel.sandbox.Sandbox;
import io.netform.net.IpAddress;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Issue 12's benchmark, in a sandbox: NETWORKS x CONTAINERS containers applied; {@code netform dns}
 * started as its systemd unit starts it; every container namespace asks for the names of its
 * network's containers at once (closed loop, WINDOW queries outstanding in all): answers per
 * second, latency percentiles, the server's resident memory. Then, in the same run, dnsmasq on
 * the sandbox's host answering the same names from a hosts file on every bridge's gateway address,
 * asked by the same load. Also: how long after an apply a new container is answered.
 */
public final class DnsBenchmark {

  private static final double WARM_UP_SECONDS = 3;
  private static final double SECONDS = 8;

  private DnsBenchmark() {}

  public static void main(String[] args) throws Exception {
    int networks = args.length > 0 ? Integer.parseInt(args[0]) : 50;
    int perNetwork = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    String jar = args.length > 2 ? args[2] : "reconciler/target/netform.jar";
    int[] windows = {8, 64};
    System.out.printf("dns benchmark: %d networks x %d containers = %d namespaces asking, %d cores%n", networks, perNetwork,
        networks * perNetwork, Runtime.getRuntime().availableProcessors());
    try (Sandbox sandbox = Sandbox.create(Sandbox.DEFAULT_ROOT)) {
      Converger converger = new Converger(sandbox.host());
      long t0 = System.nanoTime();
      ApplyBenchmark.converge(converger, ApplyBenchmark.check(ApplyBenchmark.desired(networks, perNetwork, false)));
      System.out.printf("applied in %.1f s%n", ApplyBenchmark.seconds(t0));
      List<String> results = new ArrayList<>();
      Path log = Files.createTempFile("netform-bench-dns", ".log");
      List<String> command = new ArrayList<>(List.of("java"));
      command.addAll(JvmOptions.dnsServer());
      command.addAll(List.of("-jar", jar, "dns", "--state-dir", sandbox.host().stateDir().toString(), "--netns-dir",
          sandbox.host().namespaces().dir().toString()));
      Process server = sandbox.host().root().start(new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(log.toFile()));
      try {
        List<DnsLoad.Client> clients = clients(sandbox, networks, perNetwork, n -> "127.0.0.11");
        if (!AgentProcess.waitFor(() -> answered(clients.get(0)) || !server.isAlive(), 60_000) || !server.isAlive()) {
          throw new IllegalStateException("netform dns does not answer: " + Files.readString(log));
        }
        System.out.printf("netform dns (JVM options of its systemd unit: %s)%n", String.join(" ", JvmOptions.dnsServer()));
        results.addAll(measure("netform dns", clients, windows));
        long rss = AgentProcess.status(server.pid(), "VmRSS");
        long peak = AgentProcess.status(server.pid(), "VmHWM");
        results.add(String.format("%-12s resident memory %d MB, peak %d MB   target <= 128 MB: %s", "netform dns", rss / 1024,
            peak / 1024, peak <= 128 * 1024 ? "meets" : "MISSES"));
        results.add(follow(sandbox, converger, networks, perNetwork));
        close(clients);
      } finally {
        server.destroy();
        server.waitFor(10, TimeUnit.SECONDS);
        Files.deleteIfExists(log);
      }
      results.addAll(dnsmasq(sandbox, networks, perNetwork, windows));
      System.out.println();
      results.forEach(System.out::println);
    }
  }

  /** The load at each window, after a warm-up; one line per window. */
  private static List<String> measure(String who, List<DnsLoad.Client> clients, int[] windows) throws IOException {
    DnsLoad.run(clients, windows[windows.length - 1], WARM_UP_SECONDS);
    List<String> out = new ArrayList<>();
    for (int window : windows) {
      DnsLoad.Result r = DnsLoad.run(clients, window, SECONDS);
      String line = String.format("%-12s window %3d: %8.0f answers/s  p50 %5d us  p99 %5d us  max %7d us  lost %d"
          + "   target >= 50,000/s, p99 <= 1 ms: %s", who, window, r.perSecond(), r.p50Micros(), r.p99Micros(),
          r.maxMicros(), r.lost(), r.perSecond() >= 50_000 && r.p99Micros() <= 1000 ? "meets" : "MISSES");
      System.out.println(line);
      out.add(line);
    }
    return out;
  }

  /** How long after an apply that adds a container its name is answered (the server follows the name records). */
  private static String follow(Sandbox sandbox, Converger converger, int networks, int perNetwork) throws Exception {
    ApplyBenchmark.converge(converger, ApplyBenchmark.check(ApplyBenchmark.desired(networks, perNetwork, true)));
    long applied = System.nanoTime();
    try (NetnsHandle ns = NetnsHandle.open("c0-0", sandbox.host().namespaces().path("c0-0"))) {
      DatagramChannel ch = ns.call(() -> DatagramChannel.open().connect(new InetSocketAddress("127.0.0.11", 53)));
      try (ch) {
        DnsLoad.Client client = new DnsLoad.Client(ch, List.of(query("extra")));
        if (!AgentProcess.waitFor(() -> answered(client), 10_000)) {
          return "a container applied: NOT answered within 10 s";
        }
      }
    }
    double ms = (System.nanoTime() - applied) / 1e6;
    return String.format("%-12s a container applied is answered %.0f ms after the apply   target <= 100 ms: %s",
        "netform dns", ms, ms <= 100 ? "meets" : "MISSES");
  }

  /** dnsmasq on the sandbox's host, on each bridge's gateway, serving every container's name from a hosts file. */
  private static List<String> dnsmasq(Sandbox sandbox, int networks, int perNetwork, int[] windows) throws Exception {
    Path hosts = Files.createTempFile("netform-bench-hosts", "");
    StringBuilder sb = new StringBuilder();
    List<String> gateways = new ArrayList<>();
    for (int n = 0; n < networks; n++) {
      gateways.add("10.0." + n + ".1");
      for (int c = 0; c < perNetwork; c++) {
        sb.append("10.0.").append(n).append('.').append(c + 2).append(" c").append(n).append('-').append(c).append('\n');
      }
    }
    Files.writeString(hosts, sb.toString());
    pinNeighbours(sandbox, networks, perNetwork);
    Path log = Files.createTempFile("netform-bench-dnsmasq", ".log");
    Process dnsmasq = sandbox.host().root().start(new ProcessBuilder("dnsmasq", "--keep-in-foreground", "--no-resolv",
        "--no-hosts", "--addn-hosts=" + hosts, "--bind-interfaces", "--listen-address=" + String.join(",", gateways),
        "--port=53", "--user=root", "--pid-file=", "--cache-size=10000", "--no-negcache", "--log-facility=" + log)
        .redirectErrorStream(true).redirectOutput(log.toFile()));
    List<String> out = new ArrayList<>();
    try {
      List<DnsLoad.Client> clients = clients(sandbox, networks, perNetwork, n -> "10.0." + n + ".1");
      if (!AgentProcess.waitFor(() -> answered(clients.get(0)) || !dnsmasq.isAlive(), 10_000) || !dnsmasq.isAlive()) {
        return List.of("dnsmasq: did not answer (" + Files.readString(log) + ")");
      }
      System.out.println("dnsmasq " + versionOf() + " (the peer: the same names from a hosts file)");
      out.addAll(measure("dnsmasq", clients, windows));
      out.add(String.format("%-12s resident memory %d MB, peak %d MB", "dnsmasq", AgentProcess.status(dnsmasq.pid(), "VmRSS") / 1024,
          AgentProcess.status(dnsmasq.pid(), "VmHWM") / 1024));
      close(clients);
    } finally {
      dnsmasq.destroy();
      dnsmasq.waitFor(10, TimeUnit.SECONDS);
      Files.deleteIfExists(hosts);
      System.out.println("dnsmasq's log: " + Files.readString(log).lines().limit(8).toList());
      Files.deleteIfExists(log);
    }
    return out;
  }

  /**
   * Permanent neighbour entries both ways between each container and its bridge's gateway. The
   * kernel's neighbour table is shared by every namespace, with room for 1,024 learned entries
   * (gc_thresh3, settable only from the machine's own namespace): 1,000 containers asking through
   * their bridges overflow it and most queries are lost. Permanent entries do not count, so dnsmasq
   * is measured, not the table (a real host raises the limit instead).
   */
  private static void pinNeighbours(Sandbox sandbox, int networks, int perNetwork) {
    Rtnl host = sandbox.host().root().rtnl();
    for (int n = 0; n < networks; n++) {
      LinkInfo bridge = host.link("nfb" + n).orElseThrow();
      Rtnl.Batch toContainers = host.batch();
      for (int c = 0; c < perNetwork; c++) {
        String name = "c" + n + "-" + c;
        try (NetnsHandle ns = NetnsHandle.open(name, sandbox.host().namespaces().path(name))) {
          Rtnl inside = ns.rtnl();
          LinkInfo eth0 = inside.link("eth0").orElseThrow();
          inside.run(inside.addNeighbour(inside.batch(), eth0.index(), IpAddress.parse("10.0." + n + ".1"),
              bridge.mac().orElseThrow()));
          toContainers = host.addNeighbour(toContainers, bridge.index(), IpAddress.parse("10.0." + n + "." + (c + 2)),
              eth0.mac().orElseThrow());
        }
      }
      host.run(toContainers);
    }
  }

  private static String versionOf() {
    try {
      Process p = new ProcessBuilder("dnsmasq", "--version").start();
      String first = new String(p.getInputStream().readAllBytes()).lines().findFirst().orElse("");
      p.waitFor();
      return first.replaceAll("^Dnsmasq version ", "").replaceAll("\\s+Copyright.*", "");
    } catch (IOException | InterruptedException e) {
      return "(version unknown)";
    }
  }

  /** One socket in each container's namespace, connected to {@code server} of its network, asking for its network's names. */
  private static List<DnsLoad.Client> clients(Sandbox sandbox, int networks, int perNetwork,
      java.util.function.IntFunction<String> server) throws Exception {
    List<DnsLoad.Client> out = new ArrayList<>();
    for (int n = 0; n < networks; n++) {
      String at = server.apply(n);
      for (int c = 0; c < perNetwork; c++) {
        String name = "c" + n + "-" + c;
        List<byte[]> queries = new ArrayList<>();
        for (int k = 1; k <= 4; k++) {
          queries.add(query("c" + n + "-" + (c + k) % perNetwork));
        }
        try (NetnsHandle ns = NetnsHandle.open(name, sandbox.host().namespaces().path(name))) {
          DatagramChannel ch = ns.call(() -> DatagramChannel.open().connect(new InetSocketAddress(at, 53)));
          out.add(new DnsLoad.Client(ch, queries));
        }
      }
    }
    return out;
  }

  private static byte[] query(String name) throws IOException {
    return Message.newQuery(Record.newRecord(Name.fromString(name + "."), Type.A, DClass.IN)).toWire();
  }

  /** Whether the client's first query gets an answer with an address (blocking, 200 ms). */
  private static boolean answered(DnsLoad.Client client) {
    try {
      DatagramChannel ch = client.channel();
      ch.configureBlocking(true);
      ch.write(ByteBuffer.wrap(client.queries().get(0)));
      ByteBuffer in = ByteBuffer.allocate(4096);
      int got = readWithTimeout(ch, in);
      return got > 0 && !new Message(java.util.Arrays.copyOf(in.array(), got)).getSection(Section.ANSWER).isEmpty();
    } catch (IOException e) {
      return false;
    }
  }

  /** A read of at most 200 ms (a channel's own reads ignore the socket timeout, so through a selector). */
  private static int readWithTimeout(DatagramChannel ch, ByteBuffer in) throws IOException {
    ch.configureBlocking(false);
    try (java.nio.channels.Selector s = java.nio.channels.Selector.open()) {
      ch.register(s, java.nio.channels.SelectionKey.OP_READ);
      if (s.select(200) == 0) {
        return 0;
      }
      return ch.read(in);
    }
  }

  private static void close(List<DnsLoad.Client> clients) throws IOException {
    for (DnsLoad.Client c : clients) {
      c.channel().close();
    }
  }
}
