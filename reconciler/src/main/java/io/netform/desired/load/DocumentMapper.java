package io.netform.desired.load;

import io.netform.desired.Attachment;
import io.netform.desired.Container;
import io.netform.desired.Driver;
import io.netform.desired.IpamPool;
import io.netform.desired.Network;
import io.netform.desired.NetworkMode;
import io.netform.desired.PortMapping;
import io.netform.desired.SourceMap;
import io.netform.diagnostics.Diagnostic;
import io.netform.net.Cidr;
import io.netform.net.IpAddress;
import io.netform.net.MacAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * Turns one schema-checked JSON tree into desired-state records. It is lenient about shapes the
 * schema already reported (they are skipped) and reports what only it can see: addresses that do
 * not parse, port syntax, Docker driver options that are unknown or contradict a first-class key.
 */
final class DocumentMapper {

  private final SourceMap sources;
  private final List<Diagnostic> problems = new ArrayList<>();
  private final Map<String, Network> networks = new LinkedHashMap<>();
  private final Map<String, Container> containers = new LinkedHashMap<>();
  /** Extra source entries: list-form attachments by name and ports by mapping, for precise locations. */
  private final Map<String, io.netform.diagnostics.Location> aliases = new java.util.HashMap<>();

  private DocumentMapper(SourceMap sources) {
    this.sources = sources;
  }

  record Mapped(Map<String, Network> networks, Map<String, Container> containers, List<Diagnostic> problems,
      SourceMap extraSources) {}

  static Mapped map(JsonNode root, SourceMap sources) {
    DocumentMapper m = new DocumentMapper(sources);
    if (root != null && root.isObject()) {
      m.networks(root.get("networks"));
      m.containers(root.get("containers"));
    }
    return new Mapped(m.networks, m.containers, m.problems, new SourceMap(m.aliases, m.aliases));
  }

