package io.netform.agent;

import io.netform.agent.git.GitSource;
import io.netform.converge.Converger;
import io.netform.converge.Goal;
import io.netform.converge.Outcome;
import io.netform.converge.Proposal;
import io.netform.desired.DesiredState;
import io.netform.diagnostics.Diagnostic;
import io.netform.diagnostics.Location;
import io.netform.fleet.HostChoice;
import io.netform.kernel.HostLock;
import io.netform.kernel.KernelHost;
import io.netform.kernel.StateDirectory;
import io.netform.kernel.firewall.FirewallException;
import io.netform.kernel.observe.HostObserver;
import io.netform.kernel.observe.KernelReads;
import io.netform.plan.Plan;
import io.netform.rollback.Checkpoint;
import io.netform.rollback.Checkpoints;
import io.netform.util.IoReasons;
import io.netform.validate.DesiredStateCheck;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

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
  private volatile Function<DesiredState, Goal> goals = Goal::of;
  // The goal of the state last converged to: a commit's state is checked once and kept, so the same
  // object comes back at every reconcile and its goal (a fleet's allocation, for one) need not be made again.
  private DesiredState lastGoalState;
  private Goal lastGoal;
  private CheckedCommit lastChecked;
  private volatile HostObserver observer;
  private DesiredStateCheck.Checked lastGoodChecked; // the kept copy's check, until the copy is replaced
  private volatile Enforced enforcedState; // what the host was last found in or brought to
  private String lastLogged; // the problem last logged, logged again only when it changes
  private volatile Optional<AgentRun> run = Optional.empty(); // written into every status

  /** A commit and its check; {@code unverified} (why its signature was refused) or {@code checked} is null. */
  private record CheckedCommit(String commit, DesiredStateCheck.Checked checked, String unverified) {}

  /** A desired state the host was found in or brought to, and its commit. */
  public record Enforced(DesiredState state, Optional<String> commit) {}

  /** The desired state this host was last in sync with (found so, or applied and verified); empty before the first. */
  public Optional<Enforced> enforced() {
    return Optional.ofNullable(enforcedState);
  }

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

  /** How a commit's desired state becomes this host's goal, e.g. its share of a multi-host one (default: all of it). */
  public synchronized void goals(Function<DesiredState, Goal> goals) {
    this.goals = goals;
    this.lastGoalState = null;
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
    this.status = lastStatus(host);
  }

  /** The status an earlier agent left; a damaged one is said and replaced at the first reconcile. */
  private static AgentStatus lastStatus(KernelHost host) {
    try {
      return AgentStatus.read(host.state()).orElse(AgentStatus.initial());
    } catch (AgentStatus.DamagedException e) {
      LOG.atWarn().addKeyValue("event", "status-damaged").log(e.getMessage());
      return AgentStatus.initial();
    }
  }

  /** How this agent runs (its poll and resync, or once), written into every status for netform status. */
  public void runs(AgentRun how) {
    this.run = Optional.of(how);
  }

  public AgentStatus status() {
    return status;
  }

  /** The host this reconciler keeps. */
  public KernelHost host() {
    return host;
  }

  private Path lastGoodDir() {
    return host.state().lastGood();
  }

  /** Returns once no reconcile is under way (one may start right after). */
  public synchronized void awaitIdle() {
    // the monitor is the one every reconcile holds: taking it is waiting for the one under way
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
    AgentStatus after;
    try {
      after = reconcileOnce(why, fetch, freshRead);
    } catch (RuntimeException e) {
      // Nothing escapes a reconcile (Quartz would log it and carry on as if all were well): the
      // failure is the status, kept in memory even when the state directory cannot take it.
      String message = "reconcile failed: " + e.getMessage();
      logOnce(LOG.atError(), "reconcile-failed", message, message);
      AgentStatus failed = failure(AgentStatus.FAILED, AgentStatus.APPLY, message, status.seenCommit(),
          status.reconciles() + 1);
      try {
        after = record(failed); // written, so that netform status does not keep telling the last good word
      } catch (RuntimeException unwritable) {
        after = status; // record() keeps it in memory first
      }
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    AgentStatus reached = after;
    listeners.forEach(l -> l.reconciled(before, reached, seconds));
    return reached;
  }

  private AgentStatus reconcileOnce(String why, boolean fetch, boolean freshRead) {
    long reconciles = status.reconciles() + 1;
    Path desiredDir = source.checkout().resolve(subPath);
    if (fetch) {
      try {
        String synced = source.sync();
        if (lastChecked == null || !lastChecked.commit().equals(synced) || lastChecked.checked() == null) {
          lastChecked = new CheckedCommit(synced, load(synced, desiredDir), null);
        }
      } catch (GitSource.UnverifiedCommitException e) {
        // the checkout was not moved to it: nothing of this commit is read
        lastChecked = new CheckedCommit(e.commit(), null, e.verdict().detail());
      } catch (GitSource.SourceUnreachableException e) {
        logOnce(LOG.atWarn(), "source-unreachable", e.getMessage(), "source unreachable, host left as it is: " + e.getMessage());
        return record(failure(AgentStatus.UNREACHABLE, AgentStatus.FETCH, e.getMessage(), status.seenCommit(), reconciles));
      } catch (RuntimeException e) {
        String message = "reading the source failed, host left as it is: " + e;
        logOnce(LOG.atError(), "source-failed", message, message);
        return record(failure(AgentStatus.UNREACHABLE, AgentStatus.FETCH, message, status.seenCommit(), reconciles));
      }
    }
    String commit = lastChecked.commit();
    DesiredStateCheck.Checked checked = lastChecked.checked(); // a commit's files never change: checked once
    String refusal = null;
    String refusedStage = "";
    if (lastChecked.unverified() != null) {
      refusal = "commit " + commit + " is unverified, keeping " + kept() + ": " + lastChecked.unverified();
      refusedStage = AgentStatus.SIGNATURE;
    } else if (!checked.valid()) {
      refusal = "commit " + commit + " is invalid, keeping " + kept() + ": " + located(checked);
      refusedStage = AgentStatus.LOAD;
    }
    if (refusal != null) {
      String result = refusedStage.equals(AgentStatus.SIGNATURE) ? AgentStatus.UNVERIFIED : AgentStatus.INVALID;
      logOnce(LOG.atError().addKeyValue("commit", commit), result, refusal, refusal);
      Optional<DesiredStateCheck.Checked> kept = lastGood();
      if (kept.isEmpty()) {
        return record(failure(result, refusedStage, refusal, Optional.of(commit), reconciles));
      }
      // The commit is refused; the last good state stays enforced, drift included.
      AgentStatus enforced = converge(kept.get(), status.appliedCommit(), why, freshRead, reconciles, commit);
      return record(enforced.isError() ? enforced : new AgentStatus(result, refusal, Optional.of(commit), status.appliedCommit(),
          Instant.now(), enforced.lastSuccess(), reconciles, enforced.changesApplied(), refusedStage));
    }
    AgentStatus reached = converge(checked, Optional.of(commit), why, freshRead, reconciles, commit);
    if (reached.isError() && !status.appliedCommit().equals(Optional.of(commit))) {
      // The new commit could not be planned or applied: the last good state stays enforced meanwhile.
      Optional<DesiredStateCheck.Checked> kept = lastGood();
      if (kept.isPresent()) {
        AgentStatus enforced = converge(kept.get(), status.appliedCommit(), why, freshRead, reconciles, commit);
        reached = new AgentStatus(reached.result(), reached.message() + "; keeping " + kept()
            + (enforced.isError() ? ", which failed too: " + enforced.message() : ""), reached.seenCommit(),
            status.appliedCommit(), reached.at(), status.lastSuccess(), reconciles, enforced.changesApplied(),
            reached.failedStage());
      }
    }
    if (!reached.isError() && !reached.result().equals(AgentStatus.WAITING) && !reached.result().equals(AgentStatus.PAUSED)
        && (!status.appliedCommit().equals(Optional.of(commit)) || !Files.isDirectory(lastGoodDir()))) {
      keepAsLastGood(desiredDir, checked); // once per newly enforced commit, not at every repair
    }
    return record(reached);
  }

  private Goal goalFor(DesiredState state) {
    if (state != lastGoalState) {
      lastGoal = goals.apply(state);
      lastGoalState = state;
    }
    return lastGoal;
  }

  /**
   * Makes the host match {@code checked} (the state of {@code enforced}) under the host lock:
   * plan, then (inside a sync window) apply and verify. Every failure is a status, never an
   * exception out of the reconcile.
   */
  private AgentStatus converge(DesiredStateCheck.Checked checked, Optional<String> enforced, String why, boolean freshRead,
      long reconciles, String seen) {
    String commitText = enforced.orElse("nothing");
    try (HostLock lock = HostLock.acquire(host.state(), "agent (" + why + ")")) {
      Optional<Checkpoint> pending = new Checkpoints(host.state()).pending();
      if (pending.isPresent()) {
        // Its timer or a person decides what the host holds next; a change now would be undone or undo it.
        return new AgentStatus(AgentStatus.PAUSED, pending.get().waiting(Instant.now()) + ": the agent changes nothing "
            + "until 'netform confirm' or a rollback ends it", Optional.of(seen),
            status.appliedCommit(), Instant.now(), status.lastSuccess(), reconciles, status.changesApplied());
      }
      Converger converger = freshRead ? new Converger(host) : new Converger(host, observer);
      Goal goal;
      try {
        goal = goalFor(checked.state());
      } catch (HostChoice.NoSuchHost e) { // this machine is none of the commit's hosts (another error is a bug: below)
        return stageFailure(AgentStatus.PLAN, "commit " + commitText + " cannot be applied to this host: " + e.getMessage(),
            seen, reconciles);
      }
      Proposal proposal;
      try {
        proposal = converger.propose(goal);
      } catch (FirewallException e) {
        // a missing or failing tool: said as such, before anything changed
        return stageFailure(AgentStatus.PLAN, e.getMessage() + "; nothing was changed (commit " + commitText + ")", seen,
            reconciles);
      } catch (RuntimeException e) {
        return stageFailure(AgentStatus.PLAN, "planning commit " + commitText + " failed: " + e, seen, reconciles);
      }
      if (proposal.isBlocked()) {
        List<String> reasons = new ArrayList<>();
        proposal.errors().forEach(d -> reasons.add(d.location() + ": " + d.message()));
        proposal.plan().conflicts().forEach(c -> reasons.add(c.message() + " (" + c.hint() + ")"));
        return stageFailure(AgentStatus.PLAN, "commit " + commitText + " cannot be applied to this host: "
            + String.join("; ", reasons.subList(0, Math.min(5, reasons.size()))), seen, reconciles);
      }
      Plan plan = proposal.plan();
      Instant now = clock.instant();
      if (!plan.isEmpty() && !windows.isOpen(now)) {
        String waiting = plan.changes().size() + " changes wait for the next sync window (opens "
            + windows.nextOpening(now).map(Instant::toString).orElse("never") + ")";
        logChanges(plan, "planned, outside the sync windows", enforced, why);
        return new AgentStatus(AgentStatus.WAITING, waiting, Optional.of(seen), status.appliedCommit(), Instant.now(),
            status.lastSuccess(), reconciles, status.changesApplied());
      }
      if (plan.isEmpty()) {
        enforcedState = new Enforced(checked.state(), enforced);
        return new AgentStatus(AgentStatus.OK, "", Optional.of(seen), enforced, Instant.now(), Optional.of(Instant.now()),
            reconciles, status.changesApplied());
      }
      logChanges(plan, "applying", enforced, why);
      Outcome outcome = converger.apply(proposal, goal, step -> { });
      long changes = status.changesApplied() + outcome.changes();
      if (outcome.failure().isPresent()) {
        Outcome.Failure f = outcome.failure().get();
        String message = "applying commit " + commitText + " stopped: " + f.message() + "; removed the " + f.undone()
            + " objects it had created" + (f.undoFailed().isEmpty() ? "" : ", but not: " + String.join(", ", f.undoFailed()));
        logOnce(LOG.atError().addKeyValue("stage", AgentStatus.APPLY), "apply-failed", message, message);
        return new AgentStatus(AgentStatus.FAILED, message, Optional.of(seen), status.appliedCommit(), Instant.now(),
            status.lastSuccess(), reconciles, changes, AgentStatus.APPLY);
      }
      if (!outcome.converged()) {
        String message = "applied commit " + commitText + ", but the host did not converge: "
            + String.join("; ", outcome.unconverged().subList(0, Math.min(5, outcome.unconverged().size())));
        logOnce(LOG.atError().addKeyValue("stage", AgentStatus.VERIFY), "not-converged", message, message);
        return new AgentStatus(AgentStatus.FAILED, message, Optional.of(seen), status.appliedCommit(), Instant.now(),
            status.lastSuccess(), reconciles, changes, AgentStatus.VERIFY);
      }
      enforcedState = new Enforced(checked.state(), enforced);
      String message = outcome.changes() + " changes (" + why + ")";
      LOG.atInfo().addKeyValue("event", "applied").addKeyValue("commit", commitText).addKeyValue("changes", outcome.changes())
          .log("applied commit {}: {}", commitText, message);
      return new AgentStatus(AgentStatus.APPLIED, message, Optional.of(seen), enforced, Instant.now(), Optional.of(Instant.now()),
          reconciles, changes);
    } catch (RuntimeException e) {
      return stageFailure(AgentStatus.APPLY, "reconciling commit " + commitText + " failed: " + e.getMessage(), seen,
          reconciles);
    }
  }

  private AgentStatus stageFailure(String stage, String message, String seen, long reconciles) {
    logOnce(LOG.atError().addKeyValue("stage", stage), stage + "-failed", message, message);
    return failure(AgentStatus.FAILED, stage, message, Optional.of(seen), reconciles);
  }

  private AgentStatus failure(String result, String stage, String message, Optional<String> seen, long reconciles) {
    return new AgentStatus(result, message, seen, status.appliedCommit(), Instant.now(), status.lastSuccess(), reconciles,
        status.changesApplied(), stage);
  }

  /**
   * Checks a commit's desired state. Whatever goes wrong reading it is a finding about the commit,
   * never an exception out of the reconcile: a missing --path says so, and a failure inside the
   * check (a bug) is reported with the commit.
   */
  private DesiredStateCheck.Checked load(String commit, Path desiredDir) {
    if (!Files.exists(desiredDir)) {
      return DesiredStateCheck.Checked.failed(Diagnostic.error("missing-path", Location.ofFile(subPath),
          "the path \"" + subPath + "\" does not exist in commit " + commit,
          "point --path at the directory of the desired state inside the repository, or add it in a new commit"));
    }
    try {
      Path real = desiredDir.toRealPath();
      if (!real.startsWith(source.checkout().toRealPath())) {
        // a committed link as --path: the agent, as root, would read and quote files of the host
        return DesiredStateCheck.Checked.failed(Diagnostic.error("link-outside", Location.ofFile(subPath),
            "the path \"" + subPath + "\" leads out of the repository in commit " + commit + " (a link to "
                + real + ")", "point --path at a directory inside the repository, or make the link "
                + "in a new commit lead to one"));
      }
      return DesiredStateCheck.run(List.of(desiredDir));
    } catch (IOException e) {
      return DesiredStateCheck.Checked.failed(Diagnostic.error("unreadable-file", Location.ofFile(subPath),
          "the path \"" + subPath + "\" cannot be read in commit " + commit + ": " + IoReasons.of(e),
          "point --path at the directory of the desired state inside the repository"));
    } catch (RuntimeException e) {
      return DesiredStateCheck.Checked.failed(Diagnostic.error("load-failed", Location.ofFile(subPath),
          "netform could not read the desired state: " + e, "this is a bug in netform; the commit is kept out meanwhile"));
    }
  }

  /** The first findings of a refused commit, each with its file, line and column. */
  private static String located(DesiredStateCheck.Checked checked) {
    List<Diagnostic> errors = checked.diagnostics().stream().filter(Diagnostic::isError).limit(5).toList();
    return String.join("; ", errors.stream().map(d -> d.location() + ": " + d.message()).toList());
  }

  /** The longest source record (a URL and a path) told in a status; a longer file is not netform's. */
  private static final int SOURCE_RECORD_BYTES = 4096;

  /**
   * The commit enforced meanwhile, in words: its id, and its source when that is not this agent's
   * (an agent started with another --source keeps the host as the earlier source left it).
   */
  private String kept() {
    String commit = status.appliedCommit().orElse("nothing");
    Optional<String> from = host.state().readIfPresent(host.state().lastGoodSource(), "the source of the last good copy")
        .filter(b -> b.length <= SOURCE_RECORD_BYTES) // netform writes one line: anything longer is not its record
        .map(b -> new String(b, java.nio.charset.StandardCharsets.UTF_8).strip());
    return from.filter(f -> !f.equals(sourceShown())).map(f -> commit + " (the last good commit of another source, " + f
        + ", until a commit of this one is applied)").orElse(commit);
  }

  /** This agent's source and the path in it, as the last good copy records it. */
  private String sourceShown() {
    return source.shown() + (subPath.isEmpty() || subPath.equals(".") ? "" : " path " + subPath);
  }

  /** The kept copy of the last enforced commit's desired state, checked once per copy. */
  private Optional<DesiredStateCheck.Checked> lastGood() {
    if (!Files.isDirectory(lastGoodDir())) {
      return Optional.empty();
    }
    if (lastGoodChecked == null) {
      lastGoodChecked = DesiredStateCheck.run(List.of(lastGoodDir()));
    }
    return Optional.of(lastGoodChecked);
  }

  /**
   * Logs a problem once for as long as it stays the same (a refused commit is seen at every poll):
   * again only when it changes, or after the agent was fine in between.
   */
  private void logOnce(LoggingEventBuilder level, String event, String key, String message) {
    if (key.equals(lastLogged)) {
      return;
    }
    lastLogged = key;
    level.addKeyValue("event", event).log(message);
  }

  /** One line per change, with its parts as key-values for the JSON log format. */
  private static void logChanges(Plan plan, String what, Optional<String> commit, String why) {
    plan.changes().forEach(c -> LOG.atInfo().addKeyValue("event", "change").addKeyValue("action", c.action().name().toLowerCase())
        .addKeyValue("kind", c.object().kindLabel()).addKeyValue("object", c.object().displayName())
        .addKeyValue("commit", commit.orElse("")).addKeyValue("trigger", why)
        .log("{} ({}): {} {} {}", what, why, c.action().symbol, c.object().kindLabel(), c.object().displayName()));
  }

  /**
   * Keeps the desired state in the state directory: into a new private directory, then one rename.
   * What is kept is the texts the check read, each under its path below {@code desiredDir}: exactly
   * the state enforced, nothing the loader refused or never read (a link out, an ignored file).
   */
  private void keepAsLastGood(Path desiredDir, DesiredStateCheck.Checked checked) {
    Path target = lastGoodDir();
    Path staging = host.state().lastGoodStaging();
    try {
      deleteTree(staging);
      Files.createDirectory(staging, StateDirectory.PRIVATE_DIRECTORY); // new: nothing planted is written through
      for (var text : checked.texts().entrySet()) {
        Path to = staging.resolve(desiredDir.relativize(Path.of(text.getKey())).toString()).normalize();
        if (!to.startsWith(staging)) {
          throw new IOException(text.getKey() + " is not below " + desiredDir);
        }
        Files.createDirectories(to.getParent());
        Files.writeString(to, text.getValue());
      }
      Files.deleteIfExists(host.state().lastGoodSource()); // no word of a source until the copy is in place
      deleteTree(target);
      Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
      lastGoodChecked = null;
      host.state().write(host.state().lastGoodSource(), "the source of the last good copy", sourceShown() + "\n");
    } catch (IOException e) {
      throw host.state().failure("keep the last good desired state in", staging, e);
    }
  }

  /** Deletes {@code p} and what is under it; a link is deleted itself, never followed. */
  private static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p, StateDirectory.NO_FOLLOW)) {
      return;
    }
    try (Stream<Path> s = Files.walk(p)) {
      for (Path f : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(f);
      }
    }
  }

  private AgentStatus record(AgentStatus s) {
    if (!s.isError()) {
      lastLogged = null; // fine again: the next problem is news
    }
    AgentStatus written = run.map(s::by).orElse(s);
    status = written;
    written.write(host.state());
    return written;
  }
}
