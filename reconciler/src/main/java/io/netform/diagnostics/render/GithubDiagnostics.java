package io.netform.diagnostics.render;

import io.netform.diagnostics.Diagnostic;
import java.util.List;

/** GitHub Actions workflow commands, so findings show up on the pull request's lines. */
public final class GithubDiagnostics implements DiagnosticFormat {

  @Override
  public String render(List<Diagnostic> diagnostics, Summary summary) {
    StringBuilder sb = new StringBuilder();
    for (Diagnostic d : diagnostics) {
      sb.append("::").append(d.isError() ? "error" : "warning")
          .append(" file=").append(property(d.location().file()))
          .append(",line=").append(d.location().line())
          .append(",col=").append(d.location().column())
          .append(",title=").append(property("netform " + d.code()))
          .append("::").append(data(d.message() + ". Fix: " + d.hint())).append('\n');
    }
    return sb.toString();
  }

  /** Escaping from the workflow-command spec: data escapes %, CR, LF; properties also ':' and ','. */
  static String data(String s) {
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A");
  }

  static String property(String s) {
    return data(s).replace(":", "%3A").replace(",", "%2C");
  }
}
