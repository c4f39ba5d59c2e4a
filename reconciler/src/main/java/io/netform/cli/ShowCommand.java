package io.netform.cli;

import io.netform.compile.Decompiler;
import io.netform.desired.Host;
import io.netform.desired.NetformNames;
import io.netform.desired.write.DesiredStateYaml;
import io.netform.kernel.UnderlayAddress;
import io.netform.kernel.observe.HostObserver;
import io.netform.model.ObservedHost;
import io.netform.net.IpAddress;
import io.netform.snapshot.Snapshot;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
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
      String name = hostName(); // read once: the machine's hostname unless --host gives one
      String named = host != null ? "--host " + host : "this machine's hostname \"" + name + "\"";
      List<IpAddress> peers = Decompiler.peers(observed.owned());
      Optional<IpAddress> address = UnderlayAddress.towards(opened.host().root(), peers, Host.DEFAULT_VXLAN_PORT);
      Decompiler.Shown shown;
      try {
        shown = Decompiler.show(observed.owned(), new Decompiler.ThisHost(name, address));
      } catch (Decompiler.WrongHost e) {
        throw new UserError(named + ": " + e.getMessage());
      }
      boolean fleet = shown.state().fleet().declared();
      if (fleet && !HOST_NAME.matcher(name).matches()) {
        throw new UserError(named + " is not a host name the desired state takes (letters, digits, '_', '.', '-'): give one with --host NAME");
      }
      List<String> header = new ArrayList<>();
      header.add("netform show: " + observed.owned().size() + " objects managed by netform"
          + (access.sandbox ? " in a sandbox" : "") + ".");
      header.add("Addresses are pinned, so planning this file here gives no changes"
          + (fleet ? " (plan --host " + name + "); no lock file is needed." : "."));
      header.addAll(shown.notes());
      System.out.print(DesiredStateYaml.write(shown.state(),
          String.join("\n", header.stream().map(ShowCommand::wrapped).toList())));
      return ExitCodes.OK;
    }
  }

  /** The schema's pattern of a name (schemas/netform.schema.json, $defs/name). */
  private static final Pattern HOST_NAME = Pattern.compile(NetformNames.PATTERN);

  /** A sentence in lines of at most 100 characters or so, for the header comment. */
  private static String wrapped(String sentence) {
    StringBuilder out = new StringBuilder();
    int lineStart = 0;
    for (String word : sentence.split(" ")) {
      if (out.length() > lineStart && out.length() - lineStart + word.length() > 96) {
        out.append('\n');
        lineStart = out.length();
      } else if (out.length() > lineStart) {
        out.append(' ');
      }
      out.append(word);
    }
    return out.toString();
  }

  private String hostName() {
    if (host != null) {
      return host;
    }
    String machine = HostOption.machineHostname();
    return machine.isEmpty() ? "localhost" : machine;
  }
}
