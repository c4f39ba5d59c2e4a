package io.netform.cli;

import picocli.CommandLine.Command;

@Command(name = "import", mixinStandardHelpOptions = true,
    description = {"Turn what you have today into a netform desired state (YAML on standard output, or --out FILE): "
        + "Docker's inspect output or a Compose file.",
        "The header comment says what was imported and, one line each, what was left out and why (docs/import.md)."},
    subcommands = {ImportDockerCommand.class, ImportComposeCommand.class})
final class ImportCommand {}
