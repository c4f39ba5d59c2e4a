package io.netform.diagnostics.render;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The lines of the texts diagnostics point into, to show the offending line. Only texts handed
 * over are shown, those netform read as the desired state: a file is never read here, so a
 * diagnostic about a file netform refused to read (a link to /etc/shadow) cannot quote it.
 */
public final class SourceLines {

  private final Map<String, List<String>> lines = new HashMap<>();

  /** No texts: diagnostics are shown without their line. */
  public SourceLines() {}

  /** The texts of {@code texts}, by the file name diagnostics use. */
  public static SourceLines of(Map<String, String> texts) {
    SourceLines sources = new SourceLines();
    texts.forEach(sources::withText);
    return sources;
  }

  /** Shows the lines of {@code text} for diagnostics that point into {@code name}. */
  public SourceLines withText(String name, String text) {
    lines.put(name, List.of(text.split("\n", -1)));
    return this;
  }

  public Optional<String> line(String file, int line) {
    List<String> of = lines.getOrDefault(file, List.of());
    return line >= 1 && line <= of.size() ? Optional.of(of.get(line - 1)) : Optional.empty();
  }
}
