package io.netform.cli;

import io.netform.diagnostics.render.Style;
import picocli.CommandLine.Option;

/** Output flags shared by commands: format and colour. */
public final class OutputOptions {

  /** Named as typed on the command line (picocli lists and matches the constants' names). */
  enum Format { human, json, github }

  @Option(names = "--format", defaultValue = "human", paramLabel = "FORMAT",
      description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  Format format;

  @Option(names = "--no-color", description = "Never colour the output (NO_COLOR is honoured too).")
  boolean noColor;

  Style style() {
    return format == Format.human ? Style.detect(noColor) : Style.PLAIN;
  }
}
