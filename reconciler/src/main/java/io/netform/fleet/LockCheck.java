package io.netform.fleet;

import io.netform.desired.DesiredState;
import io.netform.desired.Network;
import io.netform.desired.OverlayLock;
import io.netform.desired.OverlayLock.LockedNetwork;
import io.netform.desired.SourceMap;
import io.netform.diagnostics.Diagnostic;
import io.netform.diagnostics.Location;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Whether the lock file holds the allocation the desired state has now ({@code validate --locked},
 * for CI): a lock that is missing or stale would let hosts agree only by computing, and a
 * container added in the middle of the files would then renumber the ones after it.
 */
public final class LockCheck {

  private LockCheck() {}

  public static List<Diagnostic> check(DesiredState state) {
    FleetAllocator.Result computed = FleetAllocator.allocate(state);
    if (!computed.problems().isEmpty()) {
      return List.of(); // reported as they are; nothing to lock yet
    }
    Optional<OverlayLock> lock = state.fleet().lock();
    Map<String, LockedNetwork> want = computed.allocation().networks();
    Map<String, LockedNetwork> have = lock.map(OverlayLock::networks).orElse(Map.of());
    if (lock.isEmpty() && want.isEmpty()) {
      return List.of();
    }
    Location at = lock.map(l -> Location.ofFile(l.file())).orElseGet(() -> firstOverlay(state));
    Optional<String> difference = lock.isEmpty() ? Optional.of("there is no lock file") : difference(have, want);
    return difference.map(d -> List.of(Diagnostic.error("stale-lock", at, "the overlay lock file is stale: " + d,
        "run netform lock on the desired state and commit netform.lock with it"))).orElse(List.of());
  }

  private static Location firstOverlay(DesiredState state) {
    String name = state.networks().values().stream().filter(Network::isOverlay).map(Network::name).findFirst().orElse("");
    return state.sources().key("/networks/" + SourceMap.segment(name));
  }

  /** The first difference, in words. */
  static Optional<String> difference(Map<String, LockedNetwork> have, Map<String, LockedNetwork> want) {
    TreeSet<String> names = new TreeSet<>(have.keySet());
    names.addAll(want.keySet());
    for (String n : names) {
      LockedNetwork h = have.get(n);
      LockedNetwork w = want.get(n);
      if (h == null) {
        return Optional.of("overlay network \"" + n + "\" is not in it");
      }
      if (w == null) {
        return Optional.of("it holds network \"" + n + "\", which is no overlay network of the desired state");
      }
      if (!h.subnet().equals(w.subnet()) || !h.gateway().equals(w.gateway()) || h.vni() != w.vni()) {
        return Optional.of("network \"" + n + "\" has subnet " + w.subnet() + ", gateway " + w.gateway() + " and VXLAN id "
            + w.vni() + " now, the lock " + h.subnet() + ", " + h.gateway() + " and " + h.vni());
      }
      TreeSet<String> containers = new TreeSet<>(h.endpoints().keySet());
      containers.addAll(w.endpoints().keySet());
      for (String c : containers) {
        if (!Objects.equals(h.endpoints().get(c), w.endpoints().get(c))) {
          return Optional.of(h.endpoints().get(c) == null ? "container \"" + c + "\" on \"" + n + "\" is not in it"
              : w.endpoints().get(c) == null ? "it holds container \"" + c + "\" on \"" + n + "\", which is not there any more"
              : "container \"" + c + "\" on \"" + n + "\" has " + w.endpoints().get(c) + " now, the lock "
                  + h.endpoints().get(c));
        }
      }
    }
    return Optional.empty();
  }
}
