package io.netform.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netform.agent.git.CommitSignatures;
import io.netform.agent.git.GitSource;
import io.netform.agent.git.TestSigning;
import io.netform.kernel.KernelHost;
import io.netform.kernel.KernelTest;
import io.netform.kernel.Namespaces;
import io.netform.kernel.firewall.IptablesBackend;
import io.netform.kernel.firewall.NftablesBackend;
import io.netform.kernel.firewall.ToolPath;
import io.netform.kernel.netlink.Rtnl;
import io.netform.kernel.netns.NamedNamespaces;
import io.netform.kernel.netns.NetnsHandle;
import io.netform.kernel.observe.HostObserver;
import io.netform.model.ObservedHost;
import io.netform.rollback.Checkpoint;
import io.netform.rollback.Checkpoints;
import io.netform.testing.Conditions;
import io.netform.testing.Hosts;
import io.netform.testing.RepoFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The agent's reconcile loop against a local Git repository and a test namespace as the host. */
@KernelTest
class ReconcilerTest {

  Namespaces ns;
  KernelHost host;
  Path repo;
  Git git;

  @BeforeEach
  void setUp() throws Exception {
    ns = new Namespaces();
    NetnsHandle root = ns.create("agent-host");
    host = new KernelHost(root, new NamedNamespaces(Files.createTempDirectory("agent-netns")),
        Files.createTempDirectory("agent-state"), new IptablesBackend(root));
    repo = Files.createTempDirectory("agent-repo");
    git = Git.init().setInitialBranch("main").setDirectory(repo.toFile()).call();
  }

  @AfterEach
  void tearDown() {
    git.close();
    new NamedNamespaces(host.namespaces().dir()).list().forEach(n -> host.namespaces().delete(n));
    host.namespaces().unmountDirectory();
    ns.close();
  }

  String commit(String file, String content, String message) throws Exception {
    Files.writeString(repo.resolve(file), content);
    return commitAll(message);
  }

  /** Commits the work tree as it is: new files, changes, and files deleted or renamed. */
  String commitAll(String message) throws Exception {
    git.add().addFilepattern(".").call();
    git.add().addFilepattern(".").setUpdate(true).call();
    return git.commit().setMessage(message).setAuthor("test", "test@example.org").setCommitter("test", "test@example.org")
        .call().getName();
  }

  Reconciler reconciler() {
    return reconcilerAt(".");
  }

  /** An agent reading the desired state at {@code path} in the repository (its --path). */
  Reconciler reconcilerAt(String path) {
    return new Reconciler(new GitSource(repo.toString(), "main", host.stateDir().resolve("source")), path, host);
  }

  boolean inSyncWith(String exampleText) {
    return Hosts.inSync(host, Hosts.desired(exampleText));
  }

  @Test
  void appliesCommitsKeepsTheLastGoodStateAndRepairsDrift() throws Exception {
    String good = Files.readString(RepoFiles.examples().resolve("09-tomcat-mysql-ports.yaml"));
    String first = commit("net.yaml", good, "tomcat and mysql");
    Reconciler r = reconciler();
    AgentStatus applied = r.reconcile("test");
    assertEquals(AgentStatus.APPLIED, applied.result(), applied.message());
    assertEquals(first, applied.appliedCommit().orElseThrow());
    assertTrue(inSyncWith(good));
    assertEquals(AgentStatus.OK, r.reconcile("again").result(), "nothing to do the second time");

    String bad = commit("net.yaml", Files.readString(RepoFiles.examples().resolve("invalid/subnet-overlap.yaml")), "oops");
    AgentStatus invalid = r.reconcile("test");
    assertEquals(AgentStatus.INVALID, invalid.result());
    assertEquals(bad, invalid.seenCommit().orElseThrow());
    assertEquals(first, invalid.appliedCommit().orElseThrow(), "the last good commit stays applied");
    assertTrue(invalid.message().contains("overlaps"), invalid.message());
    assertTrue(inSyncWith(good), "the host still holds the last good state");

    Rtnl rtnl = host.root().rtnl();
    rtnl.run(rtnl.deleteLinkByName(rtnl.batch(), "nf-ecb3c5cefc52")); // drift: the bridge deleted behind netform's back
    assertTrue(!inSyncWith(good));
    AgentStatus repaired = new Reconciler(new GitSource(repo.toString(), "main", host.stateDir().resolve("source")), ".",
        host).reconcile("resync after restart");
    assertEquals(AgentStatus.INVALID, repaired.result(), "the commit is still invalid");
    assertTrue(repaired.changesApplied() > applied.changesApplied(), "but drift was repaired");
    assertTrue(inSyncWith(good), "a restarted agent re-enforces the last good state");

    String fixed = commit("net.yaml", good.replace("10.20.0.0/16", "10.21.0.0/16").replace("10.20.0.1", "10.21.0.1"), "fix");
    AgentStatus third = r.reconcile("test");
    assertEquals(AgentStatus.APPLIED, third.result(), third.message());
    assertEquals(fixed, third.appliedCommit().orElseThrow());
  }

  /** The agent's log lines at ERROR while {@code body} runs. */
  static List<String> errorsLoggedDuring(org.junit.jupiter.api.function.Executable body) throws Throwable {
    ch.qos.logback.classic.Logger logger = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(Reconciler.class);
    ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> seen =
        new ch.qos.logback.core.read.ListAppender<>();
    seen.start();
    logger.addAppender(seen);
    try {
      body.execute();
    } finally {
      logger.detachAppender(seen);
    }
    return seen.list.stream().filter(e -> e.getLevel() == ch.qos.logback.classic.Level.ERROR)
        .map(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage).toList();
  }

