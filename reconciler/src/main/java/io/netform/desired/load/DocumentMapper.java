package io.netform.desired.load;

import io.netform.desired.Attachment;
import io.netform.desired.Container;
import io.netform.desired.Driver;
import io.netform.desired.DynamicPort;
import io.netform.desired.Expectation;
import io.netform.desired.Host;
import io.netform.desired.IpamPool;
import io.netform.desired.NameSettings;
import io.netform.desired.Network;
import io.netform.desired.NetworkMode;
import io.netform.desired.PortMapping;
import io.netform.desired.Protocol;
import io.netform.desired.SourceMap;
import io.netform.desired.VxlanId;
import io.netform.diagnostics.Diagnostic;
import io.netform.diagnostics.Location;
import io.netform.net.Cidr;
import io.netform.net.IpAddress;
import io.netform.net.MacAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;

/**
 * Turns one schema-checked JSON tree into desired-state records. It reads the tree only through
 * {@link TypedNode}, so a value of a type the schema refuses there (already reported, located, by
 * the schema check) is left out, never coerced; it reports what only it can see: addresses that do
 * not parse, port syntax, Docker driver options that are unknown or contradict a first-class key.
 */
final class DocumentMapper {

  /**
   * The first-class keys Docker also takes as driver options, each read as its schema type and kept
   * as text, the form a driver option's value has, so that the two can be compared.
   */
  private static final Map<String, Function<TypedNode, Optional<String>>> SETTINGS = Map.of(
      "bridge_name", TypedNode::string,
      "host_binding_ipv4", TypedNode::string,
      "parent", TypedNode::string,
      "icc", DocumentMapper::booleanText,
      "masquerade", DocumentMapper::booleanText,
      "default", DocumentMapper::booleanText,
      "enable_ipv6", DocumentMapper::booleanText,
      "mtu", n -> n.integer().map(String::valueOf));

  private final SourceMap sources;
  private final List<Diagnostic> problems = new ArrayList<>();
  private final Map<String, Network> networks = new LinkedHashMap<>();
  private final Map<String, Container> containers = new LinkedHashMap<>();
  private final Map<String, Host> hosts = new LinkedHashMap<>();
  /** Networks whose name on the host is not their key (Compose's name:), by key. */
  private final Map<String, HostName> hostNames = new LinkedHashMap<>();
  /** Extra source entries: list-form attachments by name and ports by mapping, for precise locations. */
  private final Map<String, Location> extraLocations = new HashMap<>();

  private final List<Expectation> expectations = new ArrayList<>();

  private DocumentMapper(SourceMap sources) {
    this.sources = sources;
  }

  record Mapped(Map<String, Network> networks, Map<String, Container> containers, List<Diagnostic> problems,
      SourceMap extraSources, Map<String, HostName> hostNames, Map<String, Host> hosts, List<Expectation> expectations) {}

  /** A network's name on the host (Compose's {@code name:}) and where it was written. */
  record HostName(String name, Location at) {}

  static Mapped map(JsonNode root, SourceMap sources) {
    DocumentMapper m = new DocumentMapper(sources);
    TypedNode document = TypedNode.root(root);
    m.networks(document.get("networks"));
    m.containers(document.get("containers"));
    m.hosts(document.get("hosts"));
    m.expectations(document.get("expect"));
    return new Mapped(m.networks, m.containers, m.problems, new SourceMap(m.extraLocations, m.extraLocations),
        m.hostNames, m.hosts, m.expectations);
  }

  /** Connectivity assertions; an entry the schema refuses (no from, to or port) is left out. */
  private void expectations(TypedNode node) {
    for (TypedNode e : node.items()) {
      Optional<String> from = e.get("from").string();
      Optional<String> to = e.get("to").string(); // a value of another type is the schema's error alone
      Optional<Integer> port = e.get("port").integer();
      if (from.isPresent() && to.isPresent() && port.isPresent()) {
        expectations.add(new Expectation(from.get(), to.get(), port.get(), e.get("reachable").bool().orElse(true),
            sources.value(e.path()), sources.value(e.get("from").path()), sources.value(e.get("to").path())));
      }
    }
  }

