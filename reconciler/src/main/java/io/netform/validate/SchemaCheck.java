package io.netform.validate;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.NodePath;
import io.netform.desired.SourceMap;
import io.netform.diagnostics.Diagnostic;
import io.netform.diagnostics.Location;
import io.netform.diagnostics.Suggestions;
import io.netform.net.MacAddress;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * Checks one parsed file against {@code schemas/netform.schema.json} and turns each schema error
 * into a located diagnostic with a plain-language message and a fix.
 */
public final class SchemaCheck {

  public static final String RESOURCE = "/schemas/netform.schema.json";

  private static final Schema SCHEMA = load();

  private SchemaCheck() {}

  private static Schema load() {
    try (InputStream in = SchemaCheck.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("schema " + RESOURCE + " missing from the jar");
      }
      return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The schema as JSON, e.g. for the documentation test. */
  public static JsonNode schemaNode() {
    return SCHEMA.getSchemaNode();
  }

  public static List<Diagnostic> check(JsonNode document, SourceMap sources) {
    List<Diagnostic> out = new ArrayList<>();
    for (Error error : SCHEMA.validate(document)) {
      out.add(toDiagnostic(error, sources));
    }
    return out;
  }

  private static Diagnostic toDiagnostic(Error error, SourceMap sources) {
    String path = pointer(error.getInstanceLocation());
    String keyword = error.getKeyword() == null ? "" : error.getKeyword();
    String where = path.isEmpty() ? "the top level" : display(path);
    return switch (keyword) {
      case "additionalProperties" -> unknownKey(error, path, sources);
      case "type" -> Diagnostic.error("schema-type", sources.value(path),
          where + " " + typeMessage(error), "write " + expectedTypes(error.getSchemaNode()) + " here");
      case "enum" -> Diagnostic.error("schema-enum", sources.value(path),
          where + " must be one of " + error.getSchemaNode(), "use one of the listed values");
      case "const" -> Diagnostic.error("schema-const", sources.value(path),
          where + " must be " + error.getSchemaNode(), "write " + error.getSchemaNode() + " here");
      case "required" -> Diagnostic.error("schema-required", sources.value(path),
          where + " is missing the required key \"" + error.getProperty() + "\"",
          "add " + error.getProperty() + ": ... to it");
      case "pattern" -> patternMessage(error, path, sources);
      case "propertyNames" -> Diagnostic.error("schema-propertyNames",
          sources.key(path + "/" + SourceMap.segment(String.valueOf(error.getProperty()))),
          "\"" + error.getProperty() + "\" is not a name netform takes under " + where + " (" + error.getMessage() + ")",
          "start the name with a letter or digit and use only letters, digits, '_', '.' and '-' (at most 63), e.g. web-1");
      case "minimum", "maximum" -> Diagnostic.error("schema-range", sources.value(path),
          where + " is out of range: " + error.getMessage(), "use a value " + (keyword.equals("minimum") ? ">= " : "<= ")
              + error.getSchemaNode());
      default -> Diagnostic.error("schema-" + keyword, sources.value(path), error.getMessage(),
          "see docs/format.md for the allowed form");
    };
  }

  private static Diagnostic unknownKey(Error error, String path, SourceMap sources) {
    String key = error.getProperty();
    String keyPath = path + "/" + SourceMap.segment(key);
    if (path.isEmpty() && key.equals(ComposeServices.KEY) && error.getInstanceNode() != null) {
      return ComposeServices.diagnostic(error.getInstanceNode().get(key), sources.key(keyPath));
    }
    List<String> allowed = allowedKeys(error);
    String hint = Suggestions.closest(key, allowed)
        .map(s -> "did you mean \"" + s + "\"?")
        .orElse("allowed keys here: " + String.join(", ", allowed));
    return Diagnostic.error("unknown-key", sources.key(keyPath), "unknown key \"" + key + "\"", hint);
  }

  private static List<String> allowedKeys(Error error) {
    // The failing schema node is the additionalProperties value; its siblings' "properties" list the keys.
    List<String> keys = new ArrayList<>();
    JsonNode properties = parentProperties(error);
    if (properties != null) {
      keys.addAll(properties.propertyNames());
    }
    return keys;
  }

  private static JsonNode parentProperties(Error error) {
    String fragment = error.getSchemaLocation().getFragment().toString();
    // e.g. "/$defs/network/additionalProperties" -> "/$defs/network/properties"
    int cut = fragment.lastIndexOf('/');
    if (cut < 0) {
      return null;
    }
    JsonNode properties = SCHEMA.getSchemaNode().at(fragment.substring(0, cut) + "/properties");
    return properties.isMissingNode() ? null : properties;
  }

  private static Diagnostic patternMessage(Error error, String path, SourceMap sources) {
    // a key's pattern is checked through propertyNames; a value may well be spelt like its key
    boolean isKey = error.getEvaluationPath().toString().contains("/propertyNames");
    Location where = isKey ? sources.key(path) : sources.value(path);
    String value = error.getInstanceNode() == null ? "" : error.getInstanceNode().asString();
    Optional<ValueProblem> rule = isKey ? Optional.empty() : ruleFinding(path, value);
    if (rule.isPresent()) {
      return Diagnostic.error(rule.get().code(), where, rule.get().message(), rule.get().hint());
    }
    if (path.contains("network_mode")) {
      return Diagnostic.error("bad-network-mode", where, "network_mode \"" + value + "\" is not valid",
          "use none, host or container:NAME");
    }
    if (EXPOSE.matcher(path).matches()) {
      return Diagnostic.error("bad-port", where, "expose \"" + value + "\" is not a container port",
          "write a port like 3000 or a range like 3000-3010, optionally followed by /tcp, /udp or /sctp");
    }
    if (path.contains("mac_address")) {
      return Diagnostic.error("bad-mac", where, "\"" + value + "\" is not a MAC address",
          "write six hex pairs separated by colons, e.g. 02:42:0a:0f:14:0a");
    }
    return Diagnostic.error("bad-name", where, "\"" + value + "\" is not a valid name",
        "use letters, digits, '_', '.' and '-', starting with a letter or digit (at most 63 characters)");
  }

  private static final Pattern BRIDGE_NAME = Pattern.compile("/networks/[^/]+/bridge_name");
  private static final Pattern NAMESPACE = Pattern.compile("/containers/[^/]+/namespace");
  private static final Pattern EXPOSE = Pattern.compile("/containers/[^/]+/expose/\\d+");
  private static final Pattern MAC_ADDRESS = Pattern.compile("/containers/[^/]+/networks/[^/]+/mac_address");

  /**
   * The rules' own finding for a value whose pattern in the schema states a rule: the same words
   * as the rule's, so that the two merge into one diagnostic.
   */
  private static Optional<ValueProblem> ruleFinding(String path, String value) {
    if (BRIDGE_NAME.matcher(path).matches()) {
      return BridgeNames.problem(value);
    }
    if (NAMESPACE.matcher(path).matches()) {
      return NamespacePaths.problem(value);
    }
    if (MAC_ADDRESS.matcher(path).matches()) {
      return MacAddress.tryParse(value).flatMap(MacAddresses::problem);
    }
    return Optional.empty();
  }

  private static String typeMessage(Error error) {
    JsonNode node = error.getInstanceNode();
    String found = node == null ? "something else" : describe(node);
    return "must be " + expectedTypes(error.getSchemaNode()) + ", found " + found;
  }

  private static String expectedTypes(JsonNode typeNode) {
    if (typeNode == null) {
      return "a different kind of value";
    }
    List<String> names = new ArrayList<>();
    if (typeNode.isArray()) {
      typeNode.values().forEach(t -> names.add(article(t.asString())));
    } else {
      names.add(article(typeNode.asString()));
    }
    return String.join(" or ", names);
  }

  private static final Map<String, String> ARTICLES = Map.of(
      "object", "a mapping (key: value)", "array", "a list", "string", "a string",
      "integer", "a whole number", "number", "a number", "boolean", "true or false", "null", "nothing (null)");

  private static String article(String type) {
    return ARTICLES.getOrDefault(type, type);
  }

  private static String describe(JsonNode node) {
    if (node.isObject()) {
      return "a mapping";
    }
    if (node.isArray()) {
      return "a list";
    }
    if (node.isNull()) {
      return "nothing";
    }
    if (node.isBoolean()) {
      return node.asString();
    }
    return (node.isNumber() ? "the number " : "the string ") + "\"" + node.asString() + "\"";
  }

  /** A JSON pointer as people write keys: {@code networks.web.ipam.config[0].subnet}. */
  public static String display(String pointer) {
    StringBuilder sb = new StringBuilder();
    for (String seg : pointer.substring(1).split("/", -1)) {
      String name = seg.replace("~1", "/").replace("~0", "~");
      if (!name.isEmpty() && name.chars().allMatch(Character::isDigit)) {
        sb.append('[').append(name).append(']');
      } else {
        sb.append(sb.length() == 0 ? "" : ".").append(name);
      }
    }
    return sb.toString();
  }

  static String pointer(NodePath path) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < path.getNameCount(); i++) {
      Object element = path.getElement(i);
      sb.append('/').append(element instanceof Integer ? element.toString() : SourceMap.segment(String.valueOf(element)));
    }
    return sb.toString();
  }
}
