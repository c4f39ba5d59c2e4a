package io.netform.cli;

import io.netform.diagnostics.render.Style;
import picocli.CommandLine.Option;

/** Output flags shared by commands: format and colour. */
public final class OutputOptions {

  @Option(names = "--format", defaultValue = "human", paramLabel = "FORMAT",
      description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).",
      completionCandidates = Formats.class)
  String format;

  @Option(names = "--no-color", description = "Never colour the output (NO_COLOR is honoured too).")
  boolean noColor;

  Style style() {
    return "human".equals(format) ? Style.detect(noColor) : Style.PLAIN;
  }

  static final class Formats extends java.util.ArrayList<String> {
    Formats() {
      super(java.util.List.of("human", "json", "github"));
    }
  }
}
