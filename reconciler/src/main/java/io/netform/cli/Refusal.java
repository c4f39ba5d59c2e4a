package io.netform.cli;

import io.netform.diagnostics.Diagnostic;
import io.netform.diagnostics.render.DiagnosticFormat;
import io.netform.diagnostics.render.JsonDiagnostics;
import io.netform.diagnostics.render.SourceLines;
import io.netform.diagnostics.render.Style;
import io.netform.validate.DesiredStateCheck;
import java.util.List;

/** Nothing is done from an invalid desired state: its diagnostics go to stderr, and the command exits 1. */
final class Refusal {

  private Refusal() {}

  /** {@code nothing}: what was not done, e.g. "no plan made". */
  static int print(List<Diagnostic> diagnostics, DesiredStateCheck.Checked checked, Style style, String nothing) {
    printHuman(diagnostics, checked, style);
    System.err.println("netform: " + nothing + ": fix the errors above first.");
    return ExitCodes.ERROR;
  }

  /**
   * For a command whose output is JSON: the diagnostics as validate --format json writes them, on
   * standard output where a program reads the result, and one line for people on standard error.
   */
  static int printJson(List<Diagnostic> diagnostics, DesiredStateCheck.Checked checked, String nothing) {
    System.out.print(new JsonDiagnostics().render(diagnostics, summary(checked)));
    System.out.flush();
    System.err.println("netform: " + nothing + ": the desired state has errors (in the JSON on standard output).");
    return ExitCodes.ERROR;
  }

  /** {@code diagnostics} on standard error as validate shows them, each with its line of the files read. */
  static void printHuman(List<Diagnostic> diagnostics, DesiredStateCheck.Checked checked, Style style) {
    System.err.print(DiagnosticFormat.named("human", style, SourceLines.of(checked.texts())).render(diagnostics,
        summary(checked)));
  }

  /** What a check read: files, networks, containers (the diagnostics' last line). */
  static DiagnosticFormat.Summary summary(DesiredStateCheck.Checked checked) {
    return new DiagnosticFormat.Summary(checked.files(), checked.state().networks().size(),
        checked.state().containers().size());
  }
}
