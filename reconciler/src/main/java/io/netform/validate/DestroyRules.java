package io.netform.validate;

import io.netform.desired.DesiredState;
import io.netform.diagnostics.Diagnostic;
import io.netform.model.ForeignNames;
import io.netform.model.HostModel;
import io.netform.model.Owner;
import io.netform.plan.InUse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A destroy of a desired state against the host: it removes no network or container that
 * something it keeps still needs (see {@link InUse}). Errors, located at the network or container
 * in the desired state, so the destroy changes nothing.
 */
public final class DestroyRules {

  private DestroyRules() {}

  /**
   * {@code kept}: the part of {@code owned} the destroy of {@code destroyed} leaves; {@code named}:
   * what the destroyed networks and containers stand for by name (see InUse#of).
   */
  public static List<Diagnostic> check(DesiredState destroyed, HostModel owned, HostModel kept,
      Map<String, InUse.Held> named) {
    List<InUse> inUse = InUse.of(owned, kept, named);
    if (inUse.isEmpty()) {
      return List.of();
    }
    Map<Owner, Map<Owner, List<InUse>>> byOwner = new LinkedHashMap<>(); // removed owner → kept owner → its cases
    inUse.forEach(u -> byOwner.computeIfAbsent(u.owner(), o -> new LinkedHashMap<>())
        .computeIfAbsent(u.dependent().owner(), o -> new ArrayList<>()).add(u));
    Findings out = new Findings(destroyed.sources());
    byOwner.forEach((owner, users) -> {
      String who = users.keySet().stream().map(DestroyRules::describe).collect(Collectors.joining(", "));
      boolean one = users.size() == 1;
      String keeps = who + ", which this destroy keeps, ";
      if (owner.kind() == Owner.Kind.NETWORK) {
        out.errorAtKey(Paths.network(owner.name()), "network-in-use", "network \"" + owner.name() + "\" cannot be "
            + "destroyed: " + keeps + (one ? "is" : "are") + " still attached to it" + example(users),
            "destroy those containers too (add them to the desired state you destroy); to remove only some of the "
                + "network's containers, apply a desired state that leaves them out instead (the network stays for the "
                + "others). Like Docker, netform never removes a network that still has containers attached");
      } else {
        // A container's record needs another container only for the namespace it joined.
        boolean allJoin = users.values().stream().allMatch(cases -> cases.stream().anyMatch(InUse::recorded));
        String why = allJoin ? (one ? "still joins it (shares its network namespace)" : "still join it (share its network namespace)")
            : (one ? "still uses it" : "still use it") + example(users);
        out.errorAtKey(Paths.container(owner.name()), "container-in-use", "container \"" + owner.name() + "\" cannot "
            + "be destroyed: " + keeps + why,
            "destroy those containers too (add them to the desired state you destroy), or keep \"" + owner.name()
                + "\" (leave it out of that desired state)");
      }
    });
    return out.list();
  }

  /** The code of the warning that netform's files stay where a destroy may not delete them. */
  public static final String NAME_FILES_LEFT = "name-files-left";

  /**
   * Warnings, at the containers of {@code destroyed}: their resolv.conf and hosts that carry netform's
   * mark but stay, in a place netform deletes nothing from (see ForeignNames.Unusable). The destroy
   * removes all else; the files go with the next destroy once the place is made netform's again.
   */
  public static List<Diagnostic> leftNameFiles(DesiredState destroyed, ForeignNames names) {
    if (names.unusable().isEmpty()) {
      return List.of();
    }
    Findings out = new Findings(destroyed.sources());
    for (String c : destroyed.containers().keySet()) {
      ForeignNames.Unusable place = names.unusable().get(c);
      if (place != null && !place.marked().isEmpty()) {
        String files = place.marked().stream().map(f -> place.path() + "/" + f).collect(Collectors.joining(" "));
        out.warningAtKey(Paths.container(c), NAME_FILES_LEFT, "netform's " + String.join(" and ", place.marked())
            + " of container \"" + c + "\" stay: " + place.path() + " is " + place.what() + ", and " + place.why(),
            place.fix() + ", then run this destroy again (it deletes them then); or delete them yourself: rm " + files);
      }
    }
    return out.list();
  }

  /**
   * One kernel object that needs it, as a plan names it (" (veth b1/eth0 needs bridge nf-…)"); none
   * where only name records or macvlans need it (a network by name), which the sentence itself says
   * in the user's words.
   */
  private static String example(Map<Owner, List<InUse>> users) {
    return users.values().stream().flatMap(List::stream).filter(u -> !u.byName()).findFirst()
        .map(u -> " (" + u.dependent().kindLabel() + " " + u.dependent().displayName() + " needs " + u.needed() + ")")
        .orElse("");
  }

  private static String describe(Owner owner) {
    return owner.kind() == Owner.Kind.HOST ? "the host's own objects"
        : owner.kind().name().toLowerCase(java.util.Locale.ROOT) + " \"" + owner.name() + "\"";
  }
}
