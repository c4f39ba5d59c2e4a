package io.netform.desired.load;

import io.netform.desired.DesiredState;
import io.netform.diagnostics.Diagnostic;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The merged desired state of all input files and every problem found while reading them;
 * {@code read}: the text of each file read (the lock file's too), by the name its diagnostics use.
 */
public record LoadResult(DesiredState state, List<Diagnostic> diagnostics, List<String> files, DesiredStateTexts read) {

  public LoadResult {
    diagnostics = List.copyOf(diagnostics);
    files = List.copyOf(files);
  }

  public LoadResult(DesiredState state, List<Diagnostic> diagnostics, List<String> files) {
    this(state, diagnostics, files, DesiredStateTexts.NONE);
  }

  /** The texts read, by name. */
  public Map<String, String> texts() {
    return Collections.unmodifiableMap(read.byName());
  }

  public boolean hasErrors() {
    return diagnostics.stream().anyMatch(Diagnostic::isError);
  }
}
