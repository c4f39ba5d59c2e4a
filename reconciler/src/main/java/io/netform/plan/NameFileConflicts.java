package io.netform.plan;

import io.netform.model.ForeignNames;
import io.netform.model.HostModel;
import io.netform.model.KernelObject;
import io.netform.model.NameFileObject;
import java.util.ArrayList;
import java.util.List;

/** A name file netform would write where a file it did not write is: refused, never overwritten. */
final class NameFileConflicts {

  private NameFileConflicts() {}

  static List<PlanConflict> of(HostModel target, ForeignNames foreign) {
    if (foreign.files().isEmpty()) {
      return List.of(); // the usual case, at every plan: no foreign file where netform writes one
    }
    List<PlanConflict> out = new ArrayList<>();
    for (KernelObject o : target.objects().values()) {
      String path = o instanceof NameFileObject ? foreign.files().get(o.key()) : null;
      if (path != null && o instanceof NameFileObject f) {
        String which = "the " + f.file().label + " of container \"" + f.container() + "\", " + path;
        ForeignNames.Unusable place = foreign.unusable().get(f.container());
        // The file itself: a name record always (its directory is the state directory's), the others by their name.
        if (f.file() == NameFileObject.Kind.RECORD || path.endsWith("/" + f.file().label)) {
          out.add(new PlanConflict(o.key(), which + ", exists and netform did not write it (its first line is not "
              + "netform's mark)", "move it away if netform should write it (mv " + path + " " + path + ".orig), or "
              + "rename the container"));
        } else if (place != null) {
          out.add(new PlanConflict(o.key(), which + ", is " + place.what() + ": " + place.why(),
              place.fix() + " if netform should write there, or rename the container"));
        } else { // a snapshot's, which keeps no more than the path
          out.add(new PlanConflict(o.key(), which + ", is not a directory netform may write in (a file or a link, or "
              + "a directory another user owns or may write into)", "move it away if netform should write it (mv "
              + path + " " + path + ".orig), or rename the container"));
        }
      }
    }
    return out;
  }
}
