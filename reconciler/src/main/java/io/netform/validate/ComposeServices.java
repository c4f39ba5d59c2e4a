package io.netform.validate;

import io.netform.diagnostics.Diagnostic;
import io.netform.diagnostics.Location;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * A Compose file's {@code services:} pasted as it is. netform's key is {@code containers:} (a
 * container is a network namespace), so "unknown key" alone would leave the user guessing: the
 * error shows the equivalent of the first service, with the keys that carry over.
 */
public final class ComposeServices {

  static final String KEY = "services";

  /** The service keys that mean the same under containers: (everything else is not networking; netform import keeps these). */
  public static final List<String> NETWORK_KEYS = List.of("networks", "network_mode", "ports", "expose",
      "hostname", "links", "extra_hosts", "dns", "dns_search", "dns_opt");

  private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./-]+");

  private ComposeServices() {}

  static Diagnostic diagnostic(JsonNode services, Location at) {
    String message = "unknown key \"services\" (Compose's): netform's key is \"containers\"; a container is a network "
        + "namespace, and of a service only " + String.join(", ", NETWORK_KEYS.subList(0, NETWORK_KEYS.size() - 1))
        + " and " + NETWORK_KEYS.get(NETWORK_KEYS.size() - 1) + " carry over";
    return Diagnostic.error("compose-services", at, message, hint(services));
  }

  private static String hint(JsonNode services) {
    String rename = "rename services: to containers: and keep only each service's networking keys";
    if (services == null || !services.isObject() || services.isEmpty()) {
      return rename;
    }
    Map.Entry<String, JsonNode> first = services.properties().iterator().next();
    JsonNode service = first.getValue();
    List<String> kept = new ArrayList<>();
    List<String> dropped = new ArrayList<>();
    if (service != null && service.isObject()) {
      for (String key : service.propertyNames()) {
        if (NETWORK_KEYS.contains(key)) {
          kept.add(key + ": " + flow(service.get(key)));
        } else {
          dropped.add(key);
        }
      }
    }
    String equivalent = "containers: {" + scalar(first.getKey()) + ": {" + String.join(", ", kept) + "}}";
    String more = services.size() > 1 ? " (and so on for the other " + (services.size() - 1) + ")" : "";
    String drop = dropped.isEmpty() ? "" : "; leave out " + String.join(", ", dropped);
    return rename + ": " + equivalent + more + drop;
  }

  /** A value in YAML's flow style, on one line. */
  private static String flow(JsonNode node) {
    if (node == null || node.isNull()) {
      return "null";
    }
    if (node.isArray()) {
      List<String> items = new ArrayList<>();
      node.values().forEach(v -> items.add(flow(v)));
      return "[" + String.join(", ", items) + "]";
    }
    if (node.isObject()) {
      List<String> entries = new ArrayList<>();
      node.properties().forEach(e -> entries.add(scalar(e.getKey()) + ": " + flow(e.getValue())));
      return "{" + String.join(", ", entries) + "}";
    }
    return node.isString() ? scalar(node.asString()) : node.asString();
  }

  private static String scalar(String text) {
    if (PLAIN.matcher(text).matches() && !text.chars().allMatch(Character::isDigit)) {
      return text;
    }
    return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
