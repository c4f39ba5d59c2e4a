package io.netform.imports;

import io.netform.validate.SchemaCheck;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.MissingNode;

/**
 * One value of a {@link JsonDocument} with its place, read the way Docker writes it: an absent
 * value and {@code null} are the same (Docker writes {@code null} for empty lists and maps, and
 * older engines leave fields out), and a value of another type is an {@link ImportError} that says
 * where it is and what was expected.
 */
public final class JsonValue {

  private final JsonDocument document;
  private final JsonNode node;
  private final String pointer;

  JsonValue(JsonDocument document, JsonNode node, String pointer) {
    this.document = document;
    this.node = node == null ? MissingNode.getInstance() : node;
    this.pointer = pointer;
  }

  public boolean absent() {
    return node.isMissingNode() || node.isNull();
  }

  public JsonValue get(String key) {
    JsonNode child = node.isObject() ? node.get(key) : null;
    return new JsonValue(document, child, pointer + "/" + key.replace("~", "~0").replace("/", "~1"));
  }

  /** The elements of an array; none when absent. */
  public List<JsonValue> elements() {
    List<JsonValue> out = new ArrayList<>();
    if (absent()) {
      return out;
    }
    expect(node.isArray(), "an array");
    for (int i = 0; i < node.size(); i++) {
      out.add(new JsonValue(document, node.get(i), pointer + "/" + i));
    }
    return out;
  }

  /** The members of an object, in the file's order; none when absent. */
  public Map<String, JsonValue> members() {
    Map<String, JsonValue> out = new LinkedHashMap<>();
    if (absent()) {
      return out;
    }
    expect(node.isObject(), "an object");
    for (String key : node.propertyNames()) {
      out.put(key, get(key));
    }
    return out;
  }

  /** A string; empty when absent or {@code ""} (Docker's way of saying "not set"). */
  public Optional<String> text() {
    if (absent()) {
      return Optional.empty();
    }
    expect(node.isString(), "a string");
    return node.asString().isEmpty() ? Optional.empty() : Optional.of(node.asString());
  }

  public boolean bool(boolean fallback) {
    if (absent()) {
      return fallback;
    }
    expect(node.isBoolean(), "true or false");
    return node.booleanValue();
  }

  public Optional<Integer> integer() {
    if (absent()) {
      return Optional.empty();
    }
    expect(node.isIntegralNumber() && node.canConvertToInt(), "a whole number");
    return Optional.of(node.intValue());
  }

  /** The strings of a list of strings (Docker's Aliases, Links). */
  public List<String> texts() {
    return elements().stream().map(JsonValue::text).flatMap(Optional::stream).toList();
  }

  /** An error at this value: {@code file:line:column: path: what}. */
  public ImportError error(String what) {
    return new ImportError(document.at(pointer) + ": " + path() + ": " + what);
  }

  private void expect(boolean holds, String what) {
    if (!holds) {
      throw error("expected " + what + ", found " + kind());
    }
  }

  private String kind() {
    if (node.isObject()) {
      return "an object";
    }
    if (node.isArray()) {
      return "an array";
    }
    if (node.isString()) {
      return "the string \"" + node.asString() + "\"";
    }
    return node.isBoolean() ? node.asString() : node.isNumber() ? "the number " + node.asString() : node.getNodeType().toString();
  }

  /** The value's path as people write it: {@code [0].IPAM.Config[1].Subnet}. */
  String path() {
    if (pointer.isEmpty()) {
      return "the document";
    }
    return SchemaCheck.display(pointer);
  }
}
