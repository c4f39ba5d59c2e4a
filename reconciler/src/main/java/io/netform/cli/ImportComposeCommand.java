package io.netform.cli;

import io.netform.diagnostics.render.SourceLines;
import io.netform.imports.ComposeImport;
import io.netform.imports.ImportError;
import io.netform.validate.DesiredStateCheck;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "compose", mixinStandardHelpOptions = true,
    description = {"Import a Compose file's networking: services: with their networks:, ports:, network_mode: and "
        + "name keys become containers:, and the top-level networks: stay. Every other key is left out and listed."})
final class ImportComposeCommand implements Callable<Integer> {

  @Parameters(paramLabel = "FILE", description = "The Compose file (compose.yaml, docker-compose.yml).")
  Path file;

  @Mixin
  ImportOutput output;

  @Override
  public Integer call() {
    try {
      String text = ImportInput.read(file);
      ComposeImport.Translated translated = ComposeImport.translate(file.toString(), text);
      DesiredStateCheck.Checked checked = DesiredStateCheck.runParsed(translated.document());
      if (!checked.valid()) {
        ImportOutput.printErrors(checked, new SourceLines().withText(file.toString(), text));
        throw new UserError(file + ": its networking is not something netform takes (above); nothing was written");
      }
      return output.write(checked.state(), translated.notes(), file.toString());
    } catch (ImportError e) {
      throw new UserError(e.getMessage());
    }
  }
}
