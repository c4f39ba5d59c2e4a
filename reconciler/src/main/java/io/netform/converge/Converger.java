package io.netform.converge;

import io.netform.kernel.KernelHost;
import io.netform.kernel.Preflight;
import io.netform.kernel.apply.KernelExecutor;
import io.netform.kernel.ffi.Errno;
import io.netform.kernel.ffi.SyscallException;
import io.netform.kernel.netlink.NetlinkException;
import io.netform.kernel.observe.HostObserver;
import io.netform.model.ObservedHost;
import io.netform.plan.Plan;
import io.netform.plan.Planner;
import io.netform.plan.Removal;
import io.netform.plan.Verification;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.IntConsumer;
import java.util.stream.Stream;

/**
 * The one way netform brings a host to a goal, for every command, the agent and the benchmarks:
 * observe, target, plan ({@link #propose}); then execute, observe again and verify ({@link #apply}).
 * The kernel's side effects that a plan did not foresee are re-planned and carried out within the
 * same apply, in a bounded number of rounds. An execution that stops on an error removes what
 * it had created, so a failed apply does not leave a half-built host.
 */
public final class Converger {

  /** The first execution and at most this many more rounds for the kernel's side effects. */
  static final int EXTRA_ROUNDS = 2;

  /** errnos after which the same change can succeed later: the kernel or another program was busy. */
  private static final Set<Integer> TRANSIENT = Set.of(Errno.EAGAIN, Errno.EINTR, Errno.ENOBUFS, 16 /* EBUSY */,
      Errno.ETIMEDOUT, 12 /* ENOMEM */);

  private final KernelHost host;
  private final HostObserver observer;
  private final HostObserver fresh;

  /** Observes through {@code view} (a view kept current by events), and afresh where a view cannot be trusted. */
  public Converger(KernelHost host, HostObserver view) {
    this.host = host;
    this.observer = view;
    this.fresh = new HostObserver(host);
  }

  /** Observes the host afresh every time. */
  public Converger(KernelHost host) {
    this.host = host;
    this.fresh = new HostObserver(host);
    this.observer = fresh;
  }

  /**
   * Observes the host and plans the way to the goal; changes nothing. Checks that the tools an
   * observation and an apply need are there (a FirewallException naming what to install): iptables
   * first, ip6tables once the plan shows IPv6 rules are involved.
   */
  public Proposal propose(Goal goal) {
    Preflight.check(host);
    Proposal proposal = Proposal.against(observer.observe(), goal);
    Preflight.checkIpv6(host, Stream.concat(proposal.target().model().objects().values().stream(),
        proposal.before().owned().objects().values().stream()));
    Preflight.checkAlone(host, proposal.target().model().objects().values().stream(),
        proposal.before().owned().objects().values().stream());
    return proposal;
  }

  /**
   * Carries out a proposal that is not blocked, then verifies by observing again; what the
   * kernel undid or took along meanwhile is planned and carried out again, at most
   * {@link #EXTRA_ROUNDS} times. {@code progress} hears of the first plan's steps.
   */
  public Outcome apply(Proposal proposal, Goal goal, IntConsumer progress) {
    if (proposal.isBlocked()) {
      throw new IllegalArgumentException("a blocked proposal is never applied");
    }
    long started = System.nanoTime();
    List<Plan> rounds = new ArrayList<>();
    Optional<Outcome.Failure> failure = execute(proposal.plan(), proposal.before(), progress);
    if (failure.isPresent() && observer != fresh) {
      // A view kept by events can be caught mid-update (an interface deleted outside, its ports
      // already released): plan once more from a fresh read before calling it a failure.
      Proposal again = Proposal.against(fresh.observe(), goal);
      if (!again.isBlocked()) {
        rounds.add(again.plan());
        failure = execute(again.plan(), again.before(), step -> { });
      }
    }
    List<String> unconverged = List.of();
    if (failure.isEmpty()) {
      for (int round = 0; ; round++) {
        Proposal after = propose(goal);
        if (after.plan().isEmpty() && after.errors().isEmpty()) {
          break;
        }
        if (round == EXTRA_ROUNDS || after.isBlocked()) {
          List<String> left = new ArrayList<>(after.plan().changes().stream().map(Verification::line).toList());
          after.plan().conflicts().forEach(c -> left.add("conflict: " + c.message()));
          after.errors().forEach(d -> left.add(d.location() + ": " + d.message()));
          unconverged = left;
          break;
        }
        rounds.add(after.plan());
        failure = execute(after.plan(), after.before(), step -> { });
        if (failure.isPresent()) {
          break;
        }
      }
    }
    return new Outcome(proposal.plan(), rounds, unconverged, failure, (System.nanoTime() - started) / 1_000_000);
  }

  /**
   * Carries out exactly {@code plan} (a saved plan) and verifies that the host then holds what it
   * promised; nothing else is planned.
   */
  public Outcome applyExactly(Plan plan, ObservedHost before, IntConsumer progress) {
    long started = System.nanoTime();
    Optional<Outcome.Failure> failure = execute(plan, before, progress);
    List<String> unconverged = failure.isPresent() ? List.of() : Verification.unconverged(plan, observer.observe());
    return new Outcome(plan, List.of(), unconverged, failure, (System.nanoTime() - started) / 1_000_000);
  }

  /** Runs a plan; on an error, removes what this run created and says what happened. */
  private Optional<Outcome.Failure> execute(Plan plan, ObservedHost before, IntConsumer progress) {
    if (plan.isEmpty()) {
      return Optional.empty();
    }
    try (KernelExecutor executor = new KernelExecutor(host)) {
      executor.apply(plan, progress);
      return Optional.empty();
    } catch (RuntimeException e) {
      return Optional.of(undo(before, e));
    }
  }

  private Outcome.Failure undo(ObservedHost before, RuntimeException cause) {
    List<String> undoFailed = new ArrayList<>();
    int undone = 0;
    try {
      ObservedHost now = fresh.observe();
      Plan back = Planner.plan(Removal.undoCreations(before.owned(), now.owned()), now);
      undone = back.changes().size();
      if (!back.isEmpty()) {
        try (KernelExecutor executor = new KernelExecutor(host)) {
          executor.apply(back, step -> { });
        }
        undoFailed = Verification.unconverged(back, fresh.observe());
        undone -= undoFailed.size();
      }
    } catch (RuntimeException e) {
      undoFailed.add("undoing stopped too: " + e.getMessage());
    }
    return new Outcome.Failure(String.valueOf(cause.getMessage()), undone, undoFailed, retryCanHelp(cause));
  }

  private static boolean retryCanHelp(RuntimeException e) {
    if (e instanceof NetlinkException n) {
      return TRANSIENT.contains(n.errno());
    }
    if (e instanceof SyscallException s) {
      return TRANSIENT.contains(s.errno());
    }
    return false;
  }
}
