package io.netform.converge;

import io.netform.compile.TargetState;
import io.netform.diagnostics.Diagnostic;
import io.netform.model.ObservedHost;
import io.netform.plan.Plan;
import java.util.List;

/** A plan with what it was made from: the host as observed and the target with its problems. */
public record Proposal(ObservedHost before, TargetState target, Plan plan) {

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
