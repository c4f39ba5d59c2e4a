package io.netform.plan;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The changes that take an observed host to a target, plus conflicts that forbid applying it.
 * Counting follows Terraform: a replacement is one add and one destroy.
 */
public record Plan(List<Change> changes, List<PlanConflict> conflicts) {

  public Plan {
    changes = List.copyOf(changes);
    conflicts = List.copyOf(conflicts);
  }

  public boolean isEmpty() {
    return changes.isEmpty();
  }

  public boolean hasConflicts() {
    return !conflicts.isEmpty();
  }

  public long toAdd() {
    return changes.stream().filter(c -> c.action() == Action.CREATE || c.action() == Action.REPLACE).count();
  }

  public long toChange() {
    return changes.stream().filter(c -> c.action() == Action.UPDATE).count();
  }

  public long toDestroy() {
    return changes.stream().filter(c -> c.action() == Action.DELETE || c.action() == Action.REPLACE).count();
  }

  /**
   * Primitive steps in dependency order: deletions first, most dependent objects first (a
   * replacement's delete included), then creations and updates, dependencies first.
   */
  public List<Step> steps() {
    List<Step> deletes = new ArrayList<>();
    List<Step> creates = new ArrayList<>();
    for (Change c : changes) {
      switch (c.action()) {
        case DELETE -> deletes.add(new Step(Step.Kind.DELETE, c.before().orElseThrow(), c.before()));
        case CREATE -> creates.add(new Step(Step.Kind.CREATE, c.after().orElseThrow(), Optional.empty()));
        case UPDATE -> creates.add(new Step(Step.Kind.UPDATE, c.after().orElseThrow(), c.before()));
        case REPLACE -> {
          deletes.add(new Step(Step.Kind.DELETE, c.before().orElseThrow(), c.before()));
          creates.add(new Step(Step.Kind.CREATE, c.after().orElseThrow(), Optional.empty()));
        }
      }
    }
    deletes.sort(Comparator.comparingInt((Step s) -> -s.object().rank()).thenComparing(s -> s.object().key()));
    creates.sort(Comparator.comparingInt((Step s) -> s.object().rank()).thenComparing(s -> s.object().key()));
    List<Step> out = new ArrayList<>(deletes);
    out.addAll(creates);
    return out;
  }
}
