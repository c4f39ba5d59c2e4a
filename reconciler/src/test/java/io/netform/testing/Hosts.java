package io.netform.testing;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netform.compile.Decompiler;
import io.netform.compile.TargetState;
import io.netform.converge.Converger;
import io.netform.converge.Goal;
import io.netform.converge.Outcome;
import io.netform.converge.Proposal;
import io.netform.desired.DesiredState;
import io.netform.kernel.KernelHost;
import io.netform.kernel.observe.HostObserver;
import io.netform.model.HostModel;
import io.netform.model.ObservedHost;
import io.netform.plan.Plan;
import io.netform.plan.Planner;
import io.netform.validate.DesiredStateCheck;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** The fixtures tests share: desired states from text or examples, targets, plans, and convergence on a host. */
public final class Hosts {

  private Hosts() {}

  /** What show makes of a host without overlay networks (one with them is named "this-host"). */
  public static DesiredState shown(HostModel owned) {
    return Decompiler.show(owned, new Decompiler.ThisHost("this-host", Optional.empty())).state();
  }

  /** A desired state from YAML text; it must validate. */
  public static DesiredState desired(String yaml) {
    DesiredStateCheck.Checked checked = DesiredStateCheck.runText("test.yaml", yaml);
    assertTrue(checked.valid(), checked.diagnostics()::toString);
    return checked.state();
  }

  /** One of the repository's examples, by file name. */
  public static DesiredState example(String name) {
    return DesiredStateCheck.run(List.of(RepoFiles.examples().resolve(name))).state();
  }

  public static DesiredState examples(Path... files) {
    return DesiredStateCheck.run(List.of(files)).state();
  }

  /** The target model of {@code desired} on a host as observed (allocation sticky to it). */
  public static HostModel target(DesiredState desired, ObservedHost observed) {
    return TargetState.against(desired, observed).model();
  }

  public static Plan plan(DesiredState desired, ObservedHost observed) {
    return Planner.plan(target(desired, observed), observed);
  }

  /** Whether {@code host} holds exactly {@code desired}: a fresh observation plans to nothing. */
  public static boolean inSync(KernelHost host, DesiredState desired) {
    return plan(desired, new HostObserver(host).observe()).isEmpty();
  }

  /**
   * Brings {@code host} to {@code desired} the way every command does (the Converger): the plan
   * must not be blocked, and the apply must converge, verified.
   */
  public static Outcome converge(KernelHost host, DesiredState desired) {
    return converge(host, Goal.of(desired));
  }

  /** As above, for one host's share of a multi-host desired state. */
  public static Outcome converge(KernelHost host, io.netform.fleet.LocalState local) {
    return converge(host, Goal.of(local));
  }

  /**
   * One sandbox host per declared host of {@code desired}, on one LAN, each holding its share of
   * it, each cold apply's plan foreseeing all of it (no extra round after the verification).
   */
  public static io.netform.kernel.sandbox.SandboxFleet wiredFleet(DesiredState desired) throws java.io.IOException {
    return wiredFleet(desired, io.netform.kernel.firewall.FirewallKind.IPTABLES);
  }

  /** As {@link #wiredFleet(DesiredState)}, each host's firewall rules going to {@code firewall}. */
  public static io.netform.kernel.sandbox.SandboxFleet wiredFleet(DesiredState desired,
      io.netform.kernel.firewall.FirewallKind firewall) throws java.io.IOException {
    java.util.Map<String, io.netform.net.IpAddress> addresses = new java.util.LinkedHashMap<>();
    desired.fleet().hosts().forEach((name, h) -> addresses.put(name, h.address()));
    io.netform.kernel.sandbox.SandboxFleet fleet = io.netform.kernel.sandbox.SandboxFleet.create(
        java.nio.file.Files.createTempDirectory("netform-sandboxes"), addresses, firewall);
    try {
      for (String host : addresses.keySet()) {
        Outcome cold = converge(fleet.host(host).host(), io.netform.fleet.LocalState.forHost(desired, host));
        assertTrue(cold.rounds().isEmpty(), () -> host + "'s cold apply needed more rounds: " + cold.rounds());
      }
    } catch (RuntimeException | AssertionError e) {
      fleet.close();
      throw e;
    }
    return fleet;
  }

  /** Brings {@code host} to {@code goal} (e.g. a destroy's, Goal.without), converged and verified. */
  public static Outcome converge(KernelHost host, Goal goal) {
    Converger converger = new Converger(host);
    Proposal proposal = converger.propose(goal);
    assertFalse(proposal.isBlocked(), () -> proposal.plan().conflicts() + " " + proposal.errors());
    Outcome outcome = converger.apply(proposal, goal, step -> { });
    assertTrue(outcome.converged(), () -> "not converged: " + outcome.unconverged() + " " + outcome.failure());
    return outcome;
  }
}
