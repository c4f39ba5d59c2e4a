package io.netform.desired.load;

import io.netform.diagnostics.Diagnostic;
import io.netform.diagnostics.Location;
import java.nio.file.Path;
import java.util.List;

/**
 * A desired state that declares nothing is refused, as Terraform refuses to apply without
 * configuration: applied, it would remove every network and container netform manages, and a
 * path that leads to no files (a link not followed, a renamed file) must not mean that. An empty
 * state on purpose is a file holding {@code version: 1} alone; removing everything is a destroy.
 */
final class EmptyDesiredState {

  private static final String ON_PURPOSE = "to remove everything on purpose, run netform destroy with the desired "
      + "state that made it (or declare an empty one: a file holding version: 1 alone)";

  private EmptyDesiredState() {}

  /**
   * Adds the finding when nothing was read ({@code parsed} empty, {@code emptyDirectories} the
   * directories given that hold no file) or every file read is empty, and nothing else is wrong yet.
   */
  static void check(List<Path> emptyDirectories, List<ParsedFile> parsed, List<Diagnostic> problems) {
    boolean otherErrors = problems.stream().anyMatch(Diagnostic::isError)
        || parsed.stream().anyMatch(p -> !p.problems().isEmpty());
    if (!parsed.isEmpty()) {
      for (Path dir : emptyDirectories) {
        problems.add(Diagnostic.warning("empty-directory", Location.ofFile(dir.toString()),
            "no .yaml or .yml files in this directory", "point netform at the folder holding your desired state"));
      }
      if (!otherErrors && parsed.stream().allMatch(p -> p.root().isEmpty())) {
        problems.add(Diagnostic.error("empty-desired-state", Location.ofFile(parsed.get(0).file()),
            (parsed.size() == 1 ? "this file is" : "every file of the desired state is") + " empty or only comments: "
                + "applied, a desired state of nothing would remove every network and container netform manages",
            "write the desired state here; " + ON_PURPOSE));
      }
    } else if (!otherErrors) {
      for (Path dir : emptyDirectories) {
        problems.add(Diagnostic.error("empty-desired-state", Location.ofFile(dir.toString()),
            "no .yaml or .yml files in this directory: applied, a desired state of nothing would remove every "
                + "network and container netform manages",
            "point netform at the directory holding your desired state; " + ON_PURPOSE));
      }
    }
  }
}
