package io.netform.plan;

import io.netform.model.BridgeObject;
import io.netform.model.ForeignObjects;
import io.netform.model.HostModel;
import io.netform.model.KernelObject;
import io.netform.model.NamespaceObject;
import io.netform.model.ObservedHost;
import io.netform.model.VethObject;
import io.netform.net.Cidr;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** Diffs a target against an observed host: a pure function producing a {@link Plan}. */
public final class Planner {

  private Planner() {}

  public static Plan plan(HostModel target, ObservedHost observed) {
    HostModel owned = observed.owned();
    Map<String, Change> changes = new LinkedHashMap<>();
    Set<String> keys = new TreeSet<>(target.objects().keySet());
    keys.addAll(owned.objects().keySet());
    for (String key : keys) {
      KernelObject want = target.objects().get(key);
      KernelObject have = owned.objects().get(key);
      if (have == null) {
        changes.put(key, new Change(Action.CREATE, key, Optional.empty(), Optional.of(want), List.of(), Optional.empty()));
      } else if (want == null) {
        changes.put(key, new Change(Action.DELETE, key, Optional.of(have), Optional.empty(), List.of(), Optional.empty()));
      } else {
        List<String> differ = differing(have, want);
        if (!differ.isEmpty()) {
          boolean replace = differ.stream().anyMatch(want.replaceAttributes()::contains) || have.getClass() != want.getClass();
          changes.put(key, new Change(replace ? Action.REPLACE : Action.UPDATE, key, Optional.of(have), Optional.of(want),
              differ, Optional.empty()));
        }
      }
    }
    cascade(target, owned, changes);
    return new Plan(new ArrayList<>(changes.values()), conflicts(target, observed.foreign()));
  }

  private static List<String> differing(KernelObject have, KernelObject want) {
    Map<String, String> a = have.attributes();
    Map<String, String> b = want.attributes();
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
   * Runs to a fixpoint: a replaced veth takes its addresses and routes with it.
   */
  private static void cascade(HostModel target, HostModel owned, Map<String, Change> changes) {
    Map<String, String> providerOf = new HashMap<>();
    owned.objects().values().forEach(o -> o.provides().forEach(p -> providerOf.put(p, o.key())));
    boolean grew = true;
    while (grew) {
      grew = false;
      for (KernelObject have : owned.objects().values()) {
        KernelObject want = target.objects().get(have.key());
        Change current = changes.get(have.key());
        if (want == null || (current != null && current.action() != Action.UPDATE)) {
          continue;
        }
        for (String dependency : have.dependsOn()) {
          String provider = providerOf.get(dependency);
          Change providerChange = provider == null ? null : changes.get(provider);
          if (providerChange != null && (providerChange.action() == Action.DELETE || providerChange.action() == Action.REPLACE)) {
            String why = have.kindLabel() + " is replaced because " + providerChange.object().kindLabel() + " "
                + providerChange.object().displayName() + " is " + (providerChange.action() == Action.DELETE ? "deleted" : "replaced");
            List<String> attrs = current == null ? List.of() : current.changedAttributes();
            changes.put(have.key(), new Change(Action.REPLACE, have.key(), Optional.of(have), Optional.of(want), attrs,
                Optional.of(why)));
            grew = true;
            break;
          }
        }
      }
    }
  }

  private static List<PlanConflict> conflicts(HostModel target, ForeignObjects foreign) {
    List<PlanConflict> out = new ArrayList<>();
    for (KernelObject o : target.objects().values()) {
      String hostName = o instanceof BridgeObject b ? b.name() : o instanceof VethObject v ? v.hostName() : null;
      if (hostName != null && foreign.hostLinkNames().contains(hostName)) {
        out.add(new PlanConflict(o.key(), "interface \"" + hostName + "\" already exists on the host and is not netform's; "
            + o.owner() + " needs that name for its " + o.kindLabel(),
            "rename it in the desired state (bridge_name), or remove the foreign interface"));
      }
      if (o instanceof NamespaceObject ns && ns.path().isEmpty() && foreign.namespaces().contains(ns.name())) {
        out.add(new PlanConflict(o.key(), "network namespace \"" + ns.name() + "\" already exists and is not netform's",
            "rename the container, point its namespace: at that path to adopt it, or delete the namespace"));
      }
      if (o instanceof BridgeObject b) {
        for (Cidr subnet : b.subnets()) {
          for (Cidr route : foreign.hostRoutes()) {
            if (route.prefix() > 0 && route.overlaps(subnet)) {
              out.add(new PlanConflict(o.key(), "subnet " + subnet + " of " + o.owner() + " overlaps the host route " + route
                  + ", which netform does not own", "choose a subnet that the host does not already route"));
            }
          }
        }
      }
    }
    return out;
  }
}