  /** The machines of a fleet: each one's underlay address and VXLAN port. */
  private void hosts(TypedNode node) {
    node.entries().forEach((name, h) -> {
      if (!h.isMapping()) {
        return; // the schema reports it
      }
      Optional<IpAddress> address = address(h.get("address"), "host address");
      address.filter(ip -> !ip.isV4()).ifPresent(ip -> problems.add(Diagnostic.error("wrong-family",
          sources.value(h.get("address").path()), "host address " + ip + " is an IPv6 address; the overlay's underlay is "
              + "IPv4", "write the host's IPv4 address")));
      int port = h.get("vxlan_port").integer().orElse(Host.DEFAULT_VXLAN_PORT);
      address.filter(IpAddress::isV4).ifPresent(ip -> hosts.put(name, new Host(name, ip, port)));
    });
  }

  private void networks(TypedNode node) {
    node.entries().forEach((name, value) -> network(name, value).ifPresent(n -> networks.put(n.name(), n)));
  }

  /** A network; written as null it has every default. */
  private Optional<Network> network(String name, TypedNode node) {
    if (!node.isMapping() && !node.isNothing()) {
      return Optional.empty();
    }
    Map<String, Setting> settings = new LinkedHashMap<>();
    SETTINGS.forEach((key, read) -> {
      TypedNode value = node.get(key);
      read.apply(value).ifPresent(text -> settings.put(key, new Setting(text, value.path())));
    });
    foldDriverOptions(node.get("driver_opts"), settings);

    Driver driver = node.get("driver").string().flatMap(Driver::fromText).orElse(Driver.BRIDGE);
    Optional<Integer> vxlanId = vxlanId(settings, driver);
    List<IpamPool> pools = pools(node.get("ipam"));
    Map<String, String> labels = new LinkedHashMap<>();
    node.get("labels").entries().forEach((key, value) -> value.scalarText().ifPresent(text -> labels.put(key, text)));
    node.get("name").string().filter(n -> !n.equals(name))
        .ifPresent(n -> hostNames.put(name, new HostName(n, sources.value(node.get("name").path()))));
    boolean external = node.get("external").bool().orElse(false);
    if (external) {
      warnWithoutEffectOnExternal(node, settings);
    }
    if (driver != Driver.OVERLAY) {
      attachableHasNoEffect(node.get("attachable"));
    } else {
      warnBridgeSettingsOnOverlay(settings);
    }
    return Optional.of(new Network(
        name,
        driver,
        setting(settings, "bridge_name").map(Setting::value),
        pools,
        !external && node.get("internal").bool().orElse(false),
        booleanSetting(settings, "icc", true),
        booleanSetting(settings, "masquerade", true),
        mtu(settings, driver == Driver.OVERLAY ? Network.OVERLAY_MTU : Network.DEFAULT_MTU),
        setting(settings, "host_binding_ipv4").flatMap(s -> address(s.value(), s.path(), "host_binding_ipv4")),
        booleanSetting(settings, "enable_ipv6", false),
        labels,
        setting(settings, "parent").map(Setting::value),
        booleanSetting(settings, "default", false),
        external,
        vxlanId));
  }

