package io.netform.validate;

import io.netform.desired.DesiredState;
import io.netform.desired.load.DesiredStateLoader;
import io.netform.desired.load.LoadResult;
import io.netform.diagnostics.Diagnostic;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The whole offline check of a desired state: read and merge the files, check the schema per
 * file, then meaning across files. Nothing may be planned or applied from a state with errors.
 */
public final class DesiredStateCheck {

  private DesiredStateCheck() {}

  public record Checked(DesiredState state, List<Diagnostic> diagnostics, int files) {

    public boolean valid() {
      return diagnostics.stream().noneMatch(Diagnostic::isError);
    }

    /** Valid, and with --strict also free of warnings. */
    public boolean passes(boolean strict) {
      return strict ? diagnostics.isEmpty() : valid();
    }
  }

  public static Checked run(List<Path> paths) {
    LoadResult loaded = new DesiredStateLoader().load(paths);
    List<Diagnostic> all = new ArrayList<>(loaded.diagnostics());
    all.addAll(Validator.check(loaded.state()));
    all.sort(Diagnostic.BY_PLACE);
    return new Checked(loaded.state(), dedupe(all), loaded.files().size());
  }

  /** The same finding from two checks (e.g. schema and mapper) is shown once. */
  private static List<Diagnostic> dedupe(List<Diagnostic> sorted) {
    List<Diagnostic> out = new ArrayList<>();
    for (Diagnostic d : sorted) {
      boolean same = !out.isEmpty() && out.get(out.size() - 1).location().equals(d.location())
          && out.get(out.size() - 1).message().equals(d.message());
      if (!same) {
        out.add(d);
      }
    }
    return out;
  }
}
