package io.netform.imports;

import io.netform.desired.SourceMap;
import io.netform.desired.load.DesiredStateLoader;
import io.netform.desired.load.ParsedFile;
import io.netform.validate.ComposeServices;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A Compose file's networking as a netform document: {@code services:} become {@code containers:}
 * with only their networking keys, the top-level {@code networks:} stay as they are (netform's
 * format speaks Compose's vocabulary), and Compose's implicit {@code default} network is made
 * explicit. The document keeps the Compose file's locations ({@code /containers/web} is found where
 * {@code services: web:} was written), so the loader's and the validator's findings point into it.
 * Pure: text in, a parsed document and notes out.
 */
public final class ComposeImport {

  /** The translated document, and what was and was not carried over. */
  public record Translated(ParsedFile document, ImportNotes notes) {}

  /** Compose's network every service without networks: or network_mode: joins. */
  static final String DEFAULT_NETWORK = "default";
  private static final String DOCKER_BRIDGE = "bridge";

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  /** What an attachment may say in netform; Compose also has priority, link_local_ips, driver_opts, interface_name. */
  private static final Set<String> ATTACHMENT_KEYS = Set.of("ipv4_address", "ipv6_address", "mac_address", "aliases",
      "gw_priority");

  private ComposeImport() {}

  public static Translated translate(String file, String text) {
    ParsedFile parsed = new DesiredStateLoader().parseText(file, text);
    ImportNotes notes = new ImportNotes();
    if (parsed.root().isEmpty()) {
      return new Translated(parsed, notes);
    }
    JsonNode root = parsed.root().get();
    if (!root.isObject()) {
      throw new ImportError(parsed.sources().value("") + ": expected a Compose file (a mapping with services:), found "
          + root.getNodeType().toString().toLowerCase(java.util.Locale.ROOT));
    }
    ObjectNode document = NODES.objectNode();
    ObjectNode networks = root.get("networks") instanceof ObjectNode n ? n.deepCopy() : NODES.objectNode();
    if (root.has("networks") && !(root.get("networks") instanceof ObjectNode) && !root.get("networks").isNull()) {
      document.set("networks", root.get("networks")); // the validator says what is wrong with it, where
    }
    for (String key : root.propertyNames()) {
      if (key.equals("name")) {
        notes.leftOut("top-level name", "the project's name: Compose names its networks NAME_NETWORK on the host; "
            + "give each network name: for that");
      } else if (!key.equals("services") && !key.equals("networks")) {
        notes.leftOut("top-level " + key, "not networking");
      }
    }
    ObjectNode containers = NODES.objectNode();
    JsonNode services = root.get("services");
    boolean usesDefault = false;
    boolean usesBridge = false;
    if (services instanceof ObjectNode all) {
      for (String name : all.propertyNames()) {
        JsonNode service = all.get(name);
        if (!(service instanceof ObjectNode) && service != null && !service.isNull()) {
          throw new ImportError(parsed.sources().value("/services/" + SourceMap.segment(name)) + ": service " + name
              + ": expected a mapping of its settings");
        }
        ObjectNode container = service instanceof ObjectNode s ? networking(name, s, notes) : NODES.objectNode();
        JsonNode mode = container.get("network_mode");
        if (mode != null && mode.isString() && mode.asString().equals("bridge")) {
          // Docker's default bridge: a network of its own here, marked default as Docker's is
          container.remove("network_mode");
          container.set("networks", NODES.arrayNode().add(DOCKER_BRIDGE));
          usesBridge = true;
        }
        if (!joinsAny(container.get("networks")) && !container.has("network_mode")) {
          container.set("networks", NODES.arrayNode().add(DEFAULT_NETWORK)); // compose-go: no networks means default
        }
        usesDefault |= joins(container.get("networks"), DEFAULT_NETWORK);
        containers.set(name, container);
        notes.imported("service " + name + " as container " + name);
      }
    } else if (services != null && !services.isNull()) {
      throw new ImportError(parsed.sources().value("/services") + ": services: expected a mapping of service names, found "
          + (services.isArray() ? "a list" : "\"" + services.asString() + "\""));
    } else {
      notes.leftOut("services", "the file has none");
    }
    if (usesBridge && !networks.has(DOCKER_BRIDGE)) {
      networks.set(DOCKER_BRIDGE, NODES.objectNode().put("default", true));
      notes.imported("network bridge: Docker's default bridge, which network_mode: bridge names");
    }
    if (usesDefault && !networks.has(DEFAULT_NETWORK)) {
      networks.set(DEFAULT_NETWORK, NODES.objectNode());
      notes.imported("network default: Compose's implicit network for services that name none");
    }
    networks.propertyNames().forEach(n -> {
      boolean implicit = (n.equals(DEFAULT_NETWORK) || n.equals(DOCKER_BRIDGE)) && !root.path("networks").has(n);
      if (!implicit) { // the implicit ones were said above
        notes.imported("network " + n);
      }
    });
    if (!document.has("networks") && !networks.isEmpty()) {
      document.set("networks", networks);
    }
    if (!containers.isEmpty()) {
      document.set("containers", containers);
    }
    ParsedFile translated = new ParsedFile(file, Optional.of(document),
        parsed.sources().withAliases(Map.of("/containers", "/services")), parsed.problems());
    return new Translated(translated, notes);
  }

