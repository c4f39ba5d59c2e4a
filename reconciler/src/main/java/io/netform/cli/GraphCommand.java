package io.netform.cli;

import io.netform.graph.DotPicture;
import io.netform.graph.MermaidPicture;
import io.netform.graph.Topology;
import io.netform.validate.DesiredStateCheck;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "graph", mixinStandardHelpOptions = true,
    description = {"A picture of the desired state's topology: networks, containers with their addresses, shared "
        + "namespaces and the way out, by host in a fleet. Mermaid (drawn by GitHub and GitLab in Markdown) or "
        + "Graphviz DOT. Needs no root and no host."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:drawn", "1:an invalid desired state"})
final class GraphCommand implements Callable<Integer> {

  enum Format { MERMAID, DOT }

  @Parameters(arity = "1..*", paramLabel = "PATH", description = "Desired-state files or directories.")
  List<Path> paths;

  @Option(names = "--format", paramLabel = "FORMAT", description = "mermaid (default) or dot.")
  Format format = Format.MERMAID;

  @Mixin
  ColorOption color;

  @Override
  public Integer call() {
    DesiredStateCheck.Checked checked = DesiredStateCheck.run(paths);
    if (!checked.valid()) {
      return Refusal.print(checked.diagnostics(), checked, color.style(), "nothing drawn");
    }
    Topology t = Topology.of(checked.state());
    System.out.print(format == Format.DOT ? DotPicture.render(t) : MermaidPicture.render(t));
    return ExitCodes.OK;
  }
}
