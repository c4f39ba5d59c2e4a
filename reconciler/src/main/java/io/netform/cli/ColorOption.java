package io.netform.cli;

import io.netform.diagnostics.render.Style;
import picocli.CommandLine.Option;

/** {@code --no-color}, shared by the commands that colour what they print. */
final class ColorOption {

  @Option(names = "--no-color", description = "Never colour the output (NO_COLOR is honoured too).")
  boolean noColor;

  /** Colours when the output is a terminal, unless --no-color or NO_COLOR says not to. */
  Style style() {
    return Style.detect(noColor);
  }
}
