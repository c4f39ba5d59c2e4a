package io.netform.snapshot;

import io.netform.model.FirewallTable;
import io.netform.model.ForeignNamespace;
import io.netform.model.ForeignObjects;
import io.netform.model.ForeignRule;
import io.netform.model.HostModel;
import io.netform.model.KernelObject;
import io.netform.model.ObservedHost;
import io.netform.net.Cidr;
import io.netform.net.IpAddress;
import io.netform.util.AtomicFiles;
import io.netform.util.Json;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The observed-state snapshot file: what {@code netform show --snapshot} writes and
 * {@code netform plan --observed} reads. Format documented in docs/snapshot-format.md:
 * {@code {"format": "netform-snapshot", "version": 1, "owned": [...], "foreign": {...}}}.
 */
public final class Snapshot {

  public static final String FORMAT = "netform-snapshot";
  public static final int VERSION = 1;

  private Snapshot() {}

  /** Canonical JSON: owned objects sorted by key, foreign sets sorted. */
  public static String toJson(ObservedHost host) {
    ObjectNode root = Json.MAPPER.createObjectNode();
    root.put("format", FORMAT);
    root.put("version", VERSION);
    ArrayNode owned = root.putArray("owned");
    host.owned().objects().values().forEach(o -> owned.add(Json.MAPPER.valueToTree(o)));
    ObjectNode foreign = root.putObject("foreign");
    ArrayNode links = foreign.putArray("host_links");
    new TreeSet<>(host.foreign().hostLinkNames()).forEach(links::add);
    ArrayNode routes = foreign.putArray("host_routes");
    host.foreign().hostRoutes().stream().sorted().forEach(r -> routes.add(r.toString()));
    ArrayNode namespaces = foreign.putArray("namespaces");
    new TreeSet<>(host.foreign().namespaces()).forEach(namespaces::add);
    ArrayNode addresses = foreign.putArray("host_addresses");
    host.foreign().hostAddresses().stream().sorted().forEach(a -> addresses.add(a.toString()));
    ObjectNode contents = foreign.putObject("namespace_contents");
    host.foreign().namespaceContents().forEach((name, ns) -> {
      ObjectNode o = contents.putObject(name);
      ArrayNode nsLinks = o.putArray("links");
      new TreeSet<>(ns.links()).forEach(nsLinks::add);
      ArrayNode nsRoutes = o.putArray("routes");
      ns.routes().stream().sorted().forEach(r -> nsRoutes.add(r.toString()));
      o.put("host", ns.isHost());
    });
    ArrayNode rules = foreign.putArray("firewall_rules");
    host.foreign().firewallRules().forEach(r -> {
      ObjectNode rule = rules.addObject().put("table", r.table().text()).put("chain", r.chain()).put("spec", r.spec());
      if (r.family() == IpAddress.Family.V6) {
        rule.put("family", "ipv6"); // an ip6tables rule; without the field, an iptables one (as before IPv6 rules)
      }
      if (r.inNftables()) {
        rule.put("nft_handle", r.nftHandle()); // a rule in netform's nftables table, not in iptables
      }
    });
    foreign.put("namespace_dir", host.foreign().namespaceDir());
    if (!host.foreign().nonNamespaceEntries().isEmpty()) { // the usual host has none: its snapshot stays as it was
      ObjectNode others = foreign.putObject("non_namespace_entries");
      host.foreign().nonNamespaceEntries().forEach(others::put);
    }
    SnapshotNames.write(host.foreign().names(), foreign);
    return Json.MAPPER.writeValueAsString(root) + "\n";
  }

  public static void write(ObservedHost host, Path file) throws IOException {
    AtomicFiles.write(file, toJson(host));
  }

