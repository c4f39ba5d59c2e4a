package io.netform.validate;

import io.netform.desired.SourceMap;
import io.netform.diagnostics.Diagnostic;
import io.netform.diagnostics.Location;
import java.util.ArrayList;
import java.util.List;

/** Collects diagnostics, locating them through the desired state's source map. */
final class Findings {

  private final SourceMap sources;
  private final List<Diagnostic> found = new ArrayList<>();

  Findings(SourceMap sources) {
    this.sources = sources;
  }

  /**
   * Whether {@code path} (a network, container or host) was written but refused where it is: its
   * own error says why, so a reference to it is no second error ("unknown", which it is not).
   */
  boolean refused(String path) {
    return sources.declares(path);
  }

  void errorAt(String path, String code, String message, String hint) {
    found.add(Diagnostic.error(code, sources.value(path), message, hint));
  }

  /** At a place known already (an entry of a list, which the source map's paths cannot tell across files). */
  void errorAt(Location at, String code, String message, String hint) {
    found.add(Diagnostic.error(code, at, message, hint));
  }

  void warningAt(Location at, String code, String message, String hint) {
    found.add(Diagnostic.warning(code, at, message, hint));
  }

  void errorAt(String path, ValueProblem problem) {
    errorAt(path, problem.code(), problem.message(), problem.hint());
  }

  void errorAtKey(String path, String code, String message, String hint) {
    found.add(Diagnostic.error(code, sources.key(path), message, hint));
  }

  void warningAt(String path, String code, String message, String hint) {
    found.add(Diagnostic.warning(code, sources.value(path), message, hint));
  }

  void warningAtKey(String path, String code, String message, String hint) {
    found.add(Diagnostic.warning(code, sources.key(path), message, hint));
  }

  String where(String path) {
    return sources.value(path).toString();
  }

  List<Diagnostic> list() {
    return found;
  }
}
