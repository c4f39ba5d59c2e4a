package io.netform.cli;

import io.netform.kernel.HostLock;
import io.netform.kernel.StateDirectoryException;
import io.netform.kernel.ffi.SyscallException;
import io.netform.kernel.firewall.FirewallException;
import io.netform.kernel.netlink.NetlinkException;
import io.netform.rollback.Checkpoints;
import io.netform.util.IoReasons;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine;

@Command(name = "netform", mixinStandardHelpOptions = true, versionProvider = Version.class,
    description = {"Declarative reconciler for Linux container networking: Docker's networks, declared in YAML.", ""},
    subcommands = {ValidateCommand.class, LockCommand.class, PlanCommand.class, ApplyCommand.class, DestroyCommand.class,
        ShowCommand.class, ImportCommand.class, ConfirmCommand.class, RollbackCommand.class, CheckCommand.class,
        GraphCommand.class, AgentCommand.class, StatusCommand.class, DnsCommand.class,
        CommandLine.HelpCommand.class},
    footer = {"", "Docs: docs/format.md (the desired-state format), docs/validation.md, docs/plan-output.md."})
public final class Main {

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the CLI and returns the exit code; user mistakes get a message, never a stack trace. */
  public static int run(String... args) {
    CommandLine cli = commandLine();
    cli.setParameterExceptionHandler((ex, argv) -> {
      CommandLine cmd = ex.getCommandLine();
      cmd.getErr().println("netform: " + ex.getMessage());
      cmd.getErr().println("Run '" + cmd.getCommandSpec().qualifiedName() + " --help' for usage.");
      return ExitCodes.ERROR;
    });
    cli.setExecutionExceptionHandler((ex, cmd, parsed) -> {
      Optional<String> told = notABug(ex);
      if (told.isPresent()) {
        cmd.getErr().println("netform: " + told.get());
        return ExitCodes.ERROR;
      }
      cmd.getErr().println("netform: internal error: " + ex + " (this is a bug; set NETFORM_DEBUG=1 for details)");
      if (System.getenv("NETFORM_DEBUG") != null) {
        ex.printStackTrace(cmd.getErr());
      }
      return ExitCodes.ERROR;
    });
    return cli.execute(args);
  }

  /** The commands with netform's option types: durations as people write them, formats in any case. */
  static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new Main());
    cli.registerConverter(java.time.Duration.class, new DurationConverter());
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    return cli;
  }

  /**
   * The message of a failure that is the user's or the environment's, not netform's: bad input, an
   * unusable state directory, a locked host, a kernel or firewall refusal, an I/O error. Each says
   * what went wrong; none is a bug.
   */
  static Optional<String> notABug(Exception ex) {
    if (ex instanceof UserError || ex instanceof StateDirectoryException || ex instanceof HostLock.LockedException
        || ex instanceof SyscallException || ex instanceof NetlinkException || ex instanceof FirewallException
        || ex instanceof Checkpoints.UnreadableException) {
      return Optional.of(ex.getMessage());
    }
    if (ex instanceof IOException io) {
      return Optional.of(IoReasons.describe(io));
    }
    if (ex instanceof UncheckedIOException io) {
      // a message of its own says what was being done; without one it is only the cause's toString()
      return Optional.of(io.getMessage().equals(String.valueOf(io.getCause())) ? IoReasons.describe(io.getCause())
          : io.getMessage());
    }
    return Optional.empty();
  }
}