  @Test
  void aCommitThatCannotBeLoadedIsRefusedLoggedOnceAndTheLastGoodStateStaysEnforced() throws Throwable {
    String good = Files.readString(RepoFiles.examples().resolve("09-tomcat-mysql-ports.yaml"));
    String first = commit("net.yaml", good, "tomcat and mysql");
    Reconciler r = reconciler();
    assertEquals(AgentStatus.APPLIED, r.reconcile("test").result());
    // A mapping where an address belongs: the loader once threw at every poll while status said in-sync.
    String bad = commit("net.yaml", good.replace("tomcat1:\n", "tomcat1:\n    networks:\n      myBridge:\n"
        + "        ipv4_address: {addr: 10.20.0.5}\n").replace("    networks: [myBridge]\n    ports: [\"8080:8080\"]",
        "    ports: [\"8080:8080\"]"), "a typo");
    Rtnl rtnl = host.root().rtnl();
    List<AgentStatus> polls = new java.util.ArrayList<>();
    List<String> errors = errorsLoggedDuring(() -> {
      polls.add(r.reconcile("poll"));
      rtnl.run(rtnl.deleteLinkByName(rtnl.batch(), "nf-ecb3c5cefc52")); // drift meanwhile
      polls.add(r.reconcile("poll"));
      polls.add(r.reconcile("poll"));
    });
    for (AgentStatus s : polls) {
      assertEquals(AgentStatus.INVALID, s.result(), s.message());
      assertEquals(bad, s.seenCommit().orElseThrow(), "status names the refused commit");
      assertEquals(first, s.appliedCommit().orElseThrow(), "and the one still enforced");
      assertEquals(AgentStatus.LOAD, s.failedStage());
      assertTrue(s.message().contains(bad), s.message());
    }
    assertTrue(inSyncWith(good), "drift was repaired meanwhile");
    assertEquals(1, errors.size(), "the same refusal is logged once, not at every poll: " + errors);
    assertTrue(AgentStatus.read(host.state()).orElseThrow().result().equals(AgentStatus.INVALID), "and written for status");
  }

  @Test
  void aPathMissingFromTheCommitIsSaidAsSuch() throws Exception {
    commit("net.yaml", Files.readString(RepoFiles.examples().resolve("07-none.yaml")), "none");
    Reconciler r = new Reconciler(new GitSource(repo.toString(), "main", host.state().checkout()), "hosts/web", host);
    AgentStatus s = r.reconcile("test");
    assertEquals(AgentStatus.INVALID, s.result());
    assertTrue(s.message().contains("the path \"hosts/web\" does not exist in commit"), s.message());
  }

  /**
   * An agent started with another --source keeps the host as the earlier source left it while the
   * new one's commit is refused, and says whose commit it keeps: not as if it were the new source's.
   */
  @Test
  void aRefusedCommitOfAnotherSourceSaysTheKeptCommitIsTheEarlierSources() throws Exception {
    String good = Files.readString(RepoFiles.examples().resolve("08-icc-off.yaml"));
    String first = commit("net.yaml", good, "icc off");
    assertEquals(AgentStatus.APPLIED, reconciler().reconcile("test").result());
    String bad = Files.readString(RepoFiles.examples().resolve("invalid/subnet-overlap.yaml"));
    AgentStatus same = reconciler().reconcile("restart");
    commit("net.yaml", bad, "oops");
    AgentStatus refusedHere = reconciler().reconcile("test");
    assertTrue(refusedHere.message().contains(" is invalid, keeping " + first + ": "), refusedHere.message());

    Path other = Files.createTempDirectory("agent-other-repo");
    try (Git otherGit = Git.init().setInitialBranch("main").setDirectory(other.toFile()).call()) {
      Files.writeString(other.resolve("net.yaml"), bad);
      otherGit.add().addFilepattern(".").call();
      otherGit.commit().setMessage("oops elsewhere").setAuthor("test", "test@example.org")
          .setCommitter("test", "test@example.org").call();
    }
    AgentStatus refused = new Reconciler(new GitSource(other.toString(), "main", host.state().checkout()), ".", host)
        .reconcile("another source");
    assertEquals(AgentStatus.INVALID, refused.result(), refused.message());
    assertTrue(refused.message().contains(" is invalid, keeping " + first + " (the last good commit of another source, "
        + repo + ", until a commit of this one is applied): "), refused.message());
    assertEquals(AgentStatus.OK, same.result());
    assertTrue(inSyncWith(good), "the earlier source's state is still enforced");
  }

  /** A reconcile that fails unexpectedly writes its failure: netform status must not keep telling the last good word. */
  @Test
  void aReconcileThatThrowsWritesItsFailure() throws Exception {
    commit("net.yaml", Files.readString(RepoFiles.examples().resolve("08-icc-off.yaml")), "icc off");
    Reconciler r = reconciler();
    assertEquals(AgentStatus.APPLIED, r.reconcile("test").result());
    // Keeping the next commit's copy fails: where its source record goes, a directory that cannot be removed.
    Files.delete(host.state().lastGoodSource());
    Files.createDirectories(host.state().lastGoodSource().resolve("in-the-way"));
    commit("net.yaml", Files.readString(RepoFiles.examples().resolve("03-test-net1-test-net2.yaml")), "another");
    AgentStatus failed = r.reconcile("poll");
    assertEquals(AgentStatus.FAILED, failed.result(), failed.message());
    assertEquals(Optional.of(failed), AgentStatus.read(host.state()), "written for netform status");
  }

