package io.netform.cli;

import io.netform.agent.Agent;
import io.netform.agent.AgentRun;
import io.netform.agent.AgentStatus;
import io.netform.agent.CheckResults;
import io.netform.agent.ConnectivityChecks;
import io.netform.agent.Health;
import io.netform.agent.Reconciler;
import io.netform.agent.SyncWindows;
import io.netform.agent.git.CommitSignatures;
import io.netform.agent.git.GitAccess;
import io.netform.agent.git.GitCredentials;
import io.netform.agent.git.GitSource;
import io.netform.converge.Goal;
import io.netform.fleet.HostChoice;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TimeZone;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "agent", mixinStandardHelpOptions = true,
    description = {"Keep this host in the state committed to a Git repository: poll the branch, validate every new "
        + "commit, apply it, and repair drift. An invalid commit is reported and the last good state stays enforced; "
        + "an unreachable source changes nothing. With --verify-signatures a commit not signed by one of the "
        + "--allowed-keys is not applied either. Status: 'netform status'."})
final class AgentCommand implements Callable<Integer> {

  @Option(names = "--source", required = true, paramLabel = "URL-or-PATH",
      description = "Git repository: a path, file://, ssh:// or user@host:path (keys and known_hosts from --ssh-dir), "
          + "https:// (credentials in the URL, in NETFORM_GIT_USERNAME and NETFORM_GIT_PASSWORD, or in ~/.netrc).")
  String source;

  @Option(names = "--ssh-dir", defaultValue = "${sys:user.home}/.ssh", paramLabel = "DIR",
      description = "Where ssh sources take their keys (id_ed25519, id_ecdsa, id_rsa), config and known_hosts; a host "
          + "not in DIR/known_hosts is refused (add it with ssh-keyscan HOST >> DIR/known_hosts) (default: ${DEFAULT-VALUE}).")
  Path sshDir;

  @Option(names = "--branch", defaultValue = "main", description = "Branch to follow (default: ${DEFAULT-VALUE}).")
  String branch;

  @Option(names = "--path", defaultValue = ".", description = "Directory of the desired state inside the repository (default: ${DEFAULT-VALUE}).")
  String path;

  @Option(names = "--poll", defaultValue = "30s", paramLabel = "DURATION",
      description = "How often to look for new commits: 30s, 5m, 1h30m, 500ms or ISO-8601 (PT30S) (default: ${DEFAULT-VALUE}).")
  Duration poll;

  @Option(names = "--resync", defaultValue = "5m", paramLabel = "DURATION",
      description = "How often to re-enforce the state without a new commit, as --poll (default: ${DEFAULT-VALUE}).")
  Duration resync;

  @Option(names = "--listen", defaultValue = "127.0.0.1:9469", paramLabel = "ADDRESS:PORT",
      description = "Where to serve /metrics (Prometheus) and /-/healthy; 'none' to serve nothing (default: ${DEFAULT-VALUE}).")
  String listen;

  @Option(names = "--sync-window", paramLabel = "CRON",
      description = "When changes may be applied: a Quartz cron expression (seconds first, e.g. '0 0 22 ? * MON-FRI') at "
          + "which a window opens for --sync-window-length. Repeatable. Outside every window changes are planned and "
          + "reported, not applied. Default: always.")
  List<String> syncWindows = new ArrayList<>();

  @Option(names = "--sync-window-length", defaultValue = "1h", paramLabel = "DURATION",
      description = "How long each sync window stays open, as --poll (default: ${DEFAULT-VALUE}).")
  Duration syncWindowLength;

  @Option(names = "--log-format", defaultValue = "text", paramLabel = "text|json",
      description = "Log lines as text or as one JSON object per line, on standard error (default: ${DEFAULT-VALUE}).")
  String logFormat;

  @Option(names = "--verify-signatures",
      description = "Apply only commits whose OpenPGP signature verifies against one of --allowed-keys. The branch's "
          + "newest commit is checked before it is checked out; an unsigned or otherwise signed one is reported "
          + "(unverified-commit) and the last good state stays enforced.")
  boolean verifySignatures;

  @Option(names = "--allowed-keys", paramLabel = "FILE",
      description = "ASCII-armored OpenPGP public keys allowed to sign commits (gpg --export --armor KEYID > FILE); "
          + "needed by --verify-signatures.")
  Path allowedKeys;

  @Option(names = "--once", description = "Reconcile once and exit (0 in sync or applied and every expectation checked "
      + "here held, 1 otherwise).")
  boolean once;

  @Option(names = "--check-every", defaultValue = "5m", paramLabel = "DURATION", converter = DurationOrNever.class,
      description = "Check the connectivity assertions (expect:) of the state last enforced this often, with real "
          + "connections, on a thread of their own; netform status shows the result (default: ${DEFAULT-VALUE}; never: "
          + "not at all).")
  Duration checkEvery;

