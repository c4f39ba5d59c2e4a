package io.netform.imports;

import io.netform.desired.Attachment;
import io.netform.desired.Container;
import io.netform.desired.NetformNames;
import io.netform.desired.NetworkMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Containers as the networks file alone knows them (each network's {@code Containers}), when no
 * {@code docker inspect} output is given: their networks, with dynamic addresses, and the host or
 * none mode of those on Docker's predefined networks. Ports, aliases and static addresses are not
 * in that file.
 */
final class NetworkMembers {

  private NetworkMembers() {}

  static Map<String, Container> read(DockerNetworks.Result networks, ImportNotes notes) {
    Map<String, List<Attachment>> attachments = new LinkedHashMap<>();
    Map<String, NetworkMode> modes = new LinkedHashMap<>();
    networks.members().forEach((network, names) -> {
      for (String name : names) {
        if (network.equals("host") || network.equals("none")) {
          modes.put(name, network.equals("host") ? NetworkMode.HOST : NetworkMode.NONE);
        } else if (networks.networks().containsKey(network)) {
          attachments.computeIfAbsent(name, k -> new ArrayList<>()).add(Attachment.dynamic(network));
        } else {
          notes.leftOut("container \"" + name + "\" on network \"" + network + "\"", "the network is left out");
        }
      }
    });
    Map<String, Container> out = new LinkedHashMap<>();
    List<String> all = new ArrayList<>(modes.keySet());
    attachments.keySet().stream().filter(n -> !all.contains(n)).forEach(all::add);
    for (String name : all) {
      if (!NetformNames.allowed(name)) {
        notes.leftOut("container \"" + name + "\"", NetformNames.REFUSED);
        continue;
      }
      NetworkMode mode = modes.getOrDefault(name, NetworkMode.OWN);
      List<Attachment> on = mode instanceof NetworkMode.Own ? attachments.get(name) : List.of();
      out.put(name, new Container(name, mode, on, List.of(), java.util.Optional.empty()));
      notes.imported(out.get(name));
    }
    if (!out.isEmpty()) {
      notes.leftOut("containers' ports, aliases, static addresses and container: modes", "not in the networks file; "
          + "import again with --containers (the output of docker inspect $(docker ps -aq))");
    }
    return out;
  }
}
