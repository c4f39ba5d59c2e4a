package io.netform.cli;

import io.netform.desired.Host;
import io.netform.desired.NetformNames;
import io.netform.imports.DockerInspectImport;
import io.netform.imports.ImportError;
import io.netform.imports.JsonDocument;
import io.netform.net.IpAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "docker", mixinStandardHelpOptions = true,
    description = {"Import Docker's networks and containers from what its inspect commands print:",
        "  docker network inspect $(docker network ls -q) > networks.json",
        "  docker inspect $(docker ps -aq) > containers.json",
        "Overlay networks need the hosts they span (--host); without it they are left out with a warning."})
final class ImportDockerCommand implements Callable<Integer> {

  private static final Pattern HOST = Pattern.compile("(" + NetformNames.PATTERN + ")=(.+)");

  @Option(names = "--networks", paramLabel = "NETWORKS.json", required = true,
      description = "The output of docker network inspect $(docker network ls -q).")
  Path networks;

  @Option(names = "--containers", paramLabel = "CONTAINERS.json",
      description = "The output of docker inspect $(docker ps -aq): the containers' modes, ports, aliases and static "
          + "addresses. Without it, containers come from the networks file with dynamic addresses only.")
  Path containers;

  @Option(names = "--host", paramLabel = "NAME=ADDRESS",
      description = "A host of the fleet with its underlay address, for overlay networks (repeat for each host); the "
          + "imported containers run on the first.")
  List<String> hosts = new ArrayList<>();

  @Mixin
  ImportOutput output;

  @Override
  public Integer call() {
    List<Host> fleet = hosts.stream().map(ImportDockerCommand::host).toList();
    Set<String> names = new HashSet<>();
    fleet.stream().filter(h -> !names.add(h.name())).findFirst().ifPresent(h -> {
      throw new UserError("--host " + h.name() + " is given twice; give each host of the fleet once, with its own address");
    });
    try {
      JsonDocument networksFile = JsonDocument.parse(networks.toString(), ImportInput.read(networks));
      Optional<JsonDocument> containersFile = Optional.ofNullable(containers)
          .map(c -> JsonDocument.parse(c.toString(), ImportInput.read(c)));
      DockerInspectImport.Imported imported = DockerInspectImport.read(networksFile, containersFile, fleet);
      String source = networks + (containers == null ? "" : " and " + containers);
      return output.write(imported.state(), imported.notes(), source);
    } catch (ImportError e) {
      throw new UserError(e.getMessage());
    }
  }

  private static Host host(String text) {
    Matcher m = HOST.matcher(text);
    Optional<IpAddress> address = m.matches() ? IpAddress.tryParse(m.group(2)) : Optional.empty();
    if (address.isEmpty() || !address.get().isV4()) {
      throw new UserError("--host " + text + ": expected NAME=IPV4-ADDRESS, e.g. --host node1=192.0.2.10");
    }
    return new Host(m.group(1), address.get(), Host.DEFAULT_VXLAN_PORT);
  }
}