  private static String twoNetworks() throws java.io.IOException {
    return Files.readString(RepoFiles.examples().resolve("03-test-net1-test-net2.yaml"));
  }

  /** A commit whose path holds no desired-state file is refused, never enforced as "remove everything". */
  @Test
  void aCommitThatLeavesNoDesiredStateFileIsInvalidAndTheHostKeepsItsState() throws Exception {
    String good = twoNetworks();
    Files.createDirectories(repo.resolve("net"));
    Files.writeString(repo.resolve("net/03.yaml"), good);
    String first = commitAll("two networks");
    Reconciler r = reconcilerAt("net");
    assertEquals(AgentStatus.APPLIED, r.reconcile("test").result());
    assertTrue(inSyncWith(good));

    Files.move(repo.resolve("net/03.yaml"), repo.resolve("net/03.yaml.bak"));
    String renamed = commitAll("the only file renamed");
    AgentStatus s = r.reconcile("test");
    assertEquals(AgentStatus.INVALID, s.result(), s.message());
    assertEquals(renamed, s.seenCommit().orElseThrow());
    assertEquals(first, s.appliedCommit().orElseThrow(), "the last good commit stays applied");
    assertTrue(s.message().contains("no .yaml or .yml files in this directory"), s.message());
    assertTrue(s.isError(), "netform status does not say fine");
    assertTrue(inSyncWith(good), "nothing was removed");
  }

  @Test
  void aPathThatIsALinkInTheRepositoryIsFollowedAndItsStateKept() throws Exception {
    String good = twoNetworks();
    Files.createDirectories(repo.resolve("hosts/web"));
    Files.writeString(repo.resolve("hosts/web/net.yaml"), good);
    Files.createSymbolicLink(repo.resolve("current"), Path.of("hosts/web"));
    String first = commitAll("web, through a link");
    AgentStatus applied = reconcilerAt("current").reconcile("test");
    assertEquals(AgentStatus.APPLIED, applied.result(), applied.message());
    assertTrue(inSyncWith(good));

    Files.delete(repo.resolve("hosts/web/net.yaml"));
    commitAll("emptied");
    Rtnl rtnl = host.root().rtnl();
    String bridge = rtnl.links().stream().filter(l -> l.kind().equals("bridge") && l.name().startsWith("nf-")).findFirst()
        .orElseThrow().name();
    rtnl.run(rtnl.deleteLinkByName(rtnl.batch(), bridge)); // drift only the kept copy can repair
    assertTrue(!inSyncWith(good));
    // a restarted agent: the last good state comes from the copy kept in the state directory
    AgentStatus s = reconcilerAt("current").reconcile("restart");
    assertEquals(AgentStatus.INVALID, s.result(), s.message());
    assertEquals(first, s.appliedCommit().orElseThrow());
    assertTrue(s.changesApplied() > applied.changesApplied(), "the drift was repaired from the kept copy");
    assertTrue(inSyncWith(good), "the kept copy holds the state read through the link");
  }

  @Test
  void aPathThatIsALinkOutOfTheRepositoryIsRefused() throws Exception {
    String good = twoNetworks();
    Path elsewhere = Files.createTempDirectory("agent-elsewhere");
    Files.writeString(elsewhere.resolve("net.yaml"), good);
    Files.createSymbolicLink(repo.resolve("current"), elsewhere);
    commitAll("a link out");
    AgentStatus s = reconcilerAt("current").reconcile("test");
    assertEquals(AgentStatus.INVALID, s.result(), s.message());
    assertTrue(s.message().contains("the path \"current\" leads out of the repository"), s.message());
    assertTrue(inSyncWith("version: 1\n"), "nothing applied");
  }

  @Test
  void aValidCommitTheHostCannotTakeIsAFailedReconcileAndTheLastGoodStateStays() throws Exception {
    String good = Files.readString(RepoFiles.examples().resolve("08-icc-off.yaml"));
    String first = commit("net.yaml", good, "icc off");
    Reconciler r = reconciler();
    assertEquals(AgentStatus.APPLIED, r.reconcile("test").result());
    Rtnl rtnl = host.root().rtnl();
    rtnl.run(rtnl.createBridge(rtnl.batch(), "taken0", 1500, java.util.Optional.empty(), java.util.Optional.empty(), false));
    String clash = commit("net.yaml", good.replaceFirst("networks:\n", "networks:\n  other:\n    bridge_name: taken0\n"),
        "a bridge name someone else uses");
    AgentStatus s = r.reconcile("test");
    assertEquals(AgentStatus.FAILED, s.result(), s.message());
    assertEquals(AgentStatus.PLAN, s.failedStage());
    assertEquals(clash, s.seenCommit().orElseThrow());
    assertEquals(first, s.appliedCommit().orElseThrow());
    assertTrue(s.message().contains("taken0"), s.message());
    assertTrue(inSyncWith(good), "the last good state is still what the host holds");
  }

  @Test
  void anUnreachableSourceChangesNothing() throws Exception {
    String good = Files.readString(RepoFiles.examples().resolve("08-icc-off.yaml"));
    commit("net.yaml", good, "icc off");
    Reconciler r = reconciler();
    assertEquals(AgentStatus.APPLIED, r.reconcile("test").result());
    git.close();
    Files.move(repo, repo.resolveSibling(repo.getFileName() + "-gone"));
    AgentStatus s = r.reconcile("test");
    assertEquals(AgentStatus.UNREACHABLE, s.result());
    assertTrue(inSyncWith(good), "nothing torn down");
    Files.move(repo.resolveSibling(repo.getFileName() + "-gone"), repo);
    git = Git.open(repo.toFile());
  }

