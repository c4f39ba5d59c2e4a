package io.netform.diagnostics.render;

import io.netform.diagnostics.Diagnostic;
import java.util.List;

/**
 * Compiler-style output: {@code file:line:col: error: message [code]}, the offending line with a
 * caret under the column, then the hint.
 */
public final class HumanDiagnostics implements DiagnosticFormat {

  private static final int MAX_SNIPPET = 160;

  private final Style style;
  private final SourceLines sources;

  public HumanDiagnostics(Style style, SourceLines sources) {
    this.style = style;
    this.sources = sources;
  }

  @Override
  public String render(List<Diagnostic> diagnostics, Summary summary) {
    StringBuilder sb = new StringBuilder();
    for (Diagnostic d : diagnostics) {
      String label = d.isError() ? style.red(style.bold("error")) : style.yellow(style.bold("warning"));
      sb.append(style.bold(d.location().toString())).append(": ").append(label).append(": ")
          .append(d.message()).append(' ').append(style.dim("[" + d.code() + "]")).append('\n');
      sources.line(d.location().file(), d.location().line()).ifPresent(line -> snippet(sb, d, line));
      sb.append("  ").append(style.cyan("hint:")).append(' ').append(d.hint()).append('\n');
    }
    long errors = diagnostics.stream().filter(Diagnostic::isError).count();
    long warnings = diagnostics.size() - errors;
    String checked = summary.networks() + " network" + plural(summary.networks()) + ", " + summary.containers()
        + " container" + plural(summary.containers()) + " in " + summary.files() + " file" + plural(summary.files());
    if (errors == 0) {
      sb.append(style.green("Valid")).append(": ").append(checked)
          .append(warnings > 0 ? ", " + warnings + " warning" + plural(warnings) : "").append(".\n");
    } else {
      sb.append(style.red("Invalid")).append(": ").append(errors).append(" error").append(plural(errors))
          .append(warnings > 0 ? ", " + warnings + " warning" + plural(warnings) : "").append(" (").append(checked)
          .append(").\n");
    }
    return sb.toString();
  }

  private void snippet(StringBuilder sb, Diagnostic d, String line) {
    String text = line.replace('\t', ' ').replace("\r", "");
    if (text.length() > MAX_SNIPPET) {
      text = text.substring(0, MAX_SNIPPET) + "…";
    }
    String number = Integer.toString(d.location().line());
    String gutter = " ".repeat(number.length());
    sb.append(' ').append(style.dim(number + " |")).append(' ').append(text).append('\n');
    int col = Math.max(1, Math.min(d.location().column(), MAX_SNIPPET));
    sb.append(' ').append(style.dim(gutter + " |")).append(' ').append(" ".repeat(col - 1))
        .append(d.isError() ? style.red("^") : style.yellow("^")).append('\n');
  }

  private static String plural(long n) {
    return n == 1 ? "" : "s";
  }
}
