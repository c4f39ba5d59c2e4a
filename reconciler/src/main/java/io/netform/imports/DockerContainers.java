package io.netform.imports;

import io.netform.desired.Attachment;
import io.netform.desired.Container;
import io.netform.desired.NameSettings;
import io.netform.desired.NetformNames;
import io.netform.desired.Network;
import io.netform.desired.NetworkMode;
import io.netform.net.Cidr;
import io.netform.net.IpAddress;
import io.netform.net.MacAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The containers of {@code docker inspect}'s output as netform containers: their network mode,
 * their networks with what the user set on each (a static address when IPAMConfig says the user
 * gave one, aliases but Docker's automatic id alias, a MAC given with --mac-address) and their
 * published ports. Addresses Docker chose stay dynamic: netform hands them out in Docker's way.
 */
final class DockerContainers {

  private final DockerNetworks.Result networks;
  private final ImportNotes notes;
  private final DockerPorts ports = new DockerPorts();
  /** Static addresses taken so far, by network: stopped containers may hold the same one. */
  private final Map<String, Set<IpAddress>> statics = new LinkedHashMap<>();
  /** Docker's ids of the containers, for container:ID network modes. */
  private final Map<String, String> namesById = new LinkedHashMap<>();

  private DockerContainers(DockerNetworks.Result networks, ImportNotes notes) {
    this.networks = networks;
    this.notes = notes;
  }

  static Map<String, Container> read(JsonValue root, DockerNetworks.Result networks, ImportNotes notes) {
    DockerContainers reader = new DockerContainers(networks, notes);
    List<JsonValue> all = root.elements();
    for (JsonValue c : all) {
      c.get("Id").text().ifPresent(id -> reader.namesById.put(id, name(c)));
    }
    Map<String, Container> out = new LinkedHashMap<>();
    for (JsonValue c : all) {
      reader.container(c).ifPresent(container -> out.put(container.name(), container));
    }
    Map<String, Container> kept = withUsableLinks(ContainerModes.withoutMissingTargets(out, notes), notes);
    kept.values().forEach(notes::imported);
    return kept;
  }

  /**
   * Keeps a container's links to containers it shares a network with (Docker's legacy links work
   * on its default bridge only, and docker ps -a lists stopped containers whose links lead
   * nowhere); the others are left out with a note.
   */
  private static Map<String, Container> withUsableLinks(Map<String, Container> containers, ImportNotes notes) {
    Map<String, Container> out = new LinkedHashMap<>();
    for (Container c : containers.values()) {
      List<NameSettings.Link> usable = new ArrayList<>();
      for (NameSettings.Link l : c.names().links()) {
        Container target = containers.get(l.container());
        boolean shared = target != null && c.attachments().stream()
            .anyMatch(a -> target.attachments().stream().anyMatch(t -> t.network().equals(a.network())));
        if (shared) {
          usable.add(l);
        } else {
          notes.leftOut("container \"" + c.name() + "\" link " + l, target == null ? "no such container was imported"
              : "they share no network (Docker's links work on the default bridge network only)");
        }
      }
      out.put(c.name(), usable.size() == c.names().links().size() ? c : c.withNames(new NameSettings(
          c.names().hostname(), usable, c.names().extraHosts(), c.names().dns(), c.names().dnsSearch(),
          c.names().dnsOptions())));
    }
    return out;
  }

  private static String name(JsonValue c) {
    String name = c.get("Name").text().orElseThrow(() -> c.error("a container without a Name"));
    return name.startsWith("/") ? name.substring(1) : name;
  }

  private Optional<Container> container(JsonValue c) {
    String name = name(c);
    if (!NetformNames.allowed(name)) {
      notes.leftOut("container \"" + name + "\"", NetformNames.REFUSED);
      return Optional.empty();
    }
    JsonValue host = c.get("HostConfig");
    NetworkMode mode = mode(host.get("NetworkMode").text().orElse("default"));
    Map<String, JsonValue> bindings = host.get("PortBindings").members();
    List<Attachment> attachments = new ArrayList<>();
    if (mode instanceof NetworkMode.Own) {
      String id = c.get("Id").text().orElse("");
      Optional<String> configMac = c.get("Config").get("MacAddress").text();
      for (Map.Entry<String, JsonValue> e : c.get("NetworkSettings").get("Networks").members().entrySet()) {
        attachment(name, id, e.getKey(), e.getValue(), configMac).ifPresent(attachments::add);
      }
      if (attachments.isEmpty() && !c.get("NetworkSettings").get("Networks").members().isEmpty()) {
        notes.leftOut("container \"" + name + "\"", "none of its networks was imported");
        return Optional.empty();
      }
    } else if (!bindings.isEmpty()) {
      notes.leftOut("container \"" + name + "\" ports", "a container with network_mode " + mode.text()
          + " publishes none (Docker ignores or refuses them too)");
      bindings = Map.of();
    }
    DockerPorts.Published published = ports.read(name, bindings, notes);
    List<NameSettings.Link> links = links(name, host.get("Links").texts());
    return Optional.of(new Container(name, mode, attachments, published.fixed(), Optional.empty(), published.chosen(),
        Optional.empty(), links.isEmpty() ? NameSettings.NONE : new NameSettings(Optional.empty(), links, List.of(),
            List.of(), List.of(), List.of())));
  }

  /**
   * Docker's legacy links, as it records them ("/web:/net1-box/db": container web, seen by
   * net1-box as db), as netform's links: NAME:ALIAS. One written otherwise is left out with a note.
   */
  private List<NameSettings.Link> links(String container, List<String> recorded) {
    List<NameSettings.Link> out = new ArrayList<>();
    for (String link : recorded) {
      String[] parts = link.split(":", 2);
      String target = parts[0].startsWith("/") ? parts[0].substring(1) : parts[0];
      String alias = parts.length == 2 ? parts[1].substring(parts[1].lastIndexOf('/') + 1) : target;
      if (target.isEmpty() || alias.isEmpty() || target.contains("/") || !NetformNames.allowed(target)) {
        notes.leftOut("container \"" + container + "\" link " + link, "not written as Docker records a link (/NAME:/CONTAINER/ALIAS)");
        continue;
      }
      out.add(new NameSettings.Link(target, alias));
    }
    return out;
  }

  private NetworkMode mode(String text) {
    if (text.equals("host")) {
      return NetworkMode.HOST;
    }
    if (text.equals("none")) {
      return NetworkMode.NONE;
    }
    if (text.startsWith("container:")) {
      String target = text.substring("container:".length());
      return new NetworkMode.JoinContainer(namesById.entrySet().stream()
          .filter(e -> e.getKey().startsWith(target) && target.length() >= 12).map(Map.Entry::getValue).findFirst()
          .orElse(target.startsWith("/") ? target.substring(1) : target));
    }
    return NetworkMode.OWN; // default, bridge or a user network: the container's networks say which
  }

  private Optional<Attachment> attachment(String container, String id, String network, JsonValue endpoint,
      Optional<String> configMac) {
    if (!endpoint.get("IPAMConfig").get("LinkLocalIPs").texts().isEmpty()) {
      notes.leftOut("container \"" + container + "\" on network \"" + network + "\" link-local addresses "
          + String.join(", ", endpoint.get("IPAMConfig").get("LinkLocalIPs").texts()), "netform has no such setting");
    }
    if (!endpoint.get("DriverOpts").members().isEmpty()) {
      notes.leftOut("container \"" + container + "\" on network \"" + network + "\" driver options "
          + String.join(", ", endpoint.get("DriverOpts").members().keySet()), "netform has no such setting of an attachment");
    }
    String what = "container \"" + container + "\" on network \"" + network + "\"";
    Network n = networks.networks().get(network);
    if (n == null) {
      notes.leftOut(what, networks.leftOut().containsKey(network) ? "the network is left out"
          : "the network is not in the networks file");
      return Optional.empty();
    }
    JsonValue ipam = endpoint.get("IPAMConfig");
    Optional<IpAddress> v4 = staticAddress(what, n, ipam.get("IPv4Address"));
    Optional<IpAddress> v6 = staticAddress(what, n, ipam.get("IPv6Address"));
    Optional<MacAddress> mac = endpoint.get("MacAddress").text().filter(m -> configMac.map(m::equalsIgnoreCase).orElse(false))
        .flatMap(MacAddress::tryParse);
    List<String> aliases = endpoint.get("Aliases").texts().stream()
        .filter(a -> !a.equals(container) && !(a.length() >= 12 && id.startsWith(a))).toList();
    if (n.isDefault() && !aliases.isEmpty()) {
      notes.leftOut(what + " aliases " + String.join(", ", aliases), "the default network has no names (Docker refuses them too)");
      aliases = List.of();
    }
    int priority = endpoint.get("GwPriority").integer().orElse(0);
    return Optional.of(new Attachment(n.name(), v4, v6, mac, aliases, priority));
  }

  /** A static address the user gave (IPAMConfig), if netform can keep it on this network. */
  private Optional<IpAddress> staticAddress(String what, Network n, JsonValue value) {
    Optional<String> text = value.text();
    if (text.isEmpty()) {
      return Optional.empty();
    }
    Optional<IpAddress> ip = IpAddress.tryParse(text.get());
    String why = null;
    if (ip.isEmpty()) {
      why = "not an address";
    } else if (n.pools().stream().map(p -> p.subnet()).noneMatch((Cidr s) -> s.contains(ip.get()))) {
      why = "outside the network's subnets";
    } else if (!statics.computeIfAbsent(n.name(), k -> new HashSet<>()).add(ip.get())) {
      why = "an earlier container has it (docker ps -a lists stopped containers too); this one gets a dynamic one";
    }
    if (why != null) {
      notes.leftOut(what + " address " + text.get(), why);
      return Optional.empty();
    }
    return ip;
  }
}