  /** Reads a snapshot; a malformed file gives a {@link SnapshotException} naming file, line and column. */
  public static ObservedHost read(Path file) throws IOException {
    JsonPlaces source = JsonPlaces.read(file, "not a netform snapshot: the file holds binary data or is not UTF-8 "
        + "text; record one with: netform show --snapshot FILE");
    JsonNode root;
    try {
      root = Json.MAPPER.readTree(source.text());
    } catch (JacksonException e) {
      throw new SnapshotException(file + JsonPlaces.at(e.getLocation()) + ": not valid JSON: " + e.getOriginalMessage());
    }
    if (root == null || !root.isObject() || !FORMAT.equals(root.path("format").asString(""))) {
      throw new SnapshotException(file + ": not a netform snapshot (expected \"format\": \"" + FORMAT
          + "\"); write one with: netform show --snapshot FILE");
    }
    int version = root.path("version").asInt(-1);
    if (version != VERSION) {
      throw new SnapshotException(file + ": snapshot version " + version + " is not supported (this netform reads version "
          + VERSION + ")");
    }
    List<KernelObject> owned = new ArrayList<>();
    JsonNode list = root.path("owned");
    if (!list.isArray()) {
      throw new SnapshotException(file + ": \"owned\" is " + (list.isMissingNode() ? "missing" : list.getNodeType()
          .toString().toLowerCase(java.util.Locale.ROOT)) + ", not a list of objects; record the snapshot again with: "
          + "netform show --snapshot FILE");
    }
    for (int i = 0; i < list.size(); i++) {
      try {
        owned.add(ObjectJson.read(list.get(i)));
      } catch (ObjectJson.Invalid e) {
        throw new SnapshotException(source.entry(i, "owned") + " is not a valid object: " + e.getMessage()
            + "; record the snapshot again with: netform show --snapshot FILE");
      }
    }
    JsonNode foreign = root.path("foreign");
    List<String> links = source.strings(foreign.path("host_links"), "foreign", "host_links");
    List<Cidr> routes = cidrs(foreign.path("host_routes"), source, "foreign", "host_routes");
    List<Cidr> addresses = cidrs(foreign.path("host_addresses"), source, "foreign", "host_addresses");
    Map<String, ForeignNamespace> contents = new TreeMap<>();
    foreign.path("namespace_contents").properties().forEach(e -> contents.put(e.getKey(), new ForeignNamespace(
        new HashSet<>(source.strings(e.getValue().path("links"), "foreign", "namespace_contents", e.getKey(),
            "links")),
        cidrs(e.getValue().path("routes"), source, "foreign", "namespace_contents", e.getKey(), "routes"),
        e.getValue().path("host").asBoolean(false))));
    List<ForeignRule> rules = new ArrayList<>();
    JsonNode ruleList = foreign.path("firewall_rules");
    for (int i = 0; i < ruleList.size(); i++) {
      rules.add(rule(ruleList.get(i), source, i));
    }
    try {
      return new ObservedHost(HostModel.of(owned), new ForeignObjects(new HashSet<>(links), routes,
          new HashSet<>(source.strings(foreign.path("namespaces"), "foreign", "namespaces")), addresses, contents, rules,
          foreign.path("namespace_dir").asString(""), SnapshotNames.read(foreign, source), nonNamespaceEntries(foreign)));
    } catch (IllegalArgumentException e) {
      throw new SnapshotException(file + ": " + e.getMessage() + "; record the snapshot again with: netform show "
          + "--snapshot FILE");
    }
  }

  /** {@code foreign.non_namespace_entries}: name → what it is. */
  private static Map<String, String> nonNamespaceEntries(JsonNode foreign) {
    Map<String, String> out = new TreeMap<>();
    foreign.path("non_namespace_entries").properties().forEach(e -> out.put(e.getKey(), e.getValue().asString("")));
    return out;
  }

  /** Entry {@code index} of {@code foreign.firewall_rules}, whose family is absent for an iptables rule. */
  private static ForeignRule rule(JsonNode r, JsonPlaces source, int index) {
    String table = r.path("table").asString("");
    FirewallTable t = FirewallTable.of(table).orElseThrow(() -> new SnapshotException(source.entry(index, "foreign",
        "firewall_rules") + ": table \"" + table + "\" is not " + FirewallTable.names()));
    String family = r.path("family").asString("ipv4");
    if (!family.equals("ipv4") && !family.equals("ipv6")) {
      throw new SnapshotException(source.entry(index, "foreign", "firewall_rules") + ": family \"" + family
          + "\" is not ipv4 or ipv6");
    }
    return new ForeignRule(t, r.path("chain").asString(""), r.path("spec").asString(""),
        family.equals("ipv6") ? IpAddress.Family.V6 : IpAddress.Family.V4, r.path("nft_handle").asLong(-1));
  }

  /** The address blocks of the array at {@code path}. */
  private static List<Cidr> cidrs(JsonNode array, JsonPlaces source, String... path) {
    return source.parsed(array, Cidr::tryParse, "an address block", path);
  }
}
