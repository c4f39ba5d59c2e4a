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

  private ObjectJson() {}

  public static KernelObject read(JsonNode node) {
    if (node instanceof ObjectNode o && WITH_IPV6.contains(o.path("kind").asString("")) && !o.has("ipv6")) {
      o = o.deepCopy();
      o.put("ipv6", true); // the kernel's default, so such a file shows IPv6 turned off where it is not wanted
      node = o;
    }
    return Json.MAPPER.treeToValue(node, KernelObject.class);
  }
}
