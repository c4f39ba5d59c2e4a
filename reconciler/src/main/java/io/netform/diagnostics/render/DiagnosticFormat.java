package io.netform.diagnostics.render;

import io.netform.diagnostics.Diagnostic;
import java.util.List;

/** Renders a list of diagnostics for one audience: people, programs or CI annotations. */
public interface DiagnosticFormat {

  String render(List<Diagnostic> diagnostics, Summary summary);

  /** What was checked, for the closing line. */
  record Summary(int files, int networks, int containers) {}

  /** {@code sources}: the texts read, whose lines the human format shows. */
  static DiagnosticFormat named(String name, Style style, SourceLines sources) {
    return switch (name) {
      case "json" -> new JsonDiagnostics();
      case "github" -> new GithubDiagnostics();
      default -> new HumanDiagnostics(style, sources);
    };
  }
}
