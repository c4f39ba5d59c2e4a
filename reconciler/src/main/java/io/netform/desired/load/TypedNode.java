package io.netform.desired.load;

import io.netform.desired.SourceMap;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * One value of a parsed file with its JSON pointer, read only by type: each accessor answers
 * empty when the value is of another type. The mapper reads the tree only through this class, so
 * a list or mapping where the schema wants a single value (which the schema check reports at its
 * place) is left out, never coerced to text or thrown on; and nothing after the mapper can hold a
 * value of the wrong type.
 */
final class TypedNode {

  /** Absent (no such key, or not reachable through a value of the right type): {@code null}. */
  private final JsonNode node;
  private final String path;

  private TypedNode(JsonNode node, String path) {
    this.node = node;
    this.path = path;
  }

  static TypedNode root(JsonNode root) {
    return new TypedNode(root, "");
  }

  /** The JSON pointer of this value, the key of its location in the {@link SourceMap}. */
  String path() {
    return path;
  }

  /** Absent, or written as null (an empty entry). */
  boolean isNothing() {
    return node == null || node.isNull();
  }

  boolean isMapping() {
    return node != null && node.isObject();
  }

  boolean isList() {
    return node != null && node.isArray();
  }

  /** The value under {@code key} when this is a mapping; absent otherwise. */
  TypedNode get(String key) {
    return new TypedNode(isMapping() ? node.get(key) : null, path + "/" + SourceMap.segment(key));
  }

  /** A mapping's entries in written order; none for any other value. */
  Map<String, TypedNode> entries() {
    Map<String, TypedNode> out = new LinkedHashMap<>();
    if (isMapping()) {
      node.propertyNames().forEach(key -> out.put(key, get(key)));
    }
    return out;
  }

  /** A list's items in order; none for any other value. */
  List<TypedNode> items() {
    List<TypedNode> out = new ArrayList<>();
    if (isList()) {
      for (int i = 0; i < node.size(); i++) {
        out.add(new TypedNode(node.get(i), path + "/" + i));
      }
    }
    return out;
  }

  Optional<String> string() {
    return node != null && node.isString() ? Optional.of(node.asString()) : Optional.empty();
  }

  /** Text, a number or true/false, as written (where the schema takes any of them, e.g. driver options). */
  Optional<String> scalarText() {
    return node != null && (node.isString() || node.isNumber() || node.isBoolean())
        ? Optional.of(node.asString()) : Optional.empty();
  }

  Optional<Boolean> bool() {
    return node != null && node.isBoolean() ? Optional.of(node.booleanValue()) : Optional.empty();
  }

  /** A whole number that fits an int (JSON Schema counts 1500.0 as an integer too). */
  Optional<Integer> integer() {
    if (node == null || !node.isNumber()) {
      return Optional.empty();
    }
    if (node.canConvertToInt() && node.isIntegralNumber()) {
      return Optional.of(node.intValue());
    }
    double d = node.doubleValue();
    return d == Math.rint(d) && d >= Integer.MIN_VALUE && d <= Integer.MAX_VALUE
        ? Optional.of((int) d) : Optional.empty();
  }
}
