package io.netform.diagnostics;

import java.util.Comparator;

/**
 * One finding about the desired state: where, what is wrong, how to fix it. {@code code} is a
 * stable identifier (e.g. {@code address-outside-subnet}) that tests and tools can match on.
 */
public record Diagnostic(Severity severity, String code, Location location, String message, String hint) {

  public static final Comparator<Diagnostic> BY_PLACE = Comparator
      .comparing((Diagnostic d) -> d.location().file())
      .thenComparingInt(d -> d.location().line())
      .thenComparingInt(d -> d.location().column())
      .thenComparing(Diagnostic::code);

  public static Diagnostic error(String code, Location location, String message, String hint) {
    return new Diagnostic(Severity.ERROR, code, location, message, hint);
  }

  public static Diagnostic warning(String code, Location location, String message, String hint) {
    return new Diagnostic(Severity.WARNING, code, location, message, hint);
  }

  public boolean isError() {
    return severity == Severity.ERROR;
  }
}
