package io.netform.cli;

import io.netform.converge.Converger;
import io.netform.converge.Goal;
import io.netform.converge.Proposal;
import io.netform.desired.DesiredState;
import io.netform.diagnostics.render.Style;
import io.netform.fleet.HostChoice;
import io.netform.fleet.LocalState;
import io.netform.kernel.HostLock;
import io.netform.kernel.firewall.FirewallException;
import io.netform.kernel.firewall.FirewallKind;
import io.netform.kernel.sandbox.SandboxFleet;
import io.netform.model.ObservedHost;
import io.netform.net.IpAddress;
import io.netform.plan.Plan;
import io.netform.plan.SavedPlan;
import io.netform.plan.SavedPlanCheck;
import io.netform.rollback.Checkpoint;
import io.netform.rollback.Checkpoints;
import io.netform.snapshot.Fingerprint;
import io.netform.snapshot.SnapshotException;
import io.netform.validate.DesiredStateCheck;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "apply", mixinStandardHelpOptions = true,
    description = {"Make the host match the desired state with the fewest changes: observe, plan, confirm, apply, verify.",
        "Asks for confirmation on a terminal; --auto-approve for scripts. Needs root, or use --sandbox.",
        "An apply that stops part-way removes what it had created and says whether running it again can help."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:applied and verified (or nothing to do)", "1:error: invalid desired state, conflict, kernel error, "
        + "declined, or the host did not converge"})
final class ApplyCommand implements Callable<Integer> {

  private static final String AGAIN = "make the plan again with: netform plan --out FILE PATH";

  @Parameters(arity = "1..*", paramLabel = "PATH", description = "Desired-state files or directories, or one saved plan "
      + "('netform plan --out FILE'; known by its content, whatever its name, and any *.json is read as one). It is "
      + "applied with the --host and --firewall-backend it was made with (a plan made from a snapshot without one: this "
      + "apply's).")
  List<Path> paths;

  @Mixin
  ChangeOptions change;

  @Option(names = "--confirm-within", paramLabel = "DURATION",
      description = {"Keep what netform held before this apply as a checkpoint, and go back to it unless 'netform "
          + "confirm' comes within DURATION (e.g. 90s, 5m): a change that cuts you off undoes itself. "
          + "'netform rollback' goes back at once. Meanwhile other applies and destroys are refused and the agent "
          + "pauses."})
  Duration confirmWithin;

  @Mixin
  HostAccess access;

  @Mixin
  HostOption host;

  @Override
  public Integer call() throws Exception {
    Style style = change.color.style();
    boolean saved = paths.size() == 1 && (paths.get(0).toString().endsWith(".json") || SavedPlan.holdsOne(paths.get(0)));
    if (confirmWithin != null) {
      checkConfirmable(saved);
    }
    if (saved) {
      return applySaved(paths.get(0), style);
    }
    DesiredStateCheck.Checked checked = DesiredStateCheck.run(paths);
    if (!checked.valid()) {
      return Refusal.print(checked.diagnostics(), checked, style, "nothing applied");
    }
    if (access.sandbox && host.host == null && checked.state().fleet().declared()) {
      return applyInSandboxFleet(checked, style);
    }
    LocalState local = host.local(checked.state()); // an unknown --host is refused before the host is touched
    try (HostAccess.Opened opened = access.open();
         HostLock lock = HostChange.lockForChange(opened, "apply")) {
      HostChange hostChange = new HostChange(opened, style, "apply");
      AtomicReference<Checkpoint> made = new AtomicReference<>();
      if (confirmWithin != null) {
        hostChange = hostChange.beforeChanging(before -> made.set(checkpoint(opened, before)));
      }
      int code = hostChange.run(Goal.of(local), checked, change.autoApprove,
          () -> opened.sandbox().ifPresent(s -> System.out.print(SandboxReport.of(s, local.state()))));
      Optional.ofNullable(made.get()).ifPresent(c -> awaitConfirmation(opened, c, code));
      if (code == ExitCodes.OK && opened.sandbox().isPresent()) {
        return ExpectationCheck.run(opened.host(), checked.state(), host.name(checked.state()), local,
            ExpectationCheck.DEFAULT_TIMEOUT);
      }
      return code;
    }
  }

