package io.netform.cli;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Flags of the commands that change a host (apply, destroy). */
final class ChangeOptions {

  @Option(names = "--auto-approve", description = "Make the changes without asking (for scripts).")
  boolean autoApprove;

  @Mixin
  ColorOption color;
}
