package io.netform.plan;

import io.netform.model.ForeignObjects;
import io.netform.model.HostModel;
import io.netform.model.KernelObject;
import io.netform.model.ObservedHost;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * An in-memory host for fast planner properties. Like the kernel, deleting an object also
 * destroys everything that depends on it (a deleted veth takes its addresses and routes along),
 * so a plan that forgets a cascaded replacement does not converge here either.
 */
final class FakeHost {

  private final Map<String, KernelObject> objects = new TreeMap<>();

  FakeHost(HostModel initial) {
    objects.putAll(initial.objects());
  }

  void apply(Plan plan) {
    for (Step step : plan.steps()) {
      switch (step.kind()) {
        case CREATE, UPDATE -> objects.put(step.object().key(), step.object());
        case DELETE -> delete(step.object().key());
      }
    }
  }

  private void delete(String key) {
    KernelObject gone = objects.remove(key);
    if (gone == null) {
      return;
    }
    Set<String> provided = new HashSet<>(gone.provides());
    for (KernelObject o : objects.values().toArray(KernelObject[]::new)) {
      if (o.dependsOn().stream().anyMatch(provided::contains) && !(o instanceof io.netform.model.FirewallRule)) {
        delete(o.key());
      }
    }
  }

  ObservedHost observe() {
    return new ObservedHost(new HostModel(objects), ForeignObjects.none());
  }
}