  /**
   * The time to confirm starts when the apply is done (however long it took); a failed apply's
   * checkpoint stays too, since it may have changed or deleted what it did not create.
   */
  private void awaitConfirmation(HostAccess.Opened opened, Checkpoint made, int code) {
    Checkpoint c = made.renewed(Instant.now(), confirmWithin);
    new Checkpoints(opened.host().state()).update(c);
    String within = confirmWithin.toString().substring(2).toLowerCase(java.util.Locale.ROOT);
    if (code == ExitCodes.OK) {
      System.out.println("Confirm within " + within + " with 'netform confirm': otherwise, at " + c.deadline()
          + ", netform puts back what this host held before this apply ('netform rollback' does it now). Checkpoint "
          + c.id() + ".");
    } else {
      System.err.println("netform: checkpoint " + c.id() + " stays: 'netform rollback' puts back what this host held "
          + "before this apply now, and its timer does at " + c.deadline() + " unless 'netform confirm' keeps the host "
          + "as it is.");
    }
  }

  private void checkConfirmable(boolean saved) {
    if (access.sandbox) {
      throw new UserError("--confirm-within keeps a checkpoint on a host; a sandbox is removed when this command ends");
    }
    if (saved) {
      throw new UserError("--confirm-within applies a desired state, not a saved plan: run apply on the desired state");
    }
    RollbackTimer.checkCanStart();
  }

  /** Keeps what the host held, then starts the timer that goes back to it: both before anything changes. */
  private Checkpoint checkpoint(HostAccess.Opened opened, ObservedHost before) {
    Checkpoint c = Checkpoint.starting(Instant.now(), confirmWithin, "netform apply " + String.join(" ",
        paths.stream().map(Path::toString).toList()));
    Checkpoints checkpoints = new Checkpoints(opened.host().state());
    checkpoints.save(c, before);
    try {
      RollbackTimer.start(c, access, opened.host().state());
    } catch (RuntimeException e) {
      checkpoints.clear(); // no timer, no checkpoint: nothing changed yet
      throw e;
    }
    return c;
  }

  /**
   * A multi-host desired state with {@code --sandbox}: one sandbox host per declared host on one
   * LAN, each given its share in turn, then reachability across them.
   */
  private int applyInSandboxFleet(DesiredStateCheck.Checked checked, Style style) throws Exception {
    Map<String, IpAddress> addresses = new LinkedHashMap<>();
    Map<String, DesiredState> shares = new LinkedHashMap<>();
    checked.state().fleet().hosts().forEach((name, h) -> addresses.put(name, h.address()));
    Map<String, LocalState> locals = LocalState.shares(checked.state());
    try (SandboxFleet fleet = access.openFleet(addresses)) {
      for (String name : addresses.keySet()) {
        LocalState share = locals.get(name);
        shares.put(name, share.state());
        System.out.println("\n=== host " + name + " (" + addresses.get(name) + ")");
        // The fleet closes the sandbox hosts; nothing to close per host.
        HostAccess.Opened opened = new HostAccess.Opened(fleet.host(name).host(), Optional.empty());
        int code = new HostChange(opened, style, "apply").run(Goal.of(share), checked, change.autoApprove, () -> { });
        if (code != ExitCodes.OK) {
          return code;
        }
      }
      System.out.print(SandboxReport.ofFleet(fleet, shares));
      int code = ExitCodes.OK;
      for (String name : addresses.keySet()) {
        code = Math.max(code, ExpectationCheck.run(fleet.host(name).host(), checked.state(), name, locals.get(name),
            ExpectationCheck.DEFAULT_TIMEOUT));
      }
      return code;
    }
  }

