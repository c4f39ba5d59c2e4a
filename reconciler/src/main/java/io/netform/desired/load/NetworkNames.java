package io.netform.desired.load;

import io.netform.desired.Attachment;
import io.netform.desired.Container;
import io.netform.desired.Network;
import io.netform.desired.SourceMap;
import io.netform.diagnostics.Diagnostic;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Compose's {@code name:} of a network: its name on the host, where the key is only what the files
 * call it. After the files are merged, each network is renamed to its name on the host and the
 * attachments follow, so that every later stage (ownership, the bridge's derived name, plan and
 * show) sees the name the host knows, as Docker's network name is; the source map still finds
 * each network where its key was written.
 */
final class NetworkNames {

  private NetworkNames() {}

  record Renamed(Map<String, Network> networks, Map<String, Container> containers, SourceMap sources) {}

  static Renamed apply(Map<String, Network> networks, Map<String, Container> containers,
      Map<String, DocumentMapper.HostName> names, SourceMap sources, List<Diagnostic> problems) {
    if (names.isEmpty()) {
      return new Renamed(networks, containers, sources);
    }
    Map<String, String> claimedBy = new HashMap<>(); // name on the host → key of the network that has it
    boolean clash = false;
    for (String key : networks.keySet()) {
      DocumentMapper.HostName name = names.get(key);
      String onHost = name == null ? key : name.name();
      String other = claimedBy.putIfAbsent(onHost, key);
      if (other != null) {
        clash = true;
        DocumentMapper.HostName at = name != null ? name : names.get(other);
        String named = name != null ? key : other;
        String owner = name != null ? other : key;
        problems.add(Diagnostic.error("duplicate-name", at.at(), "network \"" + named + "\" is named \"" + onHost
            + "\" on the host, which is already the name of network \"" + owner + "\"",
            "give each network a name of its own"));
      }
    }
    if (clash) {
      return new Renamed(networks, containers, sources);
    }
    Map<String, Network> renamedNetworks = new LinkedHashMap<>();
    Map<String, String> aliases = new HashMap<>();
    networks.forEach((key, n) -> {
      String onHost = names.containsKey(key) ? names.get(key).name() : key;
      renamedNetworks.put(onHost, onHost.equals(key) ? n : n.renamed(onHost));
      if (!onHost.equals(key)) {
        aliases.put("/networks/" + SourceMap.segment(onHost), "/networks/" + SourceMap.segment(key));
      }
    });
    Map<String, Container> renamedContainers = new LinkedHashMap<>();
    containers.forEach((name, c) -> {
      List<Attachment> attachments = c.attachments().stream().map(a -> {
        DocumentMapper.HostName to = names.get(a.network());
        if (to == null) {
          return a;
        }
        String prefix = "/containers/" + SourceMap.segment(name) + "/networks/";
        aliases.put(prefix + SourceMap.segment(to.name()), prefix + SourceMap.segment(a.network()));
        return new Attachment(to.name(), a.ipv4Address(), a.ipv6Address(), a.macAddress(), a.aliases(), a.gwPriority());
      }).toList();
      renamedContainers.put(name, c.withAttachments(attachments));
    });
    return new Renamed(renamedNetworks, renamedContainers, sources.withAliases(aliases));
  }
}