  @Test
  void aBridgeDeletedBehindTheAgentsBackComesBackByItself() throws Exception {
    commit("net.yaml", Files.readString(RepoFiles.examples().resolve("09-tomcat-mysql-ports.yaml")), "ports");
    Reconciler r = reconciler();
    assertEquals(AgentStatus.APPLIED, r.reconcile("test").result());
    Rtnl rtnl = host.root().rtnl();
    try (io.netform.kernel.observe.EventDrivenReads view = new io.netform.kernel.observe.EventDrivenReads(host.root());
         DriftWatcher watcher = new DriftWatcher(host.root(), () -> r.repairDrift("netlink event"), 100)) {
      r.readThrough(view); // as the agent runs; the view and the watcher are subscribed once constructed
      long t0 = System.nanoTime();
      rtnl.run(rtnl.deleteLinkByName(rtnl.batch(), "nf-ecb3c5cefc52"));
      assertTrue(Conditions.within(Duration.ofSeconds(5), () -> rtnl.linkIndex("nf-ecb3c5cefc52").isPresent()),
          "the bridge was not repaired");
      System.out.printf("drift repair latency: %.0f ms%n", (System.nanoTime() - t0) / 1e6);
    }
  }

  @Test
  void flushedChainsAreBackAtOnceWhereNftablesAnnouncesIt() throws Exception {
    Process version = host.root().start(new ProcessBuilder("iptables", "-V"));
    boolean nft = new String(version.getInputStream().readAllBytes()).contains("nf_tables");
    version.waitFor();
    org.junit.jupiter.api.Assumptions.assumeTrue(nft, "iptables-legacy announces nothing: the resync test covers it");
    String good = Files.readString(RepoFiles.examples().resolve("08-icc-off.yaml"));
    commit("net.yaml", good, "icc off");
    Reconciler r = reconciler();
    assertEquals(AgentStatus.APPLIED, r.reconcile("test").result());
    try (DriftWatcher watcher = new DriftWatcher(host.root(), () -> r.repairDrift("netlink event"), 100)) {
      long changesBefore = r.status().changesApplied(); // the watcher is subscribed once constructed
      assertEquals(0, host.root().start(new ProcessBuilder("iptables", "-F", "NETFORM-FORWARD")).waitFor());
      long t0 = System.nanoTime();
      assertTrue(Conditions.within(Duration.ofSeconds(5), () -> r.status().changesApplied() > changesBefore),
          "the flush was not repaired without a resync");
      System.out.printf("firewall drift repair latency: %.0f ms%n", (System.nanoTime() - t0) / 1e6);
    }
    assertTrue(inSyncWith(good));
  }

  ConnectivityChecks checks(Reconciler r) {
    return new ConnectivityChecks(r, state -> Optional.empty(), io.netform.fleet.LocalState::of, Duration.ofMillis(500));
  }

  /** The agent checks the expectations of what it enforced: held, failed while a path is broken, held once repaired. */
  @Test
  void connectivityChecksFollowTheEnforcedStateAndTellABrokenPath() throws Exception {
    String icc = Files.readString(RepoFiles.examples().resolve("08-icc-off.yaml"));
    commit("net.yaml", icc.replace("expect:\n", "expect:\n  - {from: noicc-a, to: noicc-b, port: 7, reachable: true}\n"),
        "icc off, and a neighbour that must answer (it does not: ICC is off)");
    Reconciler r = reconciler();
    try (ConnectivityChecks checks = checks(r)) {
      assertEquals(Optional.empty(), checks.checkNow(), "nothing enforced yet: nothing checked");
      assertEquals(AgentStatus.APPLIED, r.reconcile("test").result());
      CheckResults failed = checks.checkNow().orElseThrow();
      assertEquals(List.of(2L, 1L), List.of(failed.checked(), failed.failed()), failed.lines().toString());
      assertTrue(failed.lines().stream().anyMatch(l -> l.startsWith("FAIL  noicc-a -> noicc-b:7  expected reachable, blocked")),
          failed.lines().toString());
      assertEquals(Optional.of(failed), CheckResults.read(host.state()), "written for netform status");
      commit("net.yaml", icc, "only what holds");
      assertTrue(r.reconcile("test").healthy()); // expectations are no kernel objects: in sync
      CheckResults held = checks.checkNow().orElseThrow();
      assertTrue(held.held() && held.checked() == 1, held.lines().toString());
      assertTrue(held.commit().isPresent() && !held.commit().equals(failed.commit()), "the commit each check was of");
      commit("net.yaml", icc.substring(0, icc.indexOf("expect:")), "no expectations");
      assertTrue(r.reconcile("test").healthy());
      assertEquals(Optional.empty(), checks.checkNow());
      assertEquals(Optional.empty(), CheckResults.read(host.state()), "no results of expectations no longer committed");
    }
  }

