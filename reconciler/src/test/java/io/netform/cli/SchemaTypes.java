package io.netform.cli;

import io.netform.validate.SchemaCheck;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * What netform's schema accepts at a place in a document, read from the schema itself so that the
 * property tests follow it: whether a value's type is allowed there, and which diagnostic a value
 * of a refused type gets ({@code type} says schema-type; a place constrained only by {@code enum}
 * or {@code const} says schema-enum or schema-const).
 */
final class SchemaTypes {

  private static final JsonNode SCHEMA = SchemaCheck.schemaNode();

  private SchemaTypes() {}

  /** The schema that applies at {@code path} (keys and list indexes from the top of a document). */
  static JsonNode at(List<Object> path) {
    JsonNode schema = resolve(SCHEMA);
    for (Object step : path) {
      JsonNode next = step instanceof Integer ? schema.get("items") : named(schema, (String) step);
      if (next == null || !next.isObject()) {
        throw new AssertionError("the schema says nothing about " + path + " (at " + step + ")");
      }
      schema = resolve(next);
    }
    return schema;
  }

  private static JsonNode named(JsonNode schema, String key) {
    JsonNode properties = schema.get("properties");
    if (properties != null && properties.has(key)) {
      return properties.get(key);
    }
    return schema.get("additionalProperties");
  }

  private static JsonNode resolve(JsonNode schema) {
    JsonNode ref = schema.get("$ref");
    return ref == null ? schema : resolve(SCHEMA.at(ref.asString().substring(1)));
  }

  /** True when the schema allows a value of this one's type at that place (its content may still be wrong). */
  static boolean typeAllowed(JsonNode schema, JsonNode value) {
    if (schema.has("type")) {
      JsonNode type = schema.get("type");
      List<JsonNode> names = type.isArray() ? type.values().stream().toList() : List.of(type);
      return names.stream().anyMatch(t -> hasType(t.asString(), value));
    }
    if (schema.has("enum")) {
      return schema.get("enum").values().stream().anyMatch(allowed -> sameKind(allowed, value));
    }
    if (schema.has("const")) {
      return sameKind(schema.get("const"), value);
    }
    throw new AssertionError("the schema leaves the type open: " + schema);
  }

  /** The code a value of a refused type gets at a place with this schema. */
  static String refusalCode(JsonNode schema) {
    return schema.has("type") ? "schema-type" : schema.has("enum") ? "schema-enum" : "schema-const";
  }

  private static boolean hasType(String type, JsonNode value) {
    return switch (type) {
      case "object" -> value.isObject();
      case "array" -> value.isArray();
      case "string" -> value.isString();
      case "boolean" -> value.isBoolean();
      case "null" -> value.isNull();
      case "number" -> value.isNumber();
      // JSON Schema: a number is an integer when its value is whole (1.0 is one)
      case "integer" -> value.isIntegralNumber() || value.isNumber() && value.doubleValue() == Math.rint(value.doubleValue());
      default -> throw new AssertionError("unknown type in the schema: " + type);
    };
  }

  /** The coarse YAML kind: text, number, true/false, null, list, mapping. */
  static String kind(JsonNode value) {
    return value.isObject() ? "mapping" : value.isArray() ? "list" : value.isNull() ? "null"
        : value.isBoolean() ? "boolean" : value.isNumber() ? "number" : "string";
  }

  private static boolean sameKind(JsonNode a, JsonNode b) {
    return kind(a).equals(kind(b));
  }
}
