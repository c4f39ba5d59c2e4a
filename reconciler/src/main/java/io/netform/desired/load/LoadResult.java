package io.netform.desired.load;

import io.netform.desired.DesiredState;
import io.netform.diagnostics.Diagnostic;
import java.util.List;

/** The merged desired state of all input files and every problem found while reading them. */
public record LoadResult(DesiredState state, List<Diagnostic> diagnostics, List<String> files) {

  public LoadResult {
    diagnostics = List.copyOf(diagnostics);
    files = List.copyOf(files);
  }

  public boolean hasErrors() {
    return diagnostics.stream().anyMatch(Diagnostic::isError);
  }
}
