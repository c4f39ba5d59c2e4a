package io.netform.diagnostics.render;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads the lines of the files diagnostics point into, once per file, to show the offending line. */
public final class SourceLines {

  private final Map<String, List<String>> cache = new HashMap<>();

  /** Shows the lines of {@code text} for diagnostics that point into {@code name}, a document never written to a file. */
  public SourceLines withText(String name, String text) {
    cache.put(name, List.of(text.split("\n", -1)));
    return this;
  }

  public Optional<String> line(String file, int line) {
    List<String> lines = cache.computeIfAbsent(file, SourceLines::read);
    return line >= 1 && line <= lines.size() ? Optional.of(lines.get(line - 1)) : Optional.empty();
  }

  private static List<String> read(String file) {
    try {
      Path p = Path.of(file);
      if (!Files.isRegularFile(p) || Files.size(p) > 64L * 1024 * 1024) {
        return List.of();
      }
      return List.of(new String(Files.readAllBytes(p), StandardCharsets.UTF_8).split("\n", -1));
    } catch (IOException | RuntimeException e) {
      return List.of(); // the snippet is a courtesy; the located message stands without it
    }
  }
}