  /**
   * Applies exactly a saved plan, and only to the host state it was made against: the desired state
   * it carries is checked and planned again against the host now, and only if that plan has the
   * file's changes (the file may have been edited) are they carried out; see {@link SavedPlanCheck}.
   */
  private int applySaved(Path file, Style style) throws Exception {
    if (host.host != null) {
      throw new UserError("--host is kept in the saved plan " + file + " (the host it was made for): leave it out, or "
          + "make the plan again with: netform plan --host NAME --out FILE PATH");
    }
    SavedPlan saved;
    try {
      saved = SavedPlan.read(file);
    } catch (SnapshotException e) {
      throw new UserError(e.getMessage());
    }
    access.firewall = firewallOf(file, saved);
    DesiredStateCheck.Checked checked = DesiredStateCheck.run(saved.from().texts());
    if (!checked.valid()) {
      Refusal.printHuman(checked.diagnostics(), checked, style);
      throw new UserError("nothing applied: the desired state kept in " + file + " has the errors above; fix them in "
          + "its files and " + AGAIN);
    }
    Goal goal = Goal.of(share(file, saved, checked));
    try (HostAccess.Opened opened = access.open();
         HostLock lock = HostChange.lockForChange(opened, "apply " + file)) {
      Proposal proposal;
      try {
        proposal = new Converger(opened.host()).propose(goal);
      } catch (FirewallException e) {
        throw new UserError(e.getMessage() + ". Nothing was changed.");
      }
      ObservedHost now = proposal.before();
      if (saved.isStaleFor(now)) {
        throw new UserError("the saved plan " + file + " is stale: the host changed since it was made ("
            + saved.fingerprint() + " then, " + Fingerprint.of(now) + " now). Nothing applied; plan again.");
      }
      if (!proposal.errors().isEmpty()) {
        return Refusal.print(proposal.target().problems(), checked, style, "nothing applied");
      }
      Plan plan = verified(file, saved, proposal.plan());
      return new HostChange(opened, style, "apply").runExactly(plan, () -> now, change.autoApprove);
    }
  }

  /**
   * The firewall backend the plan was made with, which it is applied with: the plan's changes were
   * made against that backend's rules. Another one chosen here is refused, as --host is. A plan
   * that keeps none (made from a snapshot without a choice) takes this apply's.
   */
  private FirewallKind firewallOf(Path file, SavedPlan saved) {
    if (saved.from().firewallBackend().isEmpty()) {
      return access.firewall();
    }
    String kept = saved.from().firewallBackend().get();
    FirewallKind kind = FirewallKind.parse(kept).orElseThrow(() -> new UserError(file + ": \"desired_state."
        + "firewall_backend\" is \"" + kept + "\", not iptables or nftables; " + AGAIN));
    if (access.firewall() == kind) {
      return kind;
    }
    String madeWith = "the saved plan " + file + " was made with the firewall backend " + kind.text() + ", which it is "
        + "applied with";
    String again = "make the plan again with: netform plan --firewall-backend " + access.firewall().text()
        + " --out FILE PATH";
    if (!access.given("--firewall-backend").isEmpty()) {
      throw new UserError("--firewall-backend " + access.firewall().text() + ": " + madeWith + ": leave it out, or "
          + again);
    }
    String environment = System.getenv(FirewallKind.ENVIRONMENT);
    if (environment != null && !environment.isBlank()) {
      throw new UserError(FirewallKind.ENVIRONMENT + "=" + environment + ": " + madeWith + ": unset it, or " + again);
    }
    return kind;
  }

  /** The share of the desired state the plan was made for: the host kept in it. */
  private static LocalState share(Path file, SavedPlan saved, DesiredStateCheck.Checked checked) {
    Set<String> hosts = checked.state().fleet().hosts().keySet();
    if (saved.from().host().isEmpty() && !hosts.isEmpty()) {
      throw new UserError(file + ": the plan names no host of its multi-host desired state (" + String.join(", ", hosts)
          + "), so which share to apply is unknown: the file was edited or not made by this netform; " + AGAIN);
    }
    try {
      return HostChoice.share(checked.state(), saved.from().host(), "");
    } catch (HostChoice.NoSuchHost e) {
      throw new UserError(file + ": the host the plan was made for does not fit its desired state: " + e.getMessage()
          + "; " + AGAIN);
    }
  }

  private static Plan verified(Path file, SavedPlan saved, Plan planned) {
    try {
      return SavedPlanCheck.verified(saved.plan(), planned);
    } catch (SavedPlanCheck.Mismatch e) {
      throw new UserError(file + ": " + e.getMessage() + ". The plan's changes are not what its desired state makes on "
          + "this host, so nothing was applied; " + AGAIN);
    }
  }
}
