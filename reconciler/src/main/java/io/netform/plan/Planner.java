package io.netform.plan;

import io.netform.model.HostModel;
import io.netform.model.KernelObject;
import io.netform.model.ObservedHost;
import io.netform.model.SysctlObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Diffs a target against an observed host: a pure function producing a {@link Plan}. */
public final class Planner {

  private Planner() {}

  public static Plan plan(HostModel target, ObservedHost observed) {
    HostModel owned = observed.owned();
    Map<String, Change> changes = new LinkedHashMap<>();
    // Both models are sorted by key: walk them side by side (a plan of thousands of objects
    // spent most of its time looking keys up in the two sorted maps).
    java.util.Iterator<Map.Entry<String, KernelObject>> wants = target.objects().entrySet().iterator();
    java.util.Iterator<Map.Entry<String, KernelObject>> haves = owned.objects().entrySet().iterator();
    Map.Entry<String, KernelObject> w = wants.hasNext() ? wants.next() : null;
    Map.Entry<String, KernelObject> h = haves.hasNext() ? haves.next() : null;
    while (w != null || h != null) {
      int order = w == null ? 1 : h == null ? -1 : w.getKey().compareTo(h.getKey());
      String key = order <= 0 ? w.getKey() : h.getKey();
      KernelObject want = order <= 0 ? w.getValue() : null;
      KernelObject have = order >= 0 ? h.getValue() : null;
      if (order <= 0) {
        w = wants.hasNext() ? wants.next() : null;
      }
      if (order >= 0) {
        h = haves.hasNext() ? haves.next() : null;
      }
      if (have == null) {
        changes.put(key, new Change(Action.CREATE, key, Optional.empty(), Optional.of(want), List.of(), Optional.empty()));
      } else if (want == null) {
        if (neverDeleted(have)) {
          continue;
        }
        changes.put(key, new Change(Action.DELETE, key, Optional.of(have), Optional.empty(), List.of(), Optional.empty()));
      } else if (!have.equals(want)) { // equal records have equal attributes: most objects, compared cheaply
        List<String> differ = differing(have, want);
        if (!differ.isEmpty()) {
          boolean replace = differ.stream().anyMatch(want.replaceAttributes()::contains) || have.getClass() != want.getClass();
          changes.put(key, new Change(replace ? Action.REPLACE : Action.UPDATE, key, Optional.of(have), Optional.of(want),
              differ, Optional.empty()));
        }
      }
    }
    cascade(target, owned, changes);
    List<PlanConflict> conflicts = HostConflicts.of(target, observed);
    conflicts.addAll(FirewallConflicts.of(changes.values(), observed.foreign()));
    conflicts.addAll(NameFileConflicts.of(target, observed.foreign().names()));
    return new Plan(new ArrayList<>(changes.values()), conflicts);
  }

  /** A sysctl is never reset (other software may rely on it) or goes with its interface: no change to show. */
  private static boolean neverDeleted(KernelObject have) {
    return have instanceof SysctlObject;
  }

  private static List<String> differing(KernelObject have, KernelObject want) {
    Map<String, String> a = have.comparedAttributes();
    Map<String, String> b = want.comparedAttributes();
    List<String> out = new ArrayList<>();
    Set<String> names = new java.util.LinkedHashSet<>(b.keySet());
    names.addAll(a.keySet());
    for (String name : names) {
      if (!java.util.Objects.equals(a.get(name), b.get(name))) {
        out.add(name);
      }
    }
    return out;
  }

  /**
   * An object that stays (unchanged or updated in place) but whose dependency is destroyed — by
   * deletion or replacement — is destroyed by the kernel with it, so it must be replaced too.
   * Transitively: a replaced veth takes its addresses and routes with it.
   */
  private static void cascade(HostModel target, HostModel owned, Map<String, Change> changes) {
    if (changes.values().stream().noneMatch(Planner::destroys)) {
      return; // nothing destroyed, nothing to cascade: skip indexing every object
    }
    Map<String, Set<String>> providersOf = new HashMap<>(); // several addresses provide "an address on eth0"
    owned.objects().values().forEach(o -> o.provides().forEach(p -> providersOf.computeIfAbsent(p, x -> new HashSet<>())
        .add(o.key())));
    Map<String, List<KernelObject>> dependents = new HashMap<>();
    owned.objects().values().forEach(o -> o.dependsOn().forEach(d -> dependents.computeIfAbsent(d, x -> new ArrayList<>()).add(o)));
    // A work list from the destroyed objects outwards, instead of re-scanning every object until
    // nothing changes: a plan usually destroys few objects among thousands.
    java.util.ArrayDeque<Change> destroyed = new java.util.ArrayDeque<>();
    changes.values().stream().filter(Planner::destroys).forEach(destroyed::add);
    while (!destroyed.isEmpty()) {
      Change providerChange = destroyed.poll();
      KernelObject gone = providerChange.before().orElseThrow();
      for (String provision : gone.provides()) {
        if (!providersOf.getOrDefault(provision, Set.of()).contains(gone.key())) {
          continue;
        }
        for (KernelObject have : dependents.getOrDefault(provision, List.of())) {
          KernelObject want = target.objects().get(have.key());
          Change current = changes.get(have.key());
          if (want == null || (current != null && current.action() != Action.UPDATE)) {
            continue;
          }
          String why = have.kindLabel() + " is replaced because " + providerChange.object().kindLabel() + " "
              + providerChange.object().displayName() + " is " + (providerChange.action() == Action.DELETE ? "deleted" : "replaced");
          List<String> attrs = current == null ? List.of() : current.changedAttributes();
          Change replaced = new Change(Action.REPLACE, have.key(), Optional.of(have), Optional.of(want), attrs, Optional.of(why));
          changes.put(have.key(), replaced);
          destroyed.add(replaced);
        }
      }
    }
  }

  private static boolean destroys(Change c) {
    return c.action() == Action.DELETE || c.action() == Action.REPLACE;
  }
}
