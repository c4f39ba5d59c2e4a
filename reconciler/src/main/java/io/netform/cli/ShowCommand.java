package io.netform.cli;

import io.netform.compile.Decompiler;
import io.netform.desired.Host;
import io.netform.desired.write.DesiredStateYaml;
import io.netform.kernel.UnderlayAddress;
import io.netform.kernel.observe.HostObserver;
import io.netform.model.ObservedHost;
import io.netform.net.IpAddress;
import io.netform.snapshot.Snapshot;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "show", mixinStandardHelpOptions = true,
    description = {"Print the networking netform manages on this host as a desired state (YAML that validates and "
        + "plans to no changes), or record the observed state for 'plan --observed'.",
        "A host holding overlay networks is shown as its share of a multi-host desired state (hosts:, the overlay "
            + "networks, the containers on other hosts it has entries for); plan it with --host NAME. What a host "
            + "cannot know is said in the header (docs/overlay.md).",
        "Foreign interfaces, namespaces and firewall rules are never shown or touched."})
final class ShowCommand implements Callable<Integer> {

  @Mixin
  HostAccess access;

  @Option(names = "--snapshot", paramLabel = "FILE",
      description = "Write the observed-state snapshot (docs/snapshot-format.md) to FILE instead of printing YAML.")
  Path snapshot;

  @Option(names = "--host", paramLabel = "NAME",
      description = "This machine's name under hosts:, on a host holding overlay networks (default: this machine's "
          + "hostname). Not used without overlay networks.")
  String host;

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
      List<IpAddress> peers = Decompiler.peers(observed.owned());
      Optional<IpAddress> address = UnderlayAddress.towards(opened.host().root(), peers, Host.DEFAULT_VXLAN_PORT);
      Decompiler.Shown shown;
      try {
        shown = Decompiler.show(observed.owned(), new Decompiler.ThisHost(hostName(), address));
      } catch (Decompiler.WrongHost e) {
        throw new UserError(e.getMessage());
      }
      boolean fleet = shown.state().fleet().declared();
      StringBuilder header = new StringBuilder("netform show: " + observed.owned().size() + " objects managed by netform"
          + (access.sandbox ? " in a sandbox" : "") + ".\nAddresses are pinned, so planning this file here gives no changes"
          + (fleet ? " (plan --host " + hostName() + "; no lock file is needed)." : "."));
      shown.notes().forEach(n -> header.append('\n').append(n));
      System.out.print(DesiredStateYaml.write(shown.state(), header.toString()));
      return ExitCodes.OK;
    }
  }

  private String hostName() {
    if (host != null) {
      return host;
    }
    String machine = HostOption.machineHostname();
    return machine.isEmpty() ? "localhost" : machine;
  }
}
