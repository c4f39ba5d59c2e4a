package io.netform.imports;

import io.netform.desired.Container;
import io.netform.desired.DesiredState;
import io.netform.desired.Fleet;
import io.netform.desired.Host;
import io.netform.desired.Network;
import io.netform.desired.SourceMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What Docker has on a machine, as a netform desired state: the networks of
 * {@code docker network inspect $(docker network ls -q)} and, when given, the containers of
 * {@code docker inspect $(docker ps -aq)}. Pure: JSON in, a desired state and its notes out.
 * {@code hosts} declare the fleet that overlay networks need; the containers run on the first.
 */
public final class DockerInspectImport {

  /** The desired state imported, and what was and was not carried over. */
  public record Imported(DesiredState state, ImportNotes notes) {}

  private DockerInspectImport() {}

  public static Imported read(JsonDocument networksFile, Optional<JsonDocument> containersFile, List<Host> hosts) {
    ImportNotes notes = new ImportNotes();
    DockerNetworks.Result networks = DockerNetworks.read(networksFile.root(), notes, !hosts.isEmpty());
    Map<String, Container> containers = containersFile.isPresent()
        ? DockerContainers.read(containersFile.get().root(), networks, notes)
        : NetworkMembers.read(networks, notes);
    Map<String, Host> fleet = new LinkedHashMap<>();
    if (networks.networks().values().stream().anyMatch(Network::isOverlay)) {
      hosts.forEach(h -> fleet.put(h.name(), h));
    } else if (!hosts.isEmpty()) {
      notes.leftOut("hosts " + String.join(", ", hosts.stream().map(Host::name).toList()),
          "no overlay network was imported, so no fleet is needed");
    }
    if (fleet.size() > 1) {
      // the files are one machine's: its containers run on the first host named
      Map<String, Container> placed = new LinkedHashMap<>();
      containers.forEach((name, c) -> placed.put(name, c.withHost(hosts.get(0).name())));
      containers = placed;
    }
    DesiredState state = new DesiredState(networks.networks(), containers, SourceMap.empty(),
        new Fleet(fleet, Optional.empty()));
    return new Imported(state, notes);
  }
}