  @Test
  void connectivityChecksRunOnTheirOwnScheduleAndStopWhenClosed() throws Exception {
    commit("net.yaml", Files.readString(RepoFiles.examples().resolve("08-icc-off.yaml")), "icc off");
    Reconciler r = reconciler();
    assertEquals(AgentStatus.APPLIED, r.reconcile("test").result());
    try (ConnectivityChecks checks = checks(r).every(Duration.ofMillis(100))) {
      assertTrue(Conditions.within(Duration.ofSeconds(10), () -> CheckResults.read(host.state()).isPresent()));
    }
    Files.delete(host.state().agentChecks());
    Thread.sleep(2000); // several intervals, and more than a check with its timeout takes
    assertEquals(Optional.empty(), CheckResults.read(host.state()), "closed: no more checks");
  }

  @Test
  void aNewlyEnforcedCommitIsCheckedAtOnceAndAnEarlierAgentsResultsAreNotKept() throws Exception {
    String icc = Files.readString(RepoFiles.examples().resolve("08-icc-off.yaml"));
    commit("net.yaml", icc, "icc off");
    Reconciler r = reconciler();
    new CheckResults(Instant.now(), Optional.of("an earlier agent's"), List.of("FAIL  x"), 1, 1).write(host.state());
    try (ConnectivityChecks checks = checks(r).every(Duration.ofHours(1))) {
      assertEquals(Optional.empty(), CheckResults.read(host.state()), "an earlier agent's results are gone");
      AgentStatus s = r.reconcile("test");
      assertTrue(Conditions.within(Duration.ofSeconds(10), () -> CheckResults.read(host.state())
          .filter(c -> c.commit().equals(s.appliedCommit())).isPresent()), "checked without waiting an hour");
    }
  }

  /** An agent that restarts on the commit it already enforced checks at its first reconcile, not an interval later. */
  @Test
  void aRestartedAgentChecksAtItsFirstReconcile() throws Exception {
    commit("net.yaml", Files.readString(RepoFiles.examples().resolve("08-icc-off.yaml")), "icc off");
    assertEquals(AgentStatus.APPLIED, reconciler().reconcile("before the restart").result());
    Reconciler restarted = reconciler();
    try (ConnectivityChecks checks = checks(restarted).every(Duration.ofHours(1))) {
      assertEquals(AgentStatus.OK, restarted.reconcile("test").result(), "the same commit, in sync");
      assertTrue(Conditions.within(Duration.ofSeconds(10), () -> CheckResults.read(host.state()).isPresent()),
          "checked without waiting an hour");
    }
  }

  /**
   * A check does not take the host lock, so a failure counts only when a second check, after any
   * reconcile under way, finds it too: a path broken for a moment is not reported, a lasting one is.
   */
  @Test
  void aFailureIsReportedOnlyWhenASecondCheckConfirmsIt() throws Exception {
    commit("net.yaml", Files.readString(RepoFiles.examples().resolve("08-icc-off.yaml")), "icc off");
    Reconciler r = reconciler();
    assertEquals(AgentStatus.APPLIED, r.reconcile("test").result());
    io.netform.desired.Expectation e = r.enforced().orElseThrow().state().expectations().get(0);
    List<io.netform.check.Verdict> broken = List.of(new io.netform.check.Verdict(
        io.netform.check.Probe.missing(e, "broken for a moment"), java.util.Map.of()));
    List<io.netform.check.Verdict> whole = List.of(new io.netform.check.Verdict(
        new io.netform.check.Probe(e, "", List.of(), Optional.of("checked on another host"), true), java.util.Map.of()));
    java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
    try (ConnectivityChecks checks = new ConnectivityChecks(r, state -> Optional.empty(), io.netform.fleet.LocalState::of,
        Duration.ofMillis(500), state -> calls.getAndIncrement() == 0 ? broken : whole, Duration.ZERO)) {
      assertTrue(checks.checkNow().orElseThrow().held(), "a failure the second check did not find");
      assertEquals(2, calls.get());
      assertTrue(CheckResults.read(host.state()).orElseThrow().held());
    }
    calls.set(0);
    try (ConnectivityChecks checks = new ConnectivityChecks(r, state -> Optional.empty(), io.netform.fleet.LocalState::of,
        Duration.ofMillis(500), state -> {
          calls.incrementAndGet();
          return broken;
        }, Duration.ZERO)) {
      assertEquals(1, checks.checkNow().orElseThrow().failed(), "a lasting failure is reported");
      assertEquals(2, calls.get());
      assertEquals(1, CheckResults.read(host.state()).orElseThrow().failed());
    }
  }

  /**
   * Metrics the checks report to only after a failed check (the agent's first check can end before
   * its metrics are handed over) are told of it: /-/healthy must not say healthy meanwhile.
   */
  @Test
  void metricsReportedToLaterAreToldOfTheLastCheck() throws Exception {
    commit("net.yaml", Files.readString(RepoFiles.examples().resolve("08-icc-off.yaml")), "icc off");
    Reconciler r = reconciler();
    AgentStatus applied = r.reconcile("test");
    assertEquals(AgentStatus.APPLIED, applied.result());
    io.netform.desired.Expectation e = r.enforced().orElseThrow().state().expectations().get(0);
    List<io.netform.check.Verdict> broken = List.of(new io.netform.check.Verdict(
        io.netform.check.Probe.missing(e, "broken"), java.util.Map.of()));
    try (ConnectivityChecks checks = new ConnectivityChecks(r, state -> Optional.empty(), io.netform.fleet.LocalState::of,
        Duration.ofMillis(500), state -> broken, Duration.ZERO); AgentMetrics metrics = new AgentMetrics()) {
      assertEquals(1, checks.checkNow().orElseThrow().failed());
      metrics.reconciled(AgentStatus.initial(), applied, 0.1);
      assertEquals(1.0, gauge(metrics, "netform_healthy"), "in sync, nothing checked yet as far as the metrics know");
      checks.reportTo(metrics);
      assertEquals(1.0, gauge(metrics, "netform_expectations_failed"));
      assertEquals(0.0, gauge(metrics, "netform_healthy"), "the applied commit's expectation failed");
    }
  }