  /** A duration, or {@code never} (zero: the checks are off). */
  static final class DurationOrNever implements picocli.CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      return value.strip().equals("never") ? Duration.ZERO : new DurationConverter().convert(value);
    }
  }

  @Mixin
  HostAccess access;

  @Mixin
  HostOption host;

  @Override
  public Integer call() throws Exception {
    switch (logFormat) {
      case "json" -> LogFormat.useJson();
      case "text" -> { }
      default -> throw new UserError("--log-format is text or json, not " + logFormat);
    }
    if (syncWindows.isEmpty() && !access.given("--sync-window-length").isEmpty()) {
      throw new UserError("--sync-window-length is how long each --sync-window stays open, and no --sync-window is "
          + "given: add one (e.g. --sync-window '0 0 22 ? * MON-FRI'), or leave the length out to apply at any time");
    }
    SyncWindows windows;
    try {
      windows = SyncWindows.of(syncWindows, syncWindowLength, TimeZone.getDefault());
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage());
    }
    Optional<InetSocketAddress> metricsAddress = metricsAddress();
    Optional<CommitSignatures> signatures = signatures();
    GitAccess gitAccess = gitAccess();
    // Counted down only once the agent and the host it opened (a --sandbox is removed then) are closed.
    CountDownLatch stopped = new CountDownLatch(1);
    try {
      try (HostAccess.Opened opened = access.open()) {
        GitSource git = new GitSource(source, branch, opened.host().state().checkout(), signatures, gitAccess);
        Reconciler reconciler = new Reconciler(git, path, opened.host());
        reconciler.syncWindows(windows, Clock.systemDefaultZone());
        String hostname = HostOption.machineHostname();
        reconciler.goals(state -> Goal.of(HostChoice.share(state, Optional.ofNullable(host.host), hostname)));
        ConnectivityChecks checks = new ConnectivityChecks(reconciler,
            state -> HostChoice.of(state, Optional.ofNullable(host.host), hostname),
            state -> HostChoice.share(state, Optional.ofNullable(host.host), hostname), ExpectationCheck.DEFAULT_TIMEOUT);
        if (once) {
          reconciler.runs(AgentRun.once());
          AgentStatus s = reconciler.reconcile("once");
          Optional<CheckResults> checked = s.healthy() && !checkEvery.isZero() ? checks.checkNow() : Optional.empty();
          Health health = Health.of(s, checked);
          System.out.println(StatusCommand.describe(health, checked));
          return health.inSync() ? ExitCodes.OK : ExitCodes.ERROR;
        }
        CountDownLatch stop = new CountDownLatch(1);
        // The checks listen before the first reconcile, and stop after the agent (closed first) has.
        try (ConnectivityChecks running = checkEvery.isZero() ? checks : checks.every(checkEvery);
             Agent agent = startAgent(reconciler, metricsAddress)) {
          running.reportTo(agent.metrics());
          if (agent.metricsPort() >= 0) {
            System.err.println("netform agent: metrics on http://" + metricsAddress.get().getHostString() + ":"
                + agent.metricsPort() + "/metrics");
          }
          // The JVM ends when its shutdown hooks do: the hook waits until the agent has let a running
          // reconcile finish.
          Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stop.countDown();
            try {
              stopped.await(90, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }, "netform-agent-stop"));
          System.err.println("netform agent: following " + git.shown() + " (" + branch + ", " + path + "), poll " + poll
              + ", resync " + resync + ", sync windows " + windows
              + (checkEvery.isZero() ? "" : ", expectations checked every " + checkEvery)
              + signatures.map(c -> ", commits signed by " + String.join(" or ", c.keyIds())).orElse("")
              + "; state in " + opened.host().stateDir());
          stop.await();
          System.err.println("netform agent: stopping (a running reconcile finishes first)");
        }
        return ExitCodes.OK;
      }
    } finally {
      stopped.countDown();
    }
  }

  private Agent startAgent(Reconciler reconciler, Optional<InetSocketAddress> metricsAddress) throws Exception {
    try {
      return Agent.start(reconciler, poll, resync, metricsAddress);
    } catch (IOException e) {
      throw new UserError("cannot serve metrics on " + listen + ": " + e.getMessage()
          + "; choose another --listen ADDRESS:PORT, or --listen none");
    }
  }

  /** --listen as an address and port, checked before anything starts; empty for 'none'. */
  private Optional<InetSocketAddress> metricsAddress() {
    if (listen.equals("none")) {
      return Optional.empty();
    }
    String fix = " (e.g. --listen 127.0.0.1:9469, or --listen none to serve no metrics)";
    int colon = listen.lastIndexOf(':');
    if (colon <= 0) {
      throw new UserError("--listen takes ADDRESS:PORT, not '" + listen + "'" + fix);
    }
    int port;
    try {
      port = Integer.parseInt(listen.substring(colon + 1));
    } catch (NumberFormatException e) {
      port = -1;
    }
    if (port < 0 || port > 65535) {
      throw new UserError("--listen '" + listen + "': the port must be a number from 0 to 65535" + fix);
    }
    String address = listen.substring(0, colon).replaceAll("^\\[|\\]$", ""); // [::1]:9469
    try {
      return Optional.of(new InetSocketAddress(InetAddress.getByName(address), port));
    } catch (UnknownHostException e) {
      throw new UserError("--listen '" + listen + "': unknown address " + address + fix);
    }
  }

  /** Read at start, so that half-set credentials stop the agent at once rather than at the first fetch. */
  private GitAccess gitAccess() {
    try {
      return new GitAccess(sshDir, GitCredentials.from(System.getenv(), source));
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage());
    }
  }

  /** The allowed keys, read before anything else so that a bad file stops the agent at once. */
  private Optional<CommitSignatures> signatures() {
    if (!verifySignatures) {
      if (allowedKeys != null) {
        throw new UserError("--allowed-keys is used only with --verify-signatures; add it, or drop --allowed-keys");
      }
      return Optional.empty();
    }
    if (allowedKeys == null) {
      throw new UserError("--verify-signatures needs --allowed-keys FILE (export the keys with: gpg --export --armor KEYID > FILE)");
    }
    try {
      return Optional.of(CommitSignatures.load(allowedKeys));
    } catch (CommitSignatures.KeyFileException e) {
      throw new UserError("--allowed-keys " + e.getMessage());
    }
  }
}
