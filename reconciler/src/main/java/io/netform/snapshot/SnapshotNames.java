package io.netform.snapshot;

import io.netform.model.ForeignNames;
import io.netform.model.HostResolvers;
import io.netform.net.IpAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The name part of a snapshot's foreign objects: {@code name_files} (key → path of a name file
 * netform did not write) and {@code host_resolvers} (the host's resolv.conf). A snapshot without
 * them (written before netform managed names) reads as a host whose resolvers are unknown.
 */
final class SnapshotNames {

  private SnapshotNames() {}

  static void write(ForeignNames names, ObjectNode foreign) {
    ObjectNode files = foreign.putObject("name_files");
    names.files().forEach(files::put);
    HostResolvers r = names.resolvers();
    if (!r.known()) {
      return;
    }
    ObjectNode resolvers = foreign.putObject("host_resolvers");
    addresses(resolvers.putArray("nameservers"), r.nameservers());
    r.search().forEach(resolvers.putArray("search")::add);
    r.options().forEach(resolvers.putArray("options")::add);
    addresses(resolvers.putArray("resolved_nameservers"), r.resolvedNameservers());
  }

  private static void addresses(ArrayNode array, List<IpAddress> ips) {
    ips.forEach(ip -> array.add(ip.toString()));
  }

  static ForeignNames read(JsonNode foreign, JsonPlaces source) {
    Map<String, String> files = new TreeMap<>();
    foreign.path("name_files").properties().forEach(e -> files.put(e.getKey(), e.getValue().asString("")));
    JsonNode r = foreign.path("host_resolvers");
    if (!r.isObject()) {
      return new ForeignNames(files, HostResolvers.UNKNOWN);
    }
    return new ForeignNames(files, new HostResolvers(ips(r, "nameservers", source), source.strings(r.path("search"), "foreign",
        "host_resolvers", "search"), source.strings(r.path("options"), "foreign", "host_resolvers", "options"), ips(r, "resolved_nameservers", source), true));
  }

  /** The addresses of {@code host_resolvers}' property {@code name}. */
  private static List<IpAddress> ips(JsonNode resolvers, String name, JsonPlaces source) {
    return source.parsed(resolvers.path(name), IpAddress::tryParse, "an address", "foreign", "host_resolvers", name);
  }
}
