package io.netform.validate;

import io.netform.desired.DesiredState;
import io.netform.desired.Expectation;
import io.netform.diagnostics.Suggestions;

/** Connectivity assertions name containers that are declared (or, as their target, an address). */
final class ExpectationRules {

  private ExpectationRules() {}

  static void check(DesiredState state, Findings out) {
    for (Expectation e : state.expectations()) {
      if (!state.containers().containsKey(e.from())) {
        out.errorAt(e.fromAt(), "unknown-container", "expectation " + e.describe() + " starts in unknown container \""
            + e.from() + "\"", hint(state, e.from(), "name a container declared under containers:"));
      }
      if (e.toAddress().isEmpty() && !state.containers().containsKey(e.to())) {
        out.errorAt(e.toAt(), "unknown-container", "expectation " + e.describe() + " goes to \"" + e.to()
            + "\", which is neither a declared container nor an IP address",
            hint(state, e.to(), "name a container declared under containers:, or write an IP address"));
      }
    }
  }

  private static String hint(DesiredState state, String name, String otherwise) {
    return Suggestions.closest(name, state.containers().keySet()).map(s -> "did you mean \"" + s + "\"?").orElse(otherwise);
  }
}
