package io.netform.converge;

import io.netform.compile.OwnerNames;
import io.netform.compile.TargetState;
import io.netform.desired.DesiredState;
import io.netform.diagnostics.Diagnostic;
import io.netform.fleet.LocalState;
import io.netform.model.HostModel;
import io.netform.model.ObservedHost;
import io.netform.model.Owner;
import io.netform.plan.InUse;
import io.netform.plan.Removal;
import io.netform.validate.DestroyRules;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a convergence aims at, as a function of what the host holds (allocation is sticky to the
 * host, a destroy keeps what other owners have): read again after every round of changes.
 */
@FunctionalInterface
public interface Goal {

  TargetState target(ObservedHost observed);

  /** The host as the desired state says. */
  static Goal of(DesiredState desired) {
    return of(LocalState.of(desired));
  }

  /** One host's share of a multi-host desired state (see LocalState). */
  static Goal of(LocalState local) {
    TargetState.LastModel last = new TargetState.LastModel();
    return observed -> TargetState.against(local, observed, last);
  }

  /** Exactly {@code owned}, as netform held it at some moment (a checkpoint to roll back to). */
  static Goal exactly(HostModel owned) {
    return observed -> new TargetState(owned, List.of());
  }

  /**
   * The host without the networks and containers of {@code desired}; an error (nothing may be
   * applied) where something that stays still needs one of them, a warning where netform's name
   * files would stay (see DestroyRules).
   */
  static Goal without(DesiredState desired) {
    Set<Owner> owners = new HashSet<>();
    desired.networks().keySet().forEach(n -> owners.add(Owner.network(n)));
    desired.containers().keySet().forEach(c -> owners.add(Owner.container(c)));
    Map<String, InUse.Held> named = OwnerNames.of(desired);
    return observed -> {
      HostModel kept = Removal.remaining(observed.owned(), owners);
      List<Diagnostic> problems = new ArrayList<>(DestroyRules.check(desired, observed.owned(), kept, named));
      problems.addAll(DestroyRules.leftNameFiles(desired, observed.foreign().names()));
      return new TargetState(kept, problems);
    };
  }
}
