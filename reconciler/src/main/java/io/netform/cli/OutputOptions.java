package io.netform.cli;

import io.netform.diagnostics.render.Style;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Output flags shared by commands: format and colour. */
public final class OutputOptions {

  /** Named as typed on the command line (picocli lists and matches the constants' names). */
  enum Format { human, json, github }

  @Option(names = "--format", defaultValue = "human", paramLabel = "FORMAT",
      description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  Format format;

  @Mixin
  ColorOption color;

  Style style() {
    return format == Format.human ? color.style() : Style.PLAIN;
  }
}
