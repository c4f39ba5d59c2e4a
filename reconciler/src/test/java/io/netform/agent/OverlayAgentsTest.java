package io.netform.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netform.agent.git.GitSource;
import io.netform.converge.Goal;
import io.netform.converge.Proposal;
import io.netform.fleet.HostChoice;
import io.netform.fleet.LocalState;
import io.netform.kernel.KernelHost;
import io.netform.kernel.KernelTest;
import io.netform.kernel.netns.NetnsHandle;
import io.netform.kernel.observe.HostObserver;
import io.netform.kernel.sandbox.SandboxFleet;
import io.netform.net.IpAddress;
import io.netform.testing.Conditions;
import io.netform.testing.Hosts;
import io.netform.testing.Traffic;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An agent on each of two sandbox hosts, both following one repository: each wires its own share,
 * and a container committed for one host becomes reachable from the other once both have polled.
 */
@KernelTest
class OverlayAgentsTest {

  static final String HOSTS = """
      version: 1
      hosts:
        docker2: {address: 10.10.10.102}
        docker3: {address: 192.168.50.101}
      networks:
        demo: {driver: overlay, ipam: {config: [{subnet: 10.0.9.0/24}]}}
      containers:
        web1: {host: docker2, networks: [demo]}
        web2: {host: docker3, networks: [demo]}
      """;
  static final String ADDED = HOSTS + "  web3: {host: docker3, networks: [demo]}\n";
  static final int PORT = 7200;

  SandboxFleet fleet;
  Path repo;
  Git git;
  final List<AutoCloseable> open = new ArrayList<>();

  @BeforeEach
  void setUp() throws Exception {
    Map<String, IpAddress> addresses = new LinkedHashMap<>();
    addresses.put("docker2", IpAddress.parse("10.10.10.102"));
    addresses.put("docker3", IpAddress.parse("192.168.50.101"));
    fleet = SandboxFleet.create(Files.createTempDirectory("netform-sandboxes"), addresses);
    repo = Files.createTempDirectory("overlay-repo");
    git = Git.init().setInitialBranch("main").setDirectory(repo.toFile()).call();
  }

  @AfterEach
  void tearDown() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) { // sockets and handles before the agents
      open.get(i).close();
    }
    git.close();
    fleet.close();
  }

  String commit(String content) throws Exception {
    Files.writeString(repo.resolve("net.yaml"), content);
    git.add().addFilepattern(".").call();
    return git.commit().setMessage("fleet").setAuthor("test", "test@example.org").setCommitter("test", "test@example.org")
        .call().getName();
  }

  /** An agent on {@code name}, polling every 200 ms, applying that host's share of each commit. */
  Reconciler agent(String name) throws Exception {
    KernelHost host = fleet.host(name).host();
    Reconciler r = new Reconciler(new GitSource(repo.toString(), "main", host.stateDir().resolve("source")), ".", host);
    r.goals(state -> Goal.of(LocalState.forHost(state, name)));
    Agent agent = Agent.start(r, Duration.ofMillis(200), Duration.ofMinutes(5), Optional.empty());
    open.add(agent::close);
    return r;
  }

  boolean applied(Reconciler r, String commit) {
    return r.status().appliedCommit().equals(Optional.of(commit));
  }

  boolean inSync(String host, String desired) {
    KernelHost kernel = fleet.host(host).host();
    return Proposal.against(new HostObserver(kernel).observe(), Goal.of(LocalState.forHost(Hosts.desired(desired), host)))
        .plan().isEmpty();
  }

  NetnsHandle ns(String host, String container) {
    NetnsHandle h = NetnsHandle.open(container, fleet.host(host).host().namespaces().path(container));
    open.add(h);
    return h;
  }

  @Test
  void aMachineThatIsNoneOfTheHostsIsReportedAndChangesNothing() throws Exception {
    commit(HOSTS);
    KernelHost host = fleet.host("docker2").host();
    Reconciler r = new Reconciler(new GitSource(repo.toString(), "main", host.stateDir().resolve("source")), ".", host);
    r.goals(state -> Goal.of(HostChoice.share(state, Optional.empty(), "build-42")));
    AgentStatus s = r.reconcile("test");
    assertEquals(AgentStatus.PLAN, s.failedStage(), s::toString);
    assertTrue(s.message().contains("this machine's hostname \"build-42\" is none of the declared hosts (docker2, docker3)"),
        s.message());
    assertEquals(0, s.changesApplied());
    assertTrue(new HostObserver(host).observe().owned().objects().isEmpty(), "nothing wired");
  }

  @Test
  void bothAgentsWireTheirShareAndAContainerCommittedForOneHostIsReachedFromTheOther() throws Exception {
    String first = commit(HOSTS);
    Reconciler docker2 = agent("docker2");
    Reconciler docker3 = agent("docker3");
    assertTrue(Conditions.within(Duration.ofSeconds(15), () -> applied(docker2, first) && applied(docker3, first)),
        () -> docker2.status() + " / " + docker3.status());
    open.add(ns("docker3", "web2").call(() -> new ServerSocket(PORT)));
    assertTrue(Traffic.connects(ns("docker2", "web1"), "10.0.9.3", PORT, 3000), "web1 on docker2 reaches web2 on docker3");
    assertTrue(inSync("docker2", HOSTS) && inSync("docker3", HOSTS));

    String second = commit(ADDED);
    assertTrue(Conditions.within(Duration.ofSeconds(15), () -> applied(docker2, second) && applied(docker3, second)),
        () -> docker2.status() + " / " + docker3.status());
    open.add(ns("docker3", "web3").call(() -> new ServerSocket(PORT)));
    assertTrue(Traffic.connects(ns("docker2", "web1"), "10.0.9.4", PORT, 3000),
        "docker2's agent installed the entries for web3, committed for docker3");
    assertTrue(inSync("docker2", ADDED) && inSync("docker3", ADDED));
  }
}
