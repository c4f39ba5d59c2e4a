package io.netform.agent;

import io.netform.compile.TargetState;
import io.netform.desired.DesiredState;
import io.netform.diagnostics.Diagnostic;
import io.netform.kernel.HostLock;
import io.netform.kernel.KernelHost;
import io.netform.kernel.apply.KernelExecutor;
import io.netform.kernel.observe.HostObserver;
import io.netform.kernel.observe.KernelReads;
import io.netform.model.ObservedHost;
import io.netform.plan.Plan;
import io.netform.plan.Planner;
import io.netform.validate.DesiredStateCheck;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One reconcile: read the source, check the desired state, and make the host match it. A commit
 * that does not validate, or fails the signature check, is reported and the last good desired
 * state (a copy kept in the state directory, so it survives restarts) stays the one enforced; an
 * unreachable source changes nothing. Every run also repairs drift: anything that differs from the
 * enforced state is put back.
 */
public final class Reconciler {

  private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);

  private final GitSource source;
  private final String subPath;
  private final KernelHost host;
  private volatile AgentStatus status;
  private final List<Listener> listeners = new CopyOnWriteArrayList<>();
  private volatile SyncWindows windows = SyncWindows.always();
  private volatile Clock clock = Clock.systemUTC();
  private CheckedCommit lastChecked;
  private volatile HostObserver observer;
  private DesiredStateCheck.Checked lastGoodChecked; // the kept copy's check, until the copy is replaced

  /** A commit and its check; {@code unverified} (why its signature was refused) or {@code checked} is null. */
  private record CheckedCommit(String commit, DesiredStateCheck.Checked checked, String unverified) {}

  /** Told about every reconcile (metrics, retry backoff). */
  public interface Listener {
    void reconciled(AgentStatus before, AgentStatus after, double seconds);
  }

  public void listen(Listener l) {
    listeners.add(l);
  }

  public void unlisten(Listener l) {
    listeners.remove(l);
  }

  /** How many listeners are told (for tests). */
  int listenerCount() {
    return listeners.size();
  }

  /** Outside these windows changes are planned and reported, not applied. */
  public void syncWindows(SyncWindows windows, Clock clock) {
    this.windows = windows;
    this.clock = clock;
  }

  /**
   * Reads the host through {@code view} (kept current by netlink events) instead of re-reading it
   * in full at every reconcile; {@link #reconcileFully} still reads everything afresh.
   */
  public void readThrough(KernelReads view) {
    this.observer = new HostObserver(host, view);
  }

  public Reconciler(GitSource source, String subPath, KernelHost host) {
    this.source = source;
    this.subPath = subPath;
    this.host = host;
    this.observer = new HostObserver(host);
    this.status = AgentStatus.read(host.stateDir()).orElse(AgentStatus.initial());
  }

  public AgentStatus status() {
    return status;
  }

  private Path lastGood() {
    return host.stateDir().resolve("last-good");
  }

  /** Fetches the source, then converges (poll, resync, first start). */
  public synchronized AgentStatus reconcile(String why) {
    return timed(why, true, false);
  }

  /**
   * Converges to the commit already known, without asking the source: what a netlink event needs,
   * since nothing in Git changed and a fetch would only add its round trip to the repair.
   */
  public synchronized AgentStatus repairDrift(String why) {
    return timed(why, lastChecked == null, false);
  }

  /**
   * As {@link #reconcile}, but reads the whole host afresh even when a view kept by events is in
   * use: the periodic resync, which also guards against anything the events could have missed.
   */
  public synchronized AgentStatus reconcileFully(String why) {
    return timed(why, true, true);
  }

  private AgentStatus timed(String why, boolean fetch, boolean freshRead) {
    AgentStatus before = status;
    long t0 = System.nanoTime();
    AgentStatus after = reconcileOnce(why, fetch, freshRead);
    double seconds = (System.nanoTime() - t0) / 1e9;
    listeners.forEach(l -> l.reconciled(before, after, seconds));
    return after;
  }

  private AgentStatus reconcileOnce(String why, boolean fetch, boolean freshRead) {
    long reconciles = status.reconciles() + 1;
    Path desiredDir = source.checkout().resolve(subPath);
    if (fetch) {
      try {
        String synced = source.sync();
        if (lastChecked == null || !lastChecked.commit().equals(synced) || lastChecked.checked() == null) {
          lastChecked = new CheckedCommit(synced, DesiredStateCheck.run(List.of(desiredDir)), null);
        }
      } catch (GitSource.UnverifiedCommitException e) {
        // the checkout was not moved to it: nothing of this commit is read
        lastChecked = new CheckedCommit(e.commit(), null, e.verdict().detail());
      } catch (GitSource.SourceUnreachableException e) {
        LOG.atWarn().addKeyValue("event", "source-unreachable").log("source unreachable, host left as it is: {}", e.getMessage());
        return record(new AgentStatus(AgentStatus.UNREACHABLE, e.getMessage(), status.seenCommit(), status.appliedCommit(),
            Instant.now(), status.lastSuccess(), reconciles, status.changesApplied()));
      }
    }
    String commit = lastChecked.commit();
    DesiredStateCheck.Checked checked = lastChecked.checked(); // a commit's files never change: checked once
    Optional<String> enforcedCommit = status.appliedCommit();
    String result = AgentStatus.OK;
    String message = "";
    if (lastChecked.unverified() != null) {
      result = AgentStatus.UNVERIFIED;
      message = "commit " + commit + " is unverified, keeping " + enforcedCommit.orElse("nothing") + ": "
          + lastChecked.unverified();
      LOG.atError().addKeyValue("event", "unverified-commit").addKeyValue("commit", commit).log(message);
    } else if (!checked.valid()) {
      result = AgentStatus.INVALID;
      List<Diagnostic> errors = checked.diagnostics().stream().filter(Diagnostic::isError).limit(5).toList();
      message = "commit " + commit + " is invalid, keeping " + enforcedCommit.orElse("nothing") + ": "
          + String.join("; ", errors.stream().map(d -> d.location() + ": " + d.message()).toList());
      LOG.atError().addKeyValue("event", "invalid-commit").addKeyValue("commit", commit).log(message);
    } else {
      enforcedCommit = Optional.of(commit);
    }
    boolean refused = !result.equals(AgentStatus.OK); // the commit's own state is not the one enforced
    if (refused) {
      if (!Files.isDirectory(lastGood())) {
        return record(new AgentStatus(result, message, Optional.of(commit), enforcedCommit, Instant.now(),
            status.lastSuccess(), reconciles, status.changesApplied()));
      }
      if (lastGoodChecked == null) {
        lastGoodChecked = DesiredStateCheck.run(List.of(lastGood()));
      }
      checked = lastGoodChecked;
    }
    try (HostLock lock = HostLock.acquire(host.stateDir(), "agent (" + why + ")")) {
      io.netform.kernel.Preflight.check(host); // a missing tool fails this reconcile before anything changes
      Plan plan = plan(checked.state(), freshRead);
      Instant now = clock.instant();
      if (!plan.isEmpty() && !windows.isOpen(now)) {
        String waiting = plan.changes().size() + " changes wait for the next sync window (opens "
            + windows.nextOpening(now).map(Instant::toString).orElse("never") + ")";
        logChanges(plan, "planned, outside the sync windows", enforcedCommit, why);
        return record(new AgentStatus(refused ? result : AgentStatus.WAITING,
            message.isEmpty() ? waiting : message + "; " + waiting, Optional.of(commit), status.appliedCommit(),
            Instant.now(), status.lastSuccess(), reconciles, status.changesApplied()));
      }
      logChanges(plan, "applying", enforcedCommit, why);
      long changes = execute(plan);
      if (result.equals(AgentStatus.OK)) {
        if (!status.appliedCommit().equals(Optional.of(commit)) || !Files.isDirectory(lastGood())) {
          keepAsLastGood(desiredDir); // once per newly enforced commit, not at every repair
        }
        if (changes > 0) {
          result = AgentStatus.APPLIED;
          message = changes + " changes (" + why + ")";
          LOG.atInfo().addKeyValue("event", "applied").addKeyValue("commit", commit).addKeyValue("changes", changes)
              .log("applied commit {}: {}", commit, message);
        }
      }
      return record(new AgentStatus(result, message, Optional.of(commit), enforcedCommit, Instant.now(),
          refused ? status.lastSuccess() : Optional.of(Instant.now()), reconciles,
          status.changesApplied() + changes));
    } catch (RuntimeException e) {
      LOG.atError().addKeyValue("event", "apply-failed").addKeyValue("commit", commit)
          .log("reconcile failed (will retry): {}", e.getMessage());
      return record(new AgentStatus(AgentStatus.FAILED, String.valueOf(e.getMessage()), Optional.of(commit),
          status.appliedCommit(), Instant.now(), status.lastSuccess(), reconciles, status.changesApplied()));
    }
  }

  /** Observes the host and plans the way to {@code desired}; refuses to touch foreign objects. */
  private Plan plan(DesiredState desired, boolean freshRead) {
    ObservedHost before = (freshRead ? new HostObserver(host) : observer).observe();
    Plan plan = Planner.plan(TargetState.against(desired, before).model(), before);
    if (plan.hasConflicts()) {
      throw new IllegalStateException("conflicts with foreign objects: " + plan.conflicts().get(0).message());
    }
    return plan;
  }

  /** Applies; returns how many objects changed. Fails if the host does not converge. */
  private long execute(Plan plan) {
    if (plan.isEmpty()) {
      return 0;
    }
    try (KernelExecutor executor = new KernelExecutor(host)) {
      executor.apply(plan, done -> { });
    }
    return plan.changes().size();
  }

  /** One line per change, with its parts as key-values for the JSON log format. */
  private static void logChanges(Plan plan, String what, Optional<String> commit, String why) {
    plan.changes().forEach(c -> LOG.atInfo().addKeyValue("event", "change").addKeyValue("action", c.action().name().toLowerCase())
        .addKeyValue("kind", c.object().kindLabel()).addKeyValue("object", c.object().displayName())
        .addKeyValue("commit", commit.orElse("")).addKeyValue("trigger", why)
        .log("{} ({}): {} {} {}", what, why, c.action().symbol, c.object().kindLabel(), c.object().displayName()));
  }

  private void keepAsLastGood(Path desiredDir) {
    Path target = lastGood();
    Path staging = host.stateDir().resolve("last-good.new");
    try {
      deleteTree(staging);
      try (Stream<Path> files = Files.walk(desiredDir)) {
        for (Path p : files.filter(Files::isRegularFile).filter(f -> !f.toString().contains("/.git/")).toList()) {
          Path to = staging.resolve(desiredDir.relativize(p).toString());
          Files.createDirectories(to.getParent());
          Files.copy(p, to, StandardCopyOption.REPLACE_EXISTING);
        }
      }
      deleteTree(target);
      Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
      lastGoodChecked = null;
    } catch (IOException e) {
      throw new UncheckedIOException("keeping the last good desired state: " + e.getMessage(), e);
    }
  }

  private static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    try (Stream<Path> s = Files.walk(p)) {
      for (Path f : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(f);
      }
    }
  }

  private AgentStatus record(AgentStatus s) {
    status = s;
    s.write(host.stateDir());
    return s;
  }
}
