package io.netform.plan;

import io.netform.model.KernelObject;
import io.netform.model.Owner;
import java.util.List;
import java.util.Optional;

/**
 * One object the plan touches: its state before (observed) and after (target), the attributes
 * that differ, and for a cascaded replacement the reason.
 */
public record Change(Action action, String key, Optional<KernelObject> before, Optional<KernelObject> after,
    List<String> changedAttributes, Optional<String> reason) {

  public Change {
    changedAttributes = List.copyOf(changedAttributes);
  }

  public KernelObject object() {
    return after.or(() -> before).orElseThrow();
  }

  public Owner owner() {
    return object().owner();
  }
}
