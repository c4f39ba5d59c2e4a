package io.netform.names;

import io.netform.diagnostics.Suggestions;
import java.util.List;
import java.util.Optional;

/**
 * The {@code options} of resolv.conf that glibc knows (resolv.conf(5)). Docker copies whatever is
 * written, and glibc silently ignores what it does not know; netform refuses it with a suggestion.
 */
public final class ResolverOptions {

  /** Options that take a number ({@code ndots:2}). */
  static final List<String> NUMERIC = List.of("ndots", "timeout", "attempts");
  static final List<String> FLAGS = List.of("debug", "rotate", "no-check-names", "inet6", "edns0", "single-request",
      "single-request-reopen", "no-tld-query", "use-vc", "no-reload", "trust-ad", "no-aaaa");

  private ResolverOptions() {}

  /** What is wrong with an option, and how to write it. */
  public record Problem(String message, String hint) {}

  public static Optional<Problem> problem(String option) {
    int colon = option.indexOf(':');
    String key = colon < 0 ? option : option.substring(0, colon);
    if (NUMERIC.contains(key)) {
      String value = colon < 0 ? "" : option.substring(colon + 1);
      if (!value.matches("[0-9]{1,2}")) {
        return Optional.of(new Problem("resolver option " + key + " needs a number: \""
            + option + "\"", "write " + key + ":N, e.g. " + key + ":" + (key.equals("ndots") ? "1" : "2")));
      }
      return Optional.empty();
    }
    if (colon < 0 && FLAGS.contains(key)) {
      return Optional.empty();
    }
    List<String> known = new java.util.ArrayList<>(NUMERIC);
    known.addAll(FLAGS);
    String hint = Suggestions.closest(key, known).map(s -> "did you mean \"" + s + "\"?")
        .orElse("glibc knows: " + String.join(", ", known));
    return Optional.of(new Problem("unknown resolver option \"" + option
        + "\" (glibc would ignore it)", hint));
  }

  /** Whether the options set ndots themselves (then the embedded DNS's ndots:0 is not added). */
  public static boolean setsNdots(List<String> options) {
    return options.stream().anyMatch(o -> o.startsWith("ndots:"));
  }
}
