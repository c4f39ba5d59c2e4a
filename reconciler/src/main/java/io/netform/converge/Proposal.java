package io.netform.converge;

import io.netform.compile.TargetState;
import io.netform.diagnostics.Diagnostic;
import io.netform.model.ObservedHost;
import io.netform.plan.Plan;
import io.netform.plan.Planner;
import java.util.List;

/** A plan with what it was made from: the host as observed and the target with its problems. */
public record Proposal(ObservedHost before, TargetState target, Plan plan) {

  /** The plan from {@code observed} to {@code goal}: from a live read, a snapshot, or an empty host. */
  public static Proposal against(ObservedHost observed, Goal goal) {
    TargetState target = goal.target(observed);
    return new Proposal(observed, target, Planner.plan(target.model(), observed));
  }

  /** Errors of the desired state that only the host reveals (e.g. addresses exhausted). */
  public List<Diagnostic> errors() {
    return target.problems().stream().filter(Diagnostic::isError).toList();
  }

  public List<Diagnostic> warnings() {
    return target.problems().stream().filter(d -> !d.isError()).toList();
  }

  /** Nothing may be applied: the desired state is wrong for this host, or collides with what netform does not own. */
  public boolean isBlocked() {
    return !errors().isEmpty() || plan.hasConflicts();
  }
}
