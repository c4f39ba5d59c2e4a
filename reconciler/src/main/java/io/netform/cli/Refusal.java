package io.netform.cli;

import io.netform.diagnostics.Diagnostic;
import io.netform.diagnostics.render.DiagnosticFormat;
import io.netform.diagnostics.render.SourceLines;
import io.netform.diagnostics.render.Style;
import io.netform.validate.DesiredStateCheck;
import java.util.List;

/** Nothing is done from an invalid desired state: its diagnostics go to stderr, and the command exits 1. */
final class Refusal {

  private Refusal() {}

  /** {@code nothing}: what was not done, e.g. "no plan made". */
  static int print(List<Diagnostic> diagnostics, DesiredStateCheck.Checked checked, Style style, String nothing) {
    var summary = new DiagnosticFormat.Summary(checked.files(), checked.state().networks().size(),
        checked.state().containers().size());
    System.err.print(DiagnosticFormat.named("human", style, SourceLines.of(checked.texts())).render(diagnostics, summary));
    System.err.println("netform: " + nothing + ": fix the errors above first.");
    return ExitCodes.ERROR;
  }
}
