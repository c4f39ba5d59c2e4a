package io.netform.validate;

import io.netform.desired.Container;
import io.netform.desired.DesiredState;
import io.netform.desired.Expectation;
import io.netform.desired.NetworkMode;
import io.netform.diagnostics.Suggestions;
import java.util.HashMap;
import java.util.Map;

/** Connectivity assertions name containers that are declared (or, as their target, an address). */
final class ExpectationRules {

  private ExpectationRules() {}

  static void check(DesiredState state, Findings out) {
    Map<String, Expectation> seen = new HashMap<>();
    for (Expectation e : state.expectations()) {
      Expectation before = seen.putIfAbsent(e.from() + " " + e.to() + " " + e.port(), e);
      if (before != null && before.reachable() != e.reachable()) {
        out.errorAt(e.at(), "contradicting-expectations", "expectation " + e.describe() + " wants the path "
            + (e.reachable() ? "open" : "blocked") + ", and the one at " + before.at() + " wants it "
            + (before.reachable() ? "open" : "blocked"), "keep the one that is meant");
      } else if (before != null) {
        out.warningAt(e.at(), "duplicate-expectation", "expectation " + e.describe() + " is also at " + before.at(),
            "remove one of them");
      }
      Container to = state.containers().get(e.to());
      if (to != null && (to.mode() instanceof NetworkMode.Host || to.mode() instanceof NetworkMode.None)) {
        out.errorAt(e.toAt(), "target-without-address", "expectation " + e.describe() + " goes to \"" + e.to()
            + "\", which has no address of its own (network_mode " + (to.mode() instanceof NetworkMode.Host ? "host" : "none")
            + ")", to.mode() instanceof NetworkMode.Host ? "write the host's address instead of the container's name"
            : "a container without a network is reached by nothing: remove the expectation");
      }
      if (!state.containers().containsKey(e.from()) && !out.refused(Paths.container(e.from()))) {
        out.errorAt(e.fromAt(), "unknown-container", "expectation " + e.describe() + " starts in unknown container \""
            + e.from() + "\"", hint(state, e.from(), "name a container declared under containers:"));
      }
      if (e.toAddress().isEmpty() && !state.containers().containsKey(e.to()) && !out.refused(Paths.container(e.to()))) {
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
