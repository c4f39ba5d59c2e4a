package io.netform.plan;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Whether a saved plan may be carried out: its changes must be exactly the plan made again, from
 * the desired state the file carries to the host as observed now. A plan file is input like any
 * other and may have been edited; checked so, no change of it is trusted alone (a firewall rule
 * added by hand to one of netform's chains is not what its desired state makes), nor its
 * conflicts (those of the plan made again count).
 */
public final class SavedPlanCheck {

  /** A saved plan whose changes differ from the plan made again; the message names the change. */
  public static final class Mismatch extends RuntimeException {
    Mismatch(Change c, String why) {
      super(c.action().text() + " " + c.object().kindLabel() + " " + c.object().displayName() + " (" + c.key() + "): "
          + why);
    }
  }

  private SavedPlanCheck() {}

  /** {@code planned}, the plan made again now, if {@code saved} has its changes; a {@link Mismatch} if not. */
  public static Plan verified(Plan saved, Plan planned) {
    Map<String, Change> needed = new LinkedHashMap<>();
    planned.changes().forEach(c -> needed.put(c.key(), c));
    Map<String, Change> seen = new LinkedHashMap<>();
    for (Change c : saved.changes()) {
      if (seen.put(c.key(), c) != null) {
        throw new Mismatch(c, "the plan changes this object twice");
      }
      Change n = needed.get(c.key());
      if (n == null) {
        throw new Mismatch(c, "made again from its desired state on this host now, the plan has no such change");
      }
      List<String> differ = differences(c, n);
      if (!differ.isEmpty()) {
        throw new Mismatch(c, "made again from its desired state on this host now, this change has another "
            + String.join(", another ", differ));
      }
    }
    for (Change n : planned.changes()) {
      if (!seen.containsKey(n.key())) {
        throw new Mismatch(n, "the plan leaves out this change, which its desired state makes on this host now");
      }
    }
    return planned;
  }

  /** What of {@code c} differs from {@code n}, the change made again: "action", "before", "after". */
  private static List<String> differences(Change c, Change n) {
    List<String> out = new ArrayList<>();
    if (c.action() != n.action()) {
      out.add("action (" + n.action().text() + ")");
    }
    if (!Objects.equals(c.before(), n.before())) {
      out.add("before");
    }
    if (!Objects.equals(c.after(), n.after())) {
      out.add("after");
    }
    return out;
  }
}
