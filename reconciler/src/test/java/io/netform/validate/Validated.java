package io.netform.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netform.diagnostics.Diagnostic;
import java.util.List;

/** Validates a desired state written in a test and picks out its findings. */
final class Validated {

  static final String FILE = "t.yaml";

  private Validated() {}

  static DesiredStateCheck.Checked of(String yaml) {
    return DesiredStateCheck.runText(FILE, yaml);
  }

  static List<Diagnostic> errors(DesiredStateCheck.Checked checked) {
    return checked.diagnostics().stream().filter(Diagnostic::isError).toList();
  }

  /** The state's only error, which must have {@code code}: reported once, not by two checks. */
  static Diagnostic onlyError(String yaml, String code) {
    List<Diagnostic> errors = errors(of(yaml));
    assertEquals(1, errors.size(), () -> "one error expected in\n" + yaml + "\nbut got " + errors);
    assertEquals(code, errors.get(0).code(), errors::toString);
    return errors.get(0);
  }

  static void assertValid(String yaml) {
    assertEquals(List.of(), errors(of(yaml)), yaml);
  }
}
