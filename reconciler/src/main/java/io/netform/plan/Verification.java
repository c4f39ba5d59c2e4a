package io.netform.plan;

import io.netform.model.KernelObject;
import io.netform.model.ObservedHost;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Whether a host holds what a plan promised. */
public final class Verification {

  private Verification() {}

  /** The changes whose object the host does not hold as the plan left it, as plan lines. */
  public static List<String> unconverged(Plan plan, ObservedHost after) {
    List<String> out = new ArrayList<>();
    for (Change c : plan.changes()) {
      Optional<KernelObject> seen = after.owned().get(c.key());
      boolean ok = c.after().isPresent()
          ? seen.isPresent() && seen.get().comparedAttributes().equals(c.after().get().comparedAttributes())
          : seen.isEmpty();
      if (!ok) {
        out.add(line(c));
      }
    }
    return out;
  }

  /** A change as one plan line: {@code + veth web/eth0 <-> nfv…}. */
  public static String line(Change c) {
    return c.action().symbol + " " + c.object().kindLabel() + " " + c.object().displayName();
  }
}
