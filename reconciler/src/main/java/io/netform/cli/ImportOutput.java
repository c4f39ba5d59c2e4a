package io.netform.cli;

import io.netform.desired.DesiredState;
import io.netform.desired.write.DesiredStateYaml;
import io.netform.diagnostics.Diagnostic;
import io.netform.diagnostics.render.HumanDiagnostics;
import io.netform.diagnostics.render.SourceLines;
import io.netform.diagnostics.render.Style;
import io.netform.imports.ImportNotes;
import io.netform.validate.DesiredStateCheck;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * Where an import writes its desired state, and the check that it is one netform takes: the YAML
 * is read back and validated before anything is written, so an import never leaves a file that
 * {@code netform validate} refuses.
 */
final class ImportOutput {

  @Option(names = "--out", paramLabel = "FILE", description = "Write the desired state to FILE instead of standard output.")
  Path out;

  private static final String IMPORTED = "the imported desired state";

  /**
   * The errors of a check as validate shows them, each with its line: of the input, or of the
   * desired state the import made ({@code sources} holds its text, which was never written).
   */
  static void printErrors(DesiredStateCheck.Checked checked, SourceLines sources) {
    List<Diagnostic> errors = checked.diagnostics().stream().filter(Diagnostic::isError).toList();
    System.err.print(new HumanDiagnostics(Style.detect(false), sources).render(errors, Refusal.summary(checked)));
  }

  int write(DesiredState state, ImportNotes notes, String source) {
    String yaml = DesiredStateYaml.write(state, notes.header(source));
    DesiredStateCheck.Checked reread = DesiredStateCheck.runText(IMPORTED, yaml);
    if (!reread.valid()) {
      printErrors(reread, SourceLines.of(reread.texts()));
      throw new UserError("the desired state imported from " + source + " does not validate (above: the lines of what "
          + "the import would have written); nothing was written");
    }
    notes.warnings().forEach(w -> System.err.println("netform: warning: " + w));
    // what validate would warn about in the output (a container left on no network, say)
    reread.diagnostics().stream().filter(d -> !d.isError()).forEach(d -> System.err.println("netform: warning: "
        + d.location() + ": " + d.message() + (d.hint() == null || d.hint().isEmpty() ? "" : " (" + d.hint() + ")")));
    if (out == null) {
      System.out.print(yaml);
    } else {
      OutputFile.save("the imported desired state", out, "--out", () -> Files.writeString(out, yaml));
    }
    System.err.println("Imported " + state.networks().size() + " networks and " + state.containers().size()
        + " containers from " + source + "; " + notes.leftOut().size() + " things left out, each said in the header"
        + (out == null ? "." : " of " + out + "."));
    return ExitCodes.OK;
  }
}
