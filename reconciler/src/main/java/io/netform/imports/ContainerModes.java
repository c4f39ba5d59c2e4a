package io.netform.imports;

import io.netform.desired.Container;
import io.netform.desired.NetworkMode;
import java.util.LinkedHashMap;
import java.util.Map;

/** Containers that join another's namespace ({@code container:NAME}) need that one imported too. */
final class ContainerModes {

  private ContainerModes() {}

  /** Leaves out, with a note, every container whose namespace's owner is not there (until none is left). */
  static Map<String, Container> withoutMissingTargets(Map<String, Container> containers, ImportNotes notes) {
    Map<String, Container> out = new LinkedHashMap<>(containers);
    boolean changed = true;
    while (changed) {
      changed = false;
      for (Container c : new java.util.ArrayList<>(out.values())) {
        if (c.mode() instanceof NetworkMode.JoinContainer j && !out.containsKey(j.container())) {
          out.remove(c.name());
          notes.leftOut("container \"" + c.name() + "\"", "it joins container \"" + j.container()
              + "\", which is not imported");
          changed = true;
        }
      }
    }
    return out;
  }
}