  private void networks(JsonNode node) {
    if (node == null || !node.isObject()) {
      return;
    }
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      String path = "/networks/" + SourceMap.segment(e.getKey());
      network(e.getKey(), path, e.getValue()).ifPresent(n -> networks.put(n.name(), n));
    }
  }

  private Optional<Network> network(String name, String path, JsonNode n) {
    JsonNode node = n == null || n.isNull() ? tools.jackson.databind.node.JsonNodeFactory.instance.objectNode() : n;
    if (!node.isObject()) {
      return Optional.empty();
    }
    Map<String, Setting> settings = new LinkedHashMap<>();
    for (String key : List.of("bridge_name", "icc", "masquerade", "host_binding_ipv4", "mtu", "default",
        "enable_ipv6", "parent")) {
      JsonNode v = node.get(key);
      if (v != null && !v.isNull()) {
        settings.put(key, new Setting(v.asString(), path + "/" + key));
      }
    }
    foldDriverOptions(node.get("driver_opts"), path + "/driver_opts", settings);

    Driver driver = Driver.fromText(text(node.get("driver"), "bridge")).orElse(Driver.BRIDGE);
    List<IpamPool> pools = pools(node.get("ipam"), path + "/ipam");
    Map<String, String> labels = new LinkedHashMap<>();
    JsonNode labelNode = node.get("labels");
    if (labelNode != null && labelNode.isObject()) {
      labelNode.properties().forEach(l -> labels.put(l.getKey(), l.getValue().asString()));
    }
    return Optional.of(new Network(
        name,
        driver,
        setting(settings, "bridge_name").map(Setting::value),
        pools,
        bool(node.get("internal"), false),
        booleanSetting(settings, "icc", true),
        booleanSetting(settings, "masquerade", true),
        mtu(settings),
        setting(settings, "host_binding_ipv4").flatMap(s -> address(s.value(), s.path(), "host_binding_ipv4")),
        booleanSetting(settings, "enable_ipv6", false),
        labels,
        setting(settings, "parent").map(Setting::value),
        booleanSetting(settings, "default", false)));
  }

  /** A first-class setting with the path it was written at (key or driver option). */
  private record Setting(String value, String path) {}

  private static Optional<Setting> setting(Map<String, Setting> settings, String key) {
    return Optional.ofNullable(settings.get(key));
  }

  private void foldDriverOptions(JsonNode opts, String path, Map<String, Setting> settings) {
    if (opts == null || !opts.isObject()) {
      return;
    }
    for (Map.Entry<String, JsonNode> e : opts.properties()) {
      String key = e.getKey();
      String optPath = path + "/" + SourceMap.segment(key);
      String first = DriverOptions.SYNONYMS.get(key);
      if (first == null) {
        String hint = DriverOptions.suggestion(key).map(s -> "did you mean \"" + s + "\"?")
            .orElse("known options: " + String.join(", ", DriverOptions.knownKeys()));
        problems.add(Diagnostic.error("unknown-driver-option", sources.key(optPath),
            "unknown driver option \"" + key + "\" (Docker would store it and silently ignore it)", hint));
        continue;
      }
      String value = e.getValue().asString();
      if (first.equals("macvlan_mode")) {
        if (!value.equals("bridge")) {
          problems.add(Diagnostic.error("unsupported-macvlan-mode", sources.value(optPath),
              "macvlan_mode \"" + value + "\" is not supported", "netform creates macvlans in bridge mode; remove the option"));
        }
        continue;
      }
      Setting existing = settings.get(first);
      if (existing != null && !sameValue(existing.value(), value)) {
        problems.add(Diagnostic.error("conflicting-option", sources.value(optPath),
            "driver option " + key + "=" + value + " contradicts " + first + ": " + existing.value()
                + " (at " + sources.value(existing.path()) + ")",
            "keep one spelling: prefer \"" + first + "\" and remove the driver option"));
        continue;
      }
      if (existing == null) {
        settings.put(first, new Setting(value, optPath));
        // Later checks talk about the first-class key; point them at the option that set it.
        aliases.put(path.substring(0, path.lastIndexOf('/')) + "/" + first, sources.value(optPath));
      }
    }
  }

  private static boolean sameValue(String a, String b) {
    return a.equalsIgnoreCase(b);
  }

  private boolean booleanSetting(Map<String, Setting> settings, String key, boolean fallback) {
    Setting s = settings.get(key);
    if (s == null) {
      return fallback;
    }
    if (s.value().equalsIgnoreCase("true") || s.value().equalsIgnoreCase("false")) {
      return Boolean.parseBoolean(s.value().toLowerCase(java.util.Locale.ROOT));
    }
    problems.add(Diagnostic.error("bad-boolean", sources.value(s.path()), key + " must be true or false, found \""
        + s.value() + "\"", "write true or false"));
    return fallback;
  }

  private int mtu(Map<String, Setting> settings) {
    Setting s = settings.get("mtu");
    if (s == null) {
      return Network.DEFAULT_MTU;
    }
    try {
      int mtu = Integer.parseInt(s.value().trim());
      if (mtu >= 68 && mtu <= 65535) {
        return mtu;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    problems.add(Diagnostic.error("bad-mtu", sources.value(s.path()), "MTU \"" + s.value() + "\" is not a number from 68 to 65535",
        "write a whole number such as 1500"));
    return Network.DEFAULT_MTU;
  }

  private List<IpamPool> pools(JsonNode ipam, String path) {
    List<IpamPool> out = new ArrayList<>();
    if (ipam == null || !ipam.isObject() || ipam.get("config") == null || !ipam.get("config").isArray()) {
      return out;
    }
    JsonNode config = ipam.get("config");
    for (int i = 0; i < config.size(); i++) {
      JsonNode pool = config.get(i);
      String poolPath = path + "/config/" + i;
      if (!pool.isObject() || pool.get("subnet") == null) {
        continue;
      }
      Optional<Cidr> subnet = cidr(pool.get("subnet"), poolPath + "/subnet", "subnet");
      Optional<IpAddress> gateway = optionalAddress(pool.get("gateway"), poolPath + "/gateway", "gateway");
      Optional<Cidr> range = pool.get("ip_range") == null ? Optional.empty()
          : cidr(pool.get("ip_range"), poolPath + "/ip_range", "ip_range");
      Map<String, IpAddress> aux = new LinkedHashMap<>();
      JsonNode auxNode = pool.get("aux_addresses");
      if (auxNode != null && auxNode.isObject()) {
        for (Map.Entry<String, JsonNode> a : auxNode.properties()) {
          address(a.getValue().asString(), poolPath + "/aux_addresses/" + SourceMap.segment(a.getKey()), "aux address")
              .ifPresent(ip -> aux.put(a.getKey(), ip));
        }
      }
      subnet.ifPresent(s -> out.add(new IpamPool(s, gateway, range, aux)));
    }
    return out;
  }

  private void containers(JsonNode node) {
    if (node == null || !node.isObject()) {
      return;
    }
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      String path = "/containers/" + SourceMap.segment(e.getKey());
      JsonNode c = e.getValue() == null || e.getValue().isNull()
          ? tools.jackson.databind.node.JsonNodeFactory.instance.objectNode() : e.getValue();
      if (c.isObject()) {
        containers.put(e.getKey(), container(e.getKey(), path, c));
      }
    }
  }

  private Container container(String name, String path, JsonNode c) {
    List<Attachment> attachments = new ArrayList<>();
    JsonNode nets = c.get("networks");
    if (nets != null && nets.isArray()) {
      for (int i = 0; i < nets.size(); i++) {
        String net = nets.get(i).asString();
        attachments.add(Attachment.dynamic(net));
        aliases.put(path + "/networks/" + SourceMap.segment(net), sources.value(path + "/networks/" + i));
      }
    } else if (nets != null && nets.isObject()) {
      for (Map.Entry<String, JsonNode> e : nets.properties()) {
        attachments.add(attachment(e.getKey(), path + "/networks/" + SourceMap.segment(e.getKey()), e.getValue()));
      }
    }
    NetworkMode mode = mode(text(c.get("network_mode"), "bridge"));
    List<PortMapping> ports = new ArrayList<>();
    JsonNode portNode = c.get("ports");
    if (portNode != null && portNode.isArray()) {
      for (int i = 0; i < portNode.size(); i++) {
        String text = portNode.get(i).asString();
        PortSyntax.Result r = PortSyntax.parse(text);
        if (r.ok()) {
          ports.addAll(r.mappings());
          for (PortMapping p : r.mappings()) {
            aliases.put(portPath(path, p), sources.value(path + "/ports/" + i));
          }
        } else {
          problems.add(Diagnostic.error("bad-port", sources.value(path + "/ports/" + i),
              "port \"" + text + "\": " + r.problem(), r.hint()));
        }
      }
    }
    return new Container(name, mode, attachments, ports, Optional.ofNullable(c.get("namespace")).map(JsonNode::asString));
  }

  /** Where a single published port was written, for diagnostics about it. */
  static String portPath(String containerPath, PortMapping p) {
    return containerPath + "/ports/" + SourceMap.segment(p.toString());
  }


  private static NetworkMode mode(String text) {
    if (text.startsWith("container:")) {
      return new NetworkMode.JoinContainer(text.substring("container:".length()));
    }
    return switch (text) {
      case "none" -> NetworkMode.NONE;
      case "host" -> NetworkMode.HOST;
      default -> NetworkMode.OWN;
    };
  }

  private Attachment attachment(String network, String path, JsonNode a) {
    if (a == null || !a.isObject()) {
      return Attachment.dynamic(network);
    }
    Optional<IpAddress> v4 = optionalAddress(a.get("ipv4_address"), path + "/ipv4_address", "ipv4_address");
    v4.filter(ip -> !ip.isV4()).ifPresent(ip -> problems.add(Diagnostic.error("wrong-family",
        sources.value(path + "/ipv4_address"), "ipv4_address " + ip + " is an IPv6 address", "put it in ipv6_address")));
    Optional<IpAddress> v6 = optionalAddress(a.get("ipv6_address"), path + "/ipv6_address", "ipv6_address");
    v6.filter(IpAddress::isV4).ifPresent(ip -> problems.add(Diagnostic.error("wrong-family",
        sources.value(path + "/ipv6_address"), "ipv6_address " + ip + " is an IPv4 address", "put it in ipv4_address")));
    Optional<MacAddress> mac = Optional.ofNullable(a.get("mac_address")).flatMap(m -> MacAddress.tryParse(m.asString()));
    List<String> aliases = new ArrayList<>();
    JsonNode aliasNode = a.get("aliases");
    if (aliasNode != null && aliasNode.isArray()) {
      aliasNode.values().forEach(x -> aliases.add(x.asString()));
    }
    int priority = a.get("gw_priority") != null && a.get("gw_priority").canConvertToInt() ? a.get("gw_priority").intValue() : 0;
    return new Attachment(network, v4.filter(IpAddress::isV4), v6.filter(ip -> !ip.isV4()), mac, aliases, priority);
  }

  private Optional<IpAddress> optionalAddress(JsonNode node, String path, String what) {
    return node == null || node.isNull() ? Optional.empty() : address(node.asString(), path, what);
  }

  private Optional<IpAddress> address(String text, String path, String what) {
    Optional<IpAddress> ip = IpAddress.tryParse(text);
    if (ip.isEmpty()) {
      problems.add(Diagnostic.error("bad-address", sources.value(path), what + " \"" + text + "\" is not an IP address",
          "write an IPv4 address like 10.15.20.10 (or IPv6 like fd00::10)"));
    }
    return ip;
  }

  private Optional<Cidr> cidr(JsonNode node, String path, String what) {
    String text = node.asString();
    Optional<Cidr> cidr = Cidr.tryParse(text);
    if (cidr.isEmpty()) {
      String hint = IpAddress.tryParse(text).isPresent()
          ? "add the prefix length, e.g. " + text + "/24" : "write an address block like 10.15.20.0/24";
      problems.add(Diagnostic.error("bad-cidr", sources.value(path), what + " \"" + text + "\" is not an address block", hint));
    }
    return cidr;
  }

  private static String text(JsonNode node, String fallback) {
    return node == null || node.isNull() ? fallback : node.asString();
  }

  private static boolean bool(JsonNode node, boolean fallback) {
    return node != null && node.isBoolean() ? node.booleanValue() : fallback;
  }
}