  /**
   * With nothing to check, the check at each interval does not tell the metrics of a check again:
   * the timestamp of the last check would move on while nothing is checked.
   */
  @Test
  void nothingToCheckLeavesTheLastCheckTimestampAlone() throws Exception {
    String icc = Files.readString(RepoFiles.examples().resolve("08-icc-off.yaml"));
    commit("net.yaml", icc.substring(0, icc.indexOf("expect:")), "no expectations");
    Reconciler r = reconciler();
    assertTrue(r.reconcile("test").healthy());
    try (ConnectivityChecks checks = checks(r); AgentMetrics metrics = new AgentMetrics()) {
      checks.reportTo(metrics);
      double forgotten = gauge(metrics, "netform_expectations_check_timestamp_seconds");
      Thread.sleep(50);
      assertEquals(Optional.empty(), checks.checkNow());
      assertEquals(Optional.empty(), checks.checkNow());
      assertEquals(forgotten, gauge(metrics, "netform_expectations_check_timestamp_seconds"), "no check was made");
    }
  }

  private static double gauge(AgentMetrics metrics, String name) {
    return metrics.registry().scrape().stream().filter(m -> m.getMetadata().getName().equals(name))
        .map(m -> ((io.prometheus.metrics.model.snapshots.GaugeSnapshot) m).getDataPoints().get(0).getValue())
        .findFirst().orElseThrow();
  }

  /** The status says how the agent runs; one left damaged by an earlier agent is replaced, not fatal. */
  @Test
  void theStatusSaysHowTheAgentRunsAndADamagedOneIsReplaced() throws Exception {
    Files.writeString(host.state().agentStatus(), "{\"result\": \"in-sy");
    commit("net.yaml", Files.readString(RepoFiles.examples().resolve("08-icc-off.yaml")), "icc off");
    Reconciler r = reconciler();
    r.runs(AgentRun.every(Duration.ofSeconds(30), Duration.ofMinutes(5)));
    assertEquals(AgentStatus.APPLIED, r.reconcile("test").result());
    assertEquals(Optional.of(AgentRun.every(Duration.ofSeconds(30), Duration.ofMinutes(5))),
        AgentStatus.read(host.state()).orElseThrow().run());
  }

  @Test
  void aCheckThatCannotBeMadeIsWrittenAsFailed() throws Exception {
    commit("net.yaml", Files.readString(RepoFiles.examples().resolve("08-icc-off.yaml")), "icc off");
    Reconciler r = reconciler();
    assertEquals(AgentStatus.APPLIED, r.reconcile("test").result());
    try (ConnectivityChecks checks = new ConnectivityChecks(r, state -> Optional.empty(), state -> {
      throw new IllegalStateException("no share today");
    }, Duration.ofMillis(500)).every(Duration.ofMillis(100))) {
      assertTrue(Conditions.within(Duration.ofSeconds(10), () -> CheckResults.read(host.state()).isPresent()));
    }
    CheckResults failed = CheckResults.read(host.state()).orElseThrow();
    assertEquals(1, failed.failed());
    assertTrue(failed.summary().startsWith("the expectations could not be checked: no share today"), failed.summary());
  }

  @Test
  void aFlushedChainOfTheNftablesBackendIsBackAtOnce() throws Exception {
    host = new KernelHost(host.root(), host.namespaces(), host.stateDir(), new NftablesBackend(host.root()));
    String good = Files.readString(RepoFiles.examples().resolve("08-icc-off.yaml"));
    commit("net.yaml", good, "icc off");
    Reconciler r = reconciler();
    assertEquals(AgentStatus.APPLIED, r.reconcile("test").result());
    try (DriftWatcher watcher = new DriftWatcher(host.root(), () -> r.repairDrift("netlink event"), 100)) {
      long changesBefore = r.status().changesApplied();
      assertEquals(0, host.root().start(new ProcessBuilder("nft", "flush", "chain", "ip", "netform", "filter-NETFORM-FORWARD"))
          .waitFor());
      assertTrue(Conditions.within(Duration.ofSeconds(5), () -> r.status().changesApplied() > changesBefore),
          "the flush was not repaired without a resync");
    }
    assertTrue(inSyncWith(good));
  }

  @Test
  void flushedChainsAreBackAfterTheScheduledResync() throws Exception {
    String good = Files.readString(RepoFiles.examples().resolve("08-icc-off.yaml"));
    commit("net.yaml", good, "icc off");
    Reconciler r = reconciler();
    try (AgentScheduler scheduler = new AgentScheduler(r, Duration.ofHours(1), Duration.ofMillis(300))) {
      scheduler.start();
      waitFor(() -> r.status().appliedCommit().isPresent() && inSyncWith(good));
      long changesBefore = r.status().changesApplied();
      Process flush = host.root().start(new ProcessBuilder("iptables", "-F", "NETFORM-FORWARD"));
      assertEquals(0, flush.waitFor(), "a firewall reload flushing netform's chain");
      // The next resync may already have run by now, so judge by what the agent did, not by a glimpse of the drift.
      waitFor(() -> r.status().changesApplied() > changesBefore && inSyncWith(good));
      assertTrue(r.status().changesApplied() > changesBefore, "the periodic check put rules back");
    }
    assertTrue(inSyncWith(good), "the periodic check restored the rules");
  }

