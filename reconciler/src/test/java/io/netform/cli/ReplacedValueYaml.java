package io.netform.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * Writes a document as block YAML with the value at one path replaced, the replacement in flow
 * style on its key's (or list dash's) own line, and says where the replacement starts: the place a
 * diagnostic about it must point at. Keys and strings are written JSON-quoted, so every other
 * value keeps its type.
 */
final class ReplacedValueYaml {

  /** The text, and the line and column (from 1) where the replacement starts. */
  record Written(String text, int line, int column) {}

  private final List<Object> target;
  private final JsonNode replacement;
  private final StringBuilder out = new StringBuilder();
  private int line;
  private int column;

  private ReplacedValueYaml(List<Object> target, JsonNode replacement) {
    this.target = target;
    this.replacement = replacement;
  }

  static Written write(JsonNode root, List<Object> target, JsonNode replacement) {
    ReplacedValueYaml w = new ReplacedValueYaml(target, replacement);
    if (target.isEmpty() || !isBlock(root)) {
      w.inline(target.isEmpty() ? replacement : root, List.of());
      w.out.append('\n');
    } else {
      w.block(root, List.of(), 0);
    }
    return new Written(w.out.toString(), w.line, w.column);
  }

  /** The document written back with nothing replaced (no path has a negative list index). */
  static String unchanged(JsonNode root) {
    return write(root, List.of(-1), root).text();
  }

  /** Every path in a document: the top, and each key's value and list item below it. */
  static List<List<Object>> paths(JsonNode root) {
    List<List<Object>> out = new ArrayList<>();
    collect(root, List.of(), out);
    return out;
  }

  private static void collect(JsonNode node, List<Object> at, List<List<Object>> out) {
    out.add(at);
    if (node.isObject()) {
      node.properties().forEach(e -> collect(e.getValue(), append(at, e.getKey()), out));
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        collect(node.get(i), append(at, i), out);
      }
    }
  }

  private static List<Object> append(List<Object> path, Object step) {
    List<Object> longer = new ArrayList<>(path);
    longer.add(step);
    return List.copyOf(longer);
  }

  private static boolean isBlock(JsonNode node) {
    return node.isContainer() && !node.isEmpty();
  }

  private void block(JsonNode node, List<Object> at, int indent) {
    if (node.isObject()) {
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        out.append(" ".repeat(indent)).append(quoted(e.getKey())).append(':');
        value(e.getValue(), append(at, e.getKey()), indent);
      }
    } else {
      for (int i = 0; i < node.size(); i++) {
        out.append(" ".repeat(indent)).append('-');
        value(node.get(i), append(at, i), indent);
      }
    }
  }

  private void value(JsonNode node, List<Object> at, int indent) {
    if (!at.equals(target) && isBlock(node)) {
      out.append('\n');
      block(node, at, indent + 2);
      return;
    }
    out.append(' ');
    inline(at.equals(target) ? replacement : node, at);
    out.append('\n');
  }

  private void inline(JsonNode node, List<Object> at) {
    if (at.equals(target)) {
      line = (int) out.chars().filter(c -> c == '\n').count() + 1;
      column = out.length() - out.lastIndexOf("\n");
    }
    out.append(flow(node));
  }

  private static String flow(JsonNode node) {
    if (node.isObject()) {
      List<String> entries = new ArrayList<>();
      node.properties().forEach(e -> entries.add(quoted(e.getKey()) + ": " + flow(e.getValue())));
      return "{" + String.join(", ", entries) + "}";
    }
    if (node.isArray()) {
      return "[" + String.join(", ", node.values().stream().map(ReplacedValueYaml::flow).toList()) + "]";
    }
    return node.isString() ? quoted(node.asString()) : node.toString();
  }

  private static String quoted(String text) {
    return JsonNodeFactory.instance.stringNode(text).toString();
  }
}
