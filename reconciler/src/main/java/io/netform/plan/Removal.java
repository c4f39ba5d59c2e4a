package io.netform.plan;

import io.netform.model.HostModel;
import io.netform.model.KernelObject;
import io.netform.model.Owner;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** The target of a destroy: what netform owns, less what the destroyed owners own. */
public final class Removal {

  private Removal() {}

  /** What stays: objects of other owners, and host-wide ones while any network or container object stays. */
  public static HostModel remaining(HostModel owned, Set<Owner> destroyed) {
    List<KernelObject> kept = owned.objects().values().stream()
        .filter(o -> o.owner().kind() != Owner.Kind.HOST && !destroyed.contains(o.owner())).toList();
    if (kept.isEmpty()) {
      return HostModel.empty();
    }
    List<KernelObject> withHost = new ArrayList<>(kept);
    owned.objects().values().stream().filter(o -> o.owner().kind() == Owner.Kind.HOST).forEach(withHost::add);
    return HostModel.of(withHost);
  }

  /**
   * What stays of {@code now} when the objects a failed apply created are taken away again: every
   * object that was there {@code before} (as it is now), and nothing else.
   */
  public static HostModel undoCreations(HostModel before, HostModel now) {
    List<KernelObject> kept = now.objects().values().stream().filter(o -> before.get(o.key()).isPresent()).toList();
    return HostModel.of(kept);
  }
}
