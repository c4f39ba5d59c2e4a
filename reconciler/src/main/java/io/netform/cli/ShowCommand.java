package io.netform.cli;

import io.netform.compile.Decompiler;
import io.netform.desired.write.DesiredStateYaml;
import io.netform.kernel.observe.HostObserver;
import io.netform.model.ObservedHost;
import io.netform.snapshot.Snapshot;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "show", mixinStandardHelpOptions = true,
    description = {"Print the networking netform manages on this host as a desired state (YAML that validates and "
        + "plans to no changes), or record the observed state for 'plan --observed'.",
        "Foreign interfaces, namespaces and firewall rules are never shown or touched."})
final class ShowCommand implements Callable<Integer> {

  @Mixin
  HostAccess access;

  @Option(names = "--snapshot", paramLabel = "FILE",
      description = "Write the observed-state snapshot (docs/snapshot-format.md) to FILE instead of printing YAML.")
  Path snapshot;

  @Override
  public Integer call() throws IOException {
    try (HostAccess.Opened opened = access.open()) {
      ObservedHost observed = new HostObserver(opened.host()).observe();
      if (snapshot != null) {
        OutputFile.save("the snapshot", snapshot, "--snapshot", () -> Snapshot.write(observed, snapshot));
        System.err.println("Wrote " + observed.owned().size() + " owned objects and " + observed.foreign().hostLinkNames().size()
            + " foreign interface names to " + snapshot + ".");
        return ExitCodes.OK;
      }
      String header = "netform show: " + observed.owned().size() + " objects managed by netform"
          + (access.sandbox ? " in a sandbox" : "") + ".\nAddresses are pinned, so planning this file here gives no changes.";
      System.out.print(DesiredStateYaml.write(Decompiler.decompile(observed.owned()), header));
      return ExitCodes.OK;
    }
  }
}