  @Test
  void outsideTheSyncWindowsChangesArePlannedNotApplied() throws Exception {
    String good = Files.readString(RepoFiles.examples().resolve("08-icc-off.yaml"));
    String commit = commit("net.yaml", good, "icc off");
    Reconciler r = reconciler();
    SyncWindows nightly = SyncWindows.of(List.of("0 0 22 ? * *"), Duration.ofHours(2), java.util.TimeZone.getTimeZone("UTC"));
    r.syncWindows(nightly, java.time.Clock.fixed(java.time.Instant.parse("2026-11-25T12:00:00Z"), java.time.ZoneOffset.UTC));
    AgentStatus waiting = r.reconcile("test");
    assertEquals(AgentStatus.WAITING, waiting.result(), waiting.message());
    assertTrue(waiting.message().contains("wait for the next sync window (opens 2026-11-25T22:00:00Z)"), waiting.message());
    assertEquals(java.util.Optional.empty(), waiting.appliedCommit(), "nothing applied");
    assertTrue(host.root().rtnl().linkIndex("nf-bfb9d051c45b").isEmpty(), "the host was not touched");
    assertTrue(host.namespaces().list().isEmpty(), "no namespace created");

    r.syncWindows(nightly, java.time.Clock.fixed(java.time.Instant.parse("2026-11-25T22:30:00Z"), java.time.ZoneOffset.UTC));
    AgentStatus applied = r.reconcile("test");
    assertEquals(AgentStatus.APPLIED, applied.result(), applied.message());
    assertEquals(commit, applied.appliedCommit().orElseThrow());
    assertTrue(inSyncWith(good));
  }

  @Test
  void aFailedApplyIsRetriedWithBackoff() throws Exception {
    String good = Files.readString(RepoFiles.examples().resolve("09-tomcat-mysql-ports.yaml"));
    commit("net.yaml", good, "ports");
    Rtnl rtnl = host.root().rtnl();
    // A bridge nobody marked as netform's holds the name: netform refuses to take it over.
    rtnl.run(rtnl.createBridge(rtnl.batch(), "nf-ecb3c5cefc52", 1500, java.util.Optional.empty(), java.util.Optional.empty(), false));
    Reconciler r = reconciler();
    List<AgentStatus> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    r.listen((before, after, seconds) -> seen.add(after));
    try (AgentScheduler scheduler = new AgentScheduler(r, Duration.ofHours(1), Duration.ofHours(1),
        new Backoff(Duration.ofMillis(200), Duration.ofSeconds(1)))) {
      scheduler.start();
      waitFor(() -> seen.size() >= 3);
      assertTrue(seen.size() >= 3 && seen.stream().allMatch(s -> s.result().equals(AgentStatus.FAILED)),
          "retried without waiting for the hourly poll: " + seen);
      rtnl.run(rtnl.deleteLinkByName(rtnl.batch(), "nf-ecb3c5cefc52")); // the operator clears the way
      waitFor(() -> r.status().healthy());
    }
    assertEquals(AgentStatus.APPLIED, r.status().result(), r.status().message());
    assertTrue(inSyncWith(good));
  }

  @Test
  void withoutIptablesRestoreAReconcileFailsBeforeChangingAnything() throws Exception {
    commit("net.yaml", Files.readString(RepoFiles.examples().resolve("09-tomcat-mysql-ports.yaml")), "ports");
    Path tools = Files.createTempDirectory("agent-tools"); // iptables-save only: the rules can be read, not changed
    Files.createSymbolicLink(tools.resolve("iptables-save"), ToolPath.fromEnvironment().require("iptables-save"));
    KernelHost lacking = new KernelHost(host.root(), host.namespaces(), host.state(),
        new IptablesBackend(host.root(), ToolPath.of(tools.toString()), Duration.ofSeconds(60)));
    AgentStatus failed = new Reconciler(new GitSource(repo.toString(), "main", host.stateDir().resolve("source")), ".",
        lacking).reconcile("test");
    assertEquals(AgentStatus.FAILED, failed.result(), failed.message());
    assertTrue(failed.message().contains("iptables-restore is not installed"), failed.message());
    assertEquals(0, failed.changesApplied(), failed.message());
    // An apply that fails part-way removes what it created, but never resets a sysctl: still 0 means nothing ran.
    assertEquals("0", host.root().readSysctl("net.ipv4.ip_forward"), "no kernel change was made, not even undone ones");
    assertTrue(inSyncWith("version: 1\n"), "nothing of netform's on the host");
  }

