package io.netform.snapshot;

import io.netform.model.KernelObject;
import io.netform.util.Json;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** One owned object read from JSON (a snapshot's, a saved plan's), older files' objects included. */
public final class ObjectJson {

  /** Kinds of container interfaces, whose {@code ipv6} a file written before it was recorded lacks. */
  private static final Set<String> WITH_IPV6 = Set.of("veth", "macvlan", "overlay-port");

  /** Kinds of bridges, whose {@code multicastSnooping} a file written before it was recorded lacks. */
  private static final Set<String> WITH_SNOOPING = Set.of("bridge", "overlay-bridge");

  private ObjectJson() {}

  public static KernelObject read(JsonNode node) {
    String kind = node.path("kind").asString("");
    node = withDefault(node, WITH_IPV6.contains(kind), "ipv6"); // the kernel's default, so such a file shows IPv6 turned off where it is not wanted
    node = withDefault(node, WITH_SNOOPING.contains(kind), "multicastSnooping"); // the kernel's default, which netform keeps
    return Json.MAPPER.treeToValue(node, KernelObject.class);
  }

  /** {@code node} with {@code field} true where it applies ({@code applies}) and is missing. */
  private static JsonNode withDefault(JsonNode node, boolean applies, String field) {
    if (applies && node instanceof ObjectNode o && !o.has(field)) {
      ObjectNode copy = o.deepCopy();
      copy.put(field, true);
      return copy;
    }
    return node;
  }
}
