package io.netform.cli;

import io.netform.diagnostics.render.DiagnosticFormat;
import io.netform.diagnostics.render.SourceLines;
import io.netform.validate.DesiredStateCheck;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "validate", mixinStandardHelpOptions = true,
    description = {"Check desired-state files: YAML syntax, the schema, and meaning (addresses, subnets, names, ports).",
        "Reports every problem at once with file:line:column, what is wrong and how to fix it. Needs no root."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:valid (warnings allowed unless --strict)", "1:invalid"})
final class ValidateCommand implements Callable<Integer> {

  @Parameters(arity = "1..*", paramLabel = "PATH", description = "Files or directories (*.yaml, *.yml, recursively).")
  List<Path> paths;

  @Option(names = "--strict", description = "Treat warnings as errors.")
  boolean strict;

  @Option(names = "--locked", description = "Fail when netform.lock (the overlay allocation, written by 'netform "
      + "lock') is missing or does not hold the allocation the desired state has now: for CI.")
  boolean locked;

  @Mixin
  OutputOptions output;

  @Override
  public Integer call() {
    DesiredStateCheck.Checked checked = DesiredStateCheck.run(paths, locked);
    DiagnosticFormat format = DiagnosticFormat.named(output.format.name(), output.style(),
        SourceLines.of(checked.texts()));
    System.out.print(format.render(checked.diagnostics(), Refusal.summary(checked)));
    System.out.flush();
    if (checked.valid() && !checked.passes(strict)) {
      // "Valid" above is the desired state's verdict; --strict is what makes the command fail
      System.err.println("netform: --strict: the warnings above fail the check; fix them, or leave out --strict");
    }
    return checked.passes(strict) ? ExitCodes.OK : ExitCodes.ERROR;
  }
}
