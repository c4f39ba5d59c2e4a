package io.netform.snapshot;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import io.netform.model.KernelObject;
import io.netform.net.Cidr;
import io.netform.net.IpAddress;
import io.netform.net.MacAddress;
import io.netform.util.Json;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.node.ObjectNode;

/** One owned object read from JSON (a snapshot's, a saved plan's), older files' objects included. */
public final class ObjectJson {

  /** An object that cannot be read; the message says why in a file's terms (its fields), never Java's. */
  public static final class Invalid extends IllegalArgumentException {
    public Invalid(String message) {
      super(message);
    }
  }

  /** Kinds of container interfaces, whose {@code ipv6} a file written before it was recorded lacks. */
  private static final Set<String> WITH_IPV6 = Set.of("veth", "macvlan", "overlay-port");

  /** Kinds of bridges, whose {@code multicastSnooping} a file written before it was recorded lacks. */
  private static final Set<String> WITH_SNOOPING = Set.of("bridge", "overlay-bridge");

  /** The kinds an object may be, as KernelObject names its subtypes. */
  private static final List<String> KINDS = Arrays.stream(KernelObject.class.getAnnotation(JsonSubTypes.class).value())
      .map(JsonSubTypes.Type::name).toList();

  private ObjectJson() {}

  public static KernelObject read(JsonNode node) {
    if (node == null || !node.isObject()) {
      throw new Invalid("it is " + (node == null || node.isNull() ? "null" : node.toString()) + ", not an object");
    }
    String kind = node.path("kind").asString("");
    if (!KINDS.contains(kind)) {
      throw new Invalid((node.has("kind") ? "its kind " + node.get("kind") + " is not one of " : "it has no kind, one of ")
          + String.join(", ", KINDS));
    }
    node = withDefault(node, WITH_IPV6.contains(kind), "ipv6"); // the kernel's default, so such a file shows IPv6 turned off where it is not wanted
    node = withDefault(node, WITH_SNOOPING.contains(kind), "multicastSnooping"); // the kernel's default, which netform keeps
    KernelObject o;
    try {
      o = Json.MAPPER.treeToValue(node, KernelObject.class);
    } catch (JacksonException e) {
      throw new Invalid(badField(node, e));
    }
    for (RecordComponent c : o.getClass().getRecordComponents()) {
      if (value(c, o) == null) {
        throw new Invalid("its field \"" + c.getName() + "\" is missing");
      }
    }
    return o;
  }

  /** Which field is wrong and why, from what Jackson found. */
  private static String badField(JsonNode node, JacksonException e) {
    StringBuilder pointer = new StringBuilder();
    StringBuilder name = new StringBuilder();
    for (JacksonException.Reference r : e.getPath()) {
      String step = r.getPropertyName() != null ? r.getPropertyName() : Integer.toString(r.getIndex());
      pointer.append('/').append(step);
      name.append(r.getPropertyName() != null ? (name.isEmpty() ? "" : ".") + step : "[" + step + "]");
    }
    JsonNode value = node.at(pointer.toString());
    String field = name.isEmpty() ? "it" : "its field \"" + name + "\"";
    String is = value.isMissingNode() ? "" : " " + (value.isNull() ? "is null" : "is " + value) + ",";
    for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
      if (t instanceof IllegalArgumentException own && !(t instanceof JacksonException)) {
        return field + is + " " + own.getMessage(); // netform's own words: "not a CIDR: x"
      }
    }
    Class<?> type = e instanceof MismatchedInputException m ? m.getTargetType() : null;
    return field + is + " not " + (type == null ? "a value netform reads there" : expected(type));
  }

  private static String expected(Class<?> type) {
    if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
      return "a whole number";
    }
    if (type == boolean.class || type == Boolean.class) {
      return "true or false";
    }
    if (type == String.class) {
      return "a string";
    }
    if (Collection.class.isAssignableFrom(type)) {
      return "a list";
    }
    if (type == Cidr.class) {
      return "an address with its prefix (10.0.0.1/24)";
    }
    if (type == IpAddress.class) {
      return "an address";
    }
    if (type == MacAddress.class) {
      return "a MAC address";
    }
    if (type.isEnum()) {
      return "one of " + String.join(", ", Arrays.stream(type.getEnumConstants()).map(Object::toString).toList());
    }
    return "a value netform reads there";
  }

  private static Object value(RecordComponent c, KernelObject o) {
    try {
      return c.getAccessor().invoke(o);
    } catch (IllegalAccessException | InvocationTargetException e) {
      throw new IllegalStateException("a record's accessor is public", e);
    }
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