  /**
   * Docker's {@code com.docker.network.driver.overlay.vxlanid_list}: one VXLAN id per subnet, and
   * netform's overlay networks have one subnet; ids are 24-bit, 0 is not one.
   */
  private Optional<Integer> vxlanId(Map<String, Setting> settings, Driver driver) {
    Setting s = settings.get(DriverOptions.VXLAN_IDS);
    if (s == null) {
      return Optional.empty();
    }
    String where = DriverOptions.VXLAN_IDS_OPTION;
    if (driver != Driver.OVERLAY) {
      problems.add(Diagnostic.error("overlay-option", sources.value(s.path()), where + " is an overlay network's option",
          "remove it, or write driver: overlay"));
      return Optional.empty();
    }
    String[] ids = s.value().split(",");
    if (ids.length != 1) {
      problems.add(Diagnostic.error("bad-vxlan-id", sources.value(s.path()), where + " \"" + s.value() + "\" lists "
          + ids.length + " VXLAN ids; a netform overlay network has one subnet and so one id", "write one id, e.g. 4097"));
      return Optional.empty();
    }
    try {
      int id = Integer.parseInt(ids[0].trim());
      if (VxlanId.valid(id)) {
        return Optional.of(id);
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    problems.add(Diagnostic.error("bad-vxlan-id", sources.value(s.path()), where + " \"" + s.value()
        + "\" is not a VXLAN id from " + VxlanId.MIN + " to " + VxlanId.MAX,
        "write a whole number such as 4097, or leave the option out to "
        + "get one (the first free from 256, as Docker)"));
    return Optional.empty();
  }

  /** The settings of a bridge's own traffic: on a bridge someone else manages netform sets none of them. */
  private void warnWithoutEffectOnExternal(TypedNode node, Map<String, Setting> settings) {
    Map<String, String> paths = new LinkedHashMap<>();
    if (!node.get("internal").isNothing()) {
      paths.put("internal", node.get("internal").path());
    }
    for (String key : List.of("icc", "masquerade")) {
      setting(settings, key).ifPresent(s -> paths.put(key, s.path()));
    }
    paths.forEach((key, path) -> problems.add(Diagnostic.warning("ignored-setting", sources.value(path),
        key + " has no effect on an external network: netform adds no rules for a bridge it does not manage",
        "remove it; the bridge's owner decides how its traffic is filtered")));
  }

  /**
   * An overlay network's members reach each other on every host and leave through each host's
   * gateway bridge: the settings of a bridge network's own bridge mean nothing there.
   */
  private void warnBridgeSettingsOnOverlay(Map<String, Setting> settings) {
    for (String key : List.of("bridge_name", "icc", "masquerade", "host_binding_ipv4", "parent")) {
      setting(settings, key).ifPresent(s -> problems.add(Diagnostic.warning("ignored-setting", sources.value(s.path()),
          key + " has no effect on an overlay network: its members reach each other on every host, and leave through "
              + "their own host's gateway bridge (masquerading, ICC off)", "remove it")));
    }
  }

  /** Docker's attachable lets standalone containers join a swarm's overlay network; every netform network takes them. */
  private void attachableHasNoEffect(TypedNode attachable) {
    if (!attachable.isNothing()) {
      problems.add(Diagnostic.warning("ignored-setting", sources.key(attachable.path()),
          "attachable has no effect here: in Docker it lets standalone containers join a swarm overlay network, and "
              + "netform's bridge and macvlan networks take any container", "remove it"));
    }
  }

  private static Optional<String> booleanText(TypedNode node) {
    return node.bool().map(String::valueOf);
  }

  /** A first-class setting with the path it was written at (key or driver option). */
  private record Setting(String value, String path) {}

  private static Optional<Setting> setting(Map<String, Setting> settings, String key) {
    return Optional.ofNullable(settings.get(key));
  }

  private void foldDriverOptions(TypedNode opts, Map<String, Setting> settings) {
    for (Map.Entry<String, TypedNode> e : opts.entries().entrySet()) {
      String key = e.getKey();
      String optPath = e.getValue().path();
      String first = DriverOptions.SYNONYMS.get(key);
      if (first == null) {
        String hint = DriverOptions.suggestion(key).map(s -> "did you mean \"" + s + "\"?")
            .orElse("known options: " + String.join(", ", DriverOptions.knownKeys()));
        problems.add(Diagnostic.error("unknown-driver-option", sources.key(optPath),
            "unknown driver option \"" + key + "\" (Docker would store it and silently ignore it)", hint));
        continue;
      }
      if (first.equals(DriverOptions.ENCRYPTED)) {
        problems.add(Diagnostic.error("encrypted-overlay", sources.key(optPath), "encrypted overlay networks (Docker's "
            + "IPsec between hosts) are not implemented: netform would carry this network's traffic unencrypted",
            "remove encrypted, and encrypt the underlay between the hosts (WireGuard, IPsec) if the traffic needs it"));
        continue;
      }
      Optional<String> written = e.getValue().scalarText();
      if (written.isEmpty()) {
        continue;
      }
      String value = written.get();
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
        extraLocations.put(opts.path().substring(0, opts.path().lastIndexOf('/')) + "/" + first, sources.value(optPath));
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

  private int mtu(Map<String, Setting> settings, int fallback) {
    Setting s = settings.get("mtu");
    if (s == null) {
      return fallback;
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
    return fallback;
  }

  private List<IpamPool> pools(TypedNode ipam) {
    List<IpamPool> out = new ArrayList<>();
    for (TypedNode pool : ipam.get("config").items()) {
      if (pool.get("subnet").isNothing()) {
        continue; // the schema reports the missing subnet; the pool's other values mean nothing without it
      }
      Optional<Cidr> subnet = cidr(pool.get("subnet"), "subnet");
      Optional<IpAddress> gateway = address(pool.get("gateway"), "gateway");
      Optional<Cidr> range = cidr(pool.get("ip_range"), "ip_range");
      Map<String, IpAddress> aux = new LinkedHashMap<>();
      pool.get("aux_addresses").entries()
          .forEach((name, value) -> address(value, "aux address").ifPresent(ip -> aux.put(name, ip)));
      subnet.ifPresent(s -> out.add(new IpamPool(s, gateway, range, aux)));
    }
    return out;
  }

  /** The containers; one written as null has every default. */
  private void containers(TypedNode node) {
    node.entries().forEach((name, value) -> {
      if (value.isMapping() || value.isNothing()) {
        containers.put(name, container(name, value));
      }
    });
  }

  private Container container(String name, TypedNode c) {
    List<Attachment> attachments = new ArrayList<>();
    TypedNode nets = c.get("networks");
    for (TypedNode item : nets.items()) {
      item.string().ifPresent(net -> {
        attachments.add(Attachment.dynamic(net));
        extraLocations.put(nets.path() + "/" + SourceMap.segment(net), sources.value(item.path()));
      });
    }
    nets.entries().forEach((net, settings) -> attachments.add(attachment(net, settings)));
    NetworkMode mode = mode(c.get("network_mode").string().orElse("bridge"));
    List<PortMapping> ports = new ArrayList<>();
    List<DynamicPort> dynamic = new ArrayList<>();
    for (TypedNode item : c.get("ports").items()) {
      Optional<PortSyntax.Result> parsed = item.isMapping() ? longPort(item) : item.scalarText().map(text -> {
        PortSyntax.Result r = PortSyntax.parse(text);
        if (!r.ok()) {
          problems.add(Diagnostic.error("bad-port", sources.value(item.path()), "port \"" + text + "\": " + r.problem(),
              r.hint()));
        }
        return r;
      });
      parsed.filter(PortSyntax.Result::ok).ifPresent(r -> {
        ports.addAll(r.mappings());
        dynamic.addAll(r.dynamic());
        r.mappings().forEach(p -> extraLocations.put(portPath(c.path(), p.toString()), sources.value(item.path())));
        r.dynamic().forEach(p -> extraLocations.put(portPath(c.path(), p.toString()), sources.value(item.path())));
      });
    }
    NameSettings names = new NameSettingsReader(sources, problems, extraLocations).read(c);
    return new Container(name, mode, attachments, ports, c.get("namespace").string(), dynamic, c.get("host").string(),
        names);
  }

  /** Where a single published port was written, for diagnostics about it. */
  static String portPath(String containerPath, String port) {
    return containerPath + "/ports/" + SourceMap.segment(port);
  }

  /**
   * Compose's long port syntax: {@code target} (the container port), {@code published} (a host port
   * or range; none: netform chooses one), {@code host_ip}, {@code protocol}; {@code mode: host} is
   * what netform does, and {@code name} and {@code app_protocol} only describe the port. Empty when
   * the schema or a value check already reported what is wrong.
   */
  private Optional<PortSyntax.Result> longPort(TypedNode item) {
    TypedNode mode = item.get("mode");
    if (mode.string().filter("ingress"::equals).isPresent()) {
      problems.add(Diagnostic.error("ingress-port", sources.value(mode.path()),
          "mode: ingress publishes through a swarm's routing mesh, which needs a swarm; netform publishes on this host "
              + "(mode: host)", "write mode: host or leave mode out (outside a swarm Compose publishes such a port on "
              + "the host too, and docker compose config writes mode: ingress for every port)"));
      return Optional.empty();
    }
    TypedNode targetNode = item.get("target");
    Optional<String> target = targetNode.scalarText().filter(t -> !targetNode.bool().isPresent());
    if (target.isEmpty()) {
      return Optional.empty(); // the schema reports a missing or mistyped target
    }
    TypedNode hostIpNode = item.get("host_ip");
    Optional<IpAddress> hostIp = address(hostIpNode, "host_ip");
    if (hostIpNode.string().isPresent() && hostIp.isEmpty()) {
      return Optional.empty();
    }
    String published = item.get("published").scalarText().orElse("");
    Protocol protocol = item.get("protocol").string().flatMap(DocumentMapper::protocol).orElse(Protocol.TCP);
    PortSyntax.Result r = target.get().contains("-")
        ? PortSyntax.Result.error("target is one container port", "write one entry per container port, or the short "
            + "syntax for a range (\"8000-8010:8000-8010\")")
        : PortSyntax.mappings(hostIp, published, target.get(), protocol);
    if (!r.ok()) {
      problems.add(Diagnostic.error("bad-port", sources.value(item.path()),
          "port with target " + target.get() + (published.isEmpty() ? "" : " and published " + published) + ": "
              + r.problem(), r.hint()));
    }
    return Optional.of(r);
  }

  private static Optional<Protocol> protocol(String text) {
    return java.util.Arrays.stream(Protocol.values()).filter(p -> p.text().equals(text)).findFirst();
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

  private Attachment attachment(String network, TypedNode a) {
    if (!a.isMapping()) {
      return Attachment.dynamic(network);
    }
    TypedNode v4Node = a.get("ipv4_address");
    Optional<IpAddress> v4 = address(v4Node, "ipv4_address");
    v4.filter(ip -> !ip.isV4()).ifPresent(ip -> problems.add(Diagnostic.error("wrong-family",
        sources.value(v4Node.path()), "ipv4_address " + ip + " is an IPv6 address", "put it in ipv6_address")));
    TypedNode v6Node = a.get("ipv6_address");
    Optional<IpAddress> v6 = address(v6Node, "ipv6_address");
    v6.filter(IpAddress::isV4).ifPresent(ip -> problems.add(Diagnostic.error("wrong-family",
        sources.value(v6Node.path()), "ipv6_address " + ip + " is an IPv4 address", "put it in ipv4_address")));
    Optional<MacAddress> mac = a.get("mac_address").string().flatMap(MacAddress::tryParse);
    List<String> names = new ArrayList<>();
    a.get("aliases").items().forEach(item -> item.string().ifPresent(names::add));
    int priority = a.get("gw_priority").integer().orElse(0);
    return new Attachment(network, v4.filter(IpAddress::isV4), v6.filter(ip -> !ip.isV4()), mac, names, priority);
  }

  /** The address written at {@code node}; none when absent or not text (the schema reports that). */
  private Optional<IpAddress> address(TypedNode node, String what) {
    return node.string().flatMap(text -> address(text, node.path(), what));
  }

  private Optional<IpAddress> address(String text, String path, String what) {
    Optional<IpAddress> ip = IpAddress.tryParse(text);
    if (ip.isEmpty()) {
      problems.add(Diagnostic.error("bad-address", sources.value(path), what + " \"" + text + "\" is not an IP address",
          "write an IPv4 address like 10.15.20.10 (or IPv6 like fd00::10)"));
    }
    return ip;
  }

  /** The address block written at {@code node}; none when absent or not text (the schema reports that). */
  private Optional<Cidr> cidr(TypedNode node, String what) {
    return node.string().flatMap(text -> {
      Optional<Cidr> cidr = Cidr.tryParse(text);
      if (cidr.isEmpty()) {
        String hint = IpAddress.tryParse(text).isPresent()
            ? "add the prefix length, e.g. " + text + "/24" : "write an address block like 10.15.20.0/24";
        problems.add(Diagnostic.error("bad-cidr", sources.value(node.path()), what + " \"" + text + "\" is not an address block", hint));
      }
      return cidr;
    });
  }
}
