package io.netform.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "netform", mixinStandardHelpOptions = true, versionProvider = Version.class,
    description = {"Declarative reconciler for Linux container networking: Docker's networks, declared in YAML.", ""},
    subcommands = {ValidateCommand.class, PlanCommand.class, ApplyCommand.class, DestroyCommand.class, ShowCommand.class,
        AgentCommand.class, StatusCommand.class,
        CommandLine.HelpCommand.class},
    footer = {"", "Docs: docs/format.md (the desired-state format), docs/validation.md, docs/plan-output.md."})
public final class Main {

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the CLI and returns the exit code; user mistakes get a message, never a stack trace. */
  public static int run(String... args) {
    CommandLine cli = new CommandLine(new Main());
    cli.setParameterExceptionHandler((ex, argv) -> {
      CommandLine cmd = ex.getCommandLine();
      cmd.getErr().println("netform: " + ex.getMessage());
      cmd.getErr().println("Run '" + cmd.getCommandSpec().qualifiedName() + " --help' for usage.");
      return ExitCodes.ERROR;
    });
    cli.setExecutionExceptionHandler((ex, cmd, parsed) -> {
      if (ex instanceof UserError user) {
        cmd.getErr().println("netform: " + user.getMessage());
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
}