  @Test
  void theAgentAppliesRepairsAndStopsCleanly() throws Exception {
    String good = Files.readString(RepoFiles.examples().resolve("08-icc-off.yaml"));
    String commit = commit("net.yaml", good, "icc off");
    Reconciler r = new Reconciler(new GitSource(repo.toString(), "main", host.stateDir().resolve("source")), ".", host);
    try (Agent agent = Agent.start(r, Duration.ofMillis(200), Duration.ofMinutes(5), java.util.Optional.empty())) {
      assertEquals(-1, agent.metricsPort(), "no metrics asked for");
      assertTrue(Conditions.within(Duration.ofSeconds(10), () -> r.status().appliedCommit().equals(java.util.Optional.of(commit))
          && inSyncWith(good)), r.status()::toString);
      Rtnl rtnl = host.root().rtnl();
      rtnl.run(rtnl.deleteLinkByName(rtnl.batch(), "nf-bfb9d051c45b")); // drift
      Conditions.within(Duration.ofSeconds(10), () -> rtnl.linkIndex("nf-bfb9d051c45b").isPresent() && inSyncWith(good));
      assertTrue(inSyncWith(good), "the event-driven repair put it back");
      try (NetnsHandle a = NetnsHandle.open("noicc-a", host.namespaces().path("noicc-a"))) {
        assertTrue(Conditions.within(Duration.ofSeconds(5), () -> io.netform.testing.Dns.a(a, "noicc-b").resolved()),
            "the agent serves names: " + io.netform.testing.Dns.a(a, "noicc-b"));
      }
    }
    long reconciles = r.status().reconciles();
    Thread.sleep(500); // more than two polls' worth
    assertEquals(reconciles, r.status().reconciles(), "closed, the agent reconciles no more");
    assertEquals(java.util.Optional.of(AgentRun.every(Duration.ofMillis(200), Duration.ofMinutes(5))),
        AgentStatus.read(host.state()).orElseThrow().run(), "the status says how the agent runs, for netform status");
  }

  @Test
  void aClosedSchedulerStopsListening() throws Exception {
    Reconciler r = reconciler();
    int before = r.listenerCount();
    try (AgentScheduler scheduler = new AgentScheduler(r, Duration.ofHours(1), Duration.ofHours(1))) {
      assertEquals(before + 1, r.listenerCount(), "it listens for failures to retry");
    }
    assertEquals(before, r.listenerCount(), "closed, it no longer does");
  }

  @Test
  void anUnverifiedCommitKeepsTheLastVerifiedStateAndItsRepairs() throws Exception {
    TestSigning.Key key = TestSigning.ed25519();
    String good = Files.readString(RepoFiles.examples().resolve("09-tomcat-mysql-ports.yaml"));
    String signed = TestSigning.commit(git.getRepository(), "main", java.util.Map.of("net.yaml", good), "signed\n",
        key.signer()).name();
    Reconciler r = new Reconciler(new GitSource(repo.toString(), "main", host.stateDir().resolve("source"),
        java.util.Optional.of(CommitSignatures.load(key.writeTo(host.stateDir().resolve("allowed.asc"))))), ".", host);
    AgentStatus applied = r.reconcile("poll");
    assertEquals(AgentStatus.APPLIED, applied.result(), applied.message());
    assertEquals(signed, applied.appliedCommit().orElseThrow());

    String other = good.replace("10.20.0.0/16", "10.21.0.0/16").replace("10.20.0.1", "10.21.0.1");
    String unsigned = TestSigning.commit(git.getRepository(), "main", java.util.Map.of("net.yaml", other), "unsigned\n",
        null).name();
    Rtnl rtnl = host.root().rtnl();
    rtnl.run(rtnl.deleteLinkByName(rtnl.batch(), "nf-ecb3c5cefc52")); // drift while the tip is refused
    AgentStatus refused = r.reconcile("poll");
    assertEquals(AgentStatus.UNVERIFIED, refused.result(), refused.message());
    assertEquals(unsigned, refused.seenCommit().orElseThrow());
    assertEquals(signed, refused.appliedCommit().orElseThrow(), "the verified commit stays applied");
    assertTrue(inSyncWith(good), "its state is enforced, drift repaired, nothing of the unsigned commit applied");
  }

  /** Returns when {@code condition} holds or after 10 s; the assertions that follow say which. */
  static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
    Conditions.within(Duration.ofSeconds(10), condition);
  }

  @Test
  void theSchedulerReconcilesOnItsOwn() throws Exception {
    String good = Files.readString(RepoFiles.examples().resolve("07-none.yaml"));
    String commit = commit("net.yaml", good, "none");
    Reconciler r = reconciler();
    try (AgentScheduler scheduler = new AgentScheduler(r, Duration.ofMillis(200), Duration.ofSeconds(5))) {
      scheduler.start();
      waitFor(() -> r.status().appliedCommit().equals(java.util.Optional.of(commit)));
    }
    assertEquals(commit, r.status().appliedCommit().orElseThrow());
    assertTrue(AgentStatus.read(host.state()).orElseThrow().healthy(), "status written for 'netform status'");
    assertEquals(List.of("centos3"), host.namespaces().list());
  }

  @Test
  void anApplyWaitingForConfirmationPausesTheAgentWithoutAChange() throws Exception {
    String good = Files.readString(RepoFiles.examples().resolve("09-tomcat-mysql-ports.yaml"));
    commit("net.yaml", good, "tomcat and mysql");
    Checkpoints checkpoints = new Checkpoints(host.state());
    checkpoints.save(Checkpoint.starting(Instant.now(), Duration.ofMinutes(5), "netform apply by hand"),
        ObservedHost.emptyHost());
    Reconciler r = reconciler();
    AgentStatus paused = r.reconcile("test");
    assertEquals(AgentStatus.PAUSED, paused.result(), paused.message());
    assertTrue(paused.message().contains("netform apply by hand") && !paused.healthy(), paused.message());
    assertTrue(!inSyncWith(good), "nothing applied while the apply by hand waits");
    assertTrue(!Files.isDirectory(host.state().lastGood()), "a commit never applied is no last good state");
    checkpoints.clear();
    assertEquals(AgentStatus.APPLIED, r.reconcile("confirmed").result());
    assertTrue(inSyncWith(good));
  }
}
