package io.netform.desired.load;

import io.netform.desired.DesiredState;
import io.netform.diagnostics.Diagnostic;
import java.util.List;
import java.util.Map;

/**
 * The merged desired state of all input files and every problem found while reading them;
 * {@code texts}: the text of each file read (the lock file's too), by the name its diagnostics use.
 */
public record LoadResult(DesiredState state, List<Diagnostic> diagnostics, List<String> files, Map<String, String> texts) {

  public LoadResult {
    diagnostics = List.copyOf(diagnostics);
    files = List.copyOf(files);
    texts = Map.copyOf(texts);
  }

  public LoadResult(DesiredState state, List<Diagnostic> diagnostics, List<String> files) {
    this(state, diagnostics, files, Map.of());
  }

  public boolean hasErrors() {
    return diagnostics.stream().anyMatch(Diagnostic::isError);
  }
}
