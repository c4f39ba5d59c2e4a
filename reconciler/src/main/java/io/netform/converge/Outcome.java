package io.netform.converge;

import io.netform.plan.Plan;
import java.util.List;
import java.util.Optional;

/**
 * What an apply did: the plan it ran and any further rounds (changes the kernel's side effects
 * made necessary, e.g. a route the kernel flushed with an old address), what still differs from
 * the goal afterwards, and, when it stopped on an error, the error and what was undone.
 */
public record Outcome(Plan plan, List<Plan> rounds, List<String> unconverged, Optional<Failure> failure, long millis) {

  public Outcome {
    rounds = List.copyOf(rounds);
    unconverged = List.copyOf(unconverged);
  }

  /** The host matches the goal, verified by a fresh observation. */
  public boolean converged() {
    return failure.isEmpty() && unconverged.isEmpty();
  }

  /** How many objects were created, changed or deleted, all rounds included. */
  public long changes() {
    return plan.changes().size() + rounds.stream().mapToLong(r -> r.changes().size()).sum();
  }

  /**
   * An apply that stopped part-way: why, how many of the objects it had created were removed
   * again, and whether running again can help (the cause may pass) or the desired state or the
   * host must change first.
   */
  public record Failure(String message, int undone, List<String> undoFailed, boolean retryCanHelp) {

    public Failure {
      undoFailed = List.copyOf(undoFailed);
    }
  }
}