  /** Whether a service's networks: names at least one (Compose reads none, [] and {} as "default"). */
  private static boolean joinsAny(JsonNode networks) {
    // a value of another type is kept, for validation to refuse where it is written
    return networks != null && !networks.isNull() && !((networks.isArray() || networks.isObject()) && networks.isEmpty());
  }

  /** Service keys about networking that netform does not take, and why. */
  private static final Map<String, String> NOT_KEPT_REASONS = Map.of(
      "mac_address", "a service-wide MAC: give it under networks: NAME: mac_address (netform's per-network key)",
      "external_links", "links to containers outside the project: declare them as containers and use links:");

  /** The service's networking keys, Compose's service:NAME mode as netform's container:NAME. */
  private static ObjectNode networking(String name, ObjectNode service, ImportNotes notes) {
    ObjectNode container = NODES.objectNode();
    List<String> dropped = new ArrayList<>();
    for (String key : service.propertyNames()) {
      if (ComposeServices.NETWORK_KEYS.contains(key)) {
        container.set(key, service.get(key));
      } else {
        dropped.add(key);
      }
    }
    List<String> networkingKept = dropped.stream().filter(NOT_KEPT_REASONS::containsKey).toList();
    networkingKept.forEach(k -> notes.leftOut("service " + name + ": " + k, NOT_KEPT_REASONS.get(k)));
    dropped.removeAll(networkingKept);
    if (!dropped.isEmpty()) {
      notes.leftOut("service " + name + ": " + String.join(", ", dropped), "not networking");
    }
    JsonNode mode = container.get("network_mode");
    if (mode != null && mode.isString() && mode.asString().startsWith("service:")) {
      container.put("network_mode", "container:" + mode.asString().substring("service:".length()));
    }
    if (container.get("networks") instanceof ObjectNode attachments) {
      for (String network : attachments.propertyNames()) {
        if (attachments.get(network) instanceof ObjectNode attachment) {
          List<String> unknown = attachment.propertyNames().stream().filter(k -> !ATTACHMENT_KEYS.contains(k)).toList();
          unknown.forEach(attachment::remove);
          if (!unknown.isEmpty()) {
            notes.leftOut("service " + name + " on network " + network + ": " + String.join(", ", unknown),
                "netform has no such setting of an attachment");
          }
        }
      }
    }
    if (container.get("ports") instanceof ArrayNode ports) {
      for (JsonNode port : ports) {
        if (port instanceof ObjectNode p && p.path("mode").isString() && p.get("mode").asString().equals("ingress")) {
          // docker compose config writes mode: ingress for every port; outside a swarm Compose publishes it on the host
          p.remove("mode");
          notes.leftOut("service " + name + " port " + p.path("target").asString() + ": mode ingress",
              "outside a swarm Compose publishes on the host, as netform does");
        }
      }
    }
    if (container.has("expose")) {
      notes.leftOut("service " + name + ": expose", "documentation only, in Docker's bridge mode as in netform");
    }
    return container;
  }

  private static boolean joins(JsonNode networks, String network) {
    if (networks == null) {
      return false;
    }
    if (networks.isArray()) {
      for (JsonNode n : networks) {
        if (n.isString() && n.asString().equals(network)) {
          return true;
        }
      }
      return false;
    }
    return networks.isObject() && networks.has(network);
  }
}
