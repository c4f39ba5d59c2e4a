package io.netform.cli;

import io.netform.converge.Proposal;
import io.netform.diagnostics.Diagnostic;
import io.netform.diagnostics.render.Style;
import io.netform.validate.DesiredStateCheck;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The warnings a plan or an apply shows before its changes, as Terraform's do: the desired
 * state's own (what validate warns about) and those only the host reveals, each once.
 */
final class Warnings {

  private Warnings() {}

  static void print(DesiredStateCheck.Checked checked, Proposal proposal, Style style) {
    Set<Diagnostic> warnings = new LinkedHashSet<>();
    checked.diagnostics().stream().filter(d -> !d.isError()).forEach(warnings::add);
    warnings.addAll(proposal.warnings());
    print(List.copyOf(warnings), checked, style);
  }

  /** Prints {@code warnings} (nothing when there are none). */
  static void print(List<Diagnostic> warnings, DesiredStateCheck.Checked checked, Style style) {
    if (!warnings.isEmpty()) {
      Refusal.printHuman(warnings, checked, style);
    }
  }
}
