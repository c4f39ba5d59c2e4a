package io.netform.cli;

import io.netform.kernel.StateDirectory;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The state directory of a command that only reads or ends what is kept there (status, confirm). */
final class StateDirOption {

  @Option(names = "--state-dir", paramLabel = "DIR", defaultValue = StateDirectory.DEFAULT,
      description = "netform's state directory on this host (default: ${DEFAULT-VALUE}).")
  Path stateDir;
}
