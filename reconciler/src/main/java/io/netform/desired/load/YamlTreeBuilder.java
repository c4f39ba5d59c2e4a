package io.netform.desired.load;

import io.netform.desired.SourceMap;
import io.netform.diagnostics.Diagnostic;
import io.netform.diagnostics.Location;
import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Parse;
import org.snakeyaml.engine.v2.events.AliasEvent;
import org.snakeyaml.engine.v2.events.CollectionStartEvent;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.events.ScalarEvent;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.resolver.JsonScalarResolver;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Builds a JSON tree from YAML parser events, recording the location of every key and value.
 *
 * <p>It replaces snakeyaml's recursive composer on purpose: the event parser is iterative, so a
 * deeply nested document is rejected at a depth limit instead of overflowing the stack, alias
 * expansion is counted (billion laughs), and duplicate keys are reported with both places.
 */
final class YamlTreeBuilder {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final JsonScalarResolver RESOLVER = new JsonScalarResolver();

  private final String file;
  private final LoadLimits limits;
  private final Map<String, Location> valueLocations = new HashMap<>();
  private final Map<String, Location> keyLocations = new HashMap<>();
  private final List<Diagnostic> problems = new ArrayList<>();
  private final Map<String, Anchored> anchors = new HashMap<>();
  private final Deque<Frame> stack = new ArrayDeque<>();
  private JsonNode root;
  private long nodes;
  private int aliases;
  private int documents;

  private YamlTreeBuilder(String file, LoadLimits limits) {
    this.file = file;
    this.limits = limits;
  }

  static ParsedFile build(String file, String text, LoadLimits limits) {
    YamlTreeBuilder builder = new YamlTreeBuilder(file, limits);
    boolean complete = builder.run(text);
    Optional<JsonNode> root = complete ? Optional.ofNullable(builder.root) : Optional.empty();
    return new ParsedFile(file, root, new SourceMap(builder.valueLocations, builder.keyLocations), builder.problems);
  }

  private boolean run(String text) {
    LoadSettings settings = LoadSettings.builder()
        .setLabel(file)
        .setCodePointLimit((int) Math.min(Integer.MAX_VALUE, limits.maxFileBytes()))
        // The whole text in one window: the reader's default of 1,024 characters is refilled by
        // copying what it holds, which costs the square of a token's length (a 4 MiB comment line
        // took 7 s, 8 MiB 33 s). The text is in memory already; the window is one copy of it.
        .setBufferSize(Math.max(1024, text.length() + 1))
        .build();
    try {
      for (Event event : new Parse(settings).parseString(text)) {
        if (!accept(event)) {
          return false;
        }
      }
      return true;
    } catch (MarkedYamlEngineException e) {
      Location where = e.getProblemMark().or(e::getContextMark).map(this::location).orElse(Location.ofFile(file));
      String context = e.getContext() == null ? "" : " (" + e.getContext() + ")";
      problems.add(Diagnostic.error("yaml-syntax", where, "YAML syntax error: " + e.getProblem() + context,
          "fix the YAML syntax at this place; check indentation, colons and quotes"));
      return false;
    } catch (YamlEngineException e) {
      problems.add(Diagnostic.error("yaml-syntax", Location.ofFile(file), "cannot read YAML: " + e.getMessage(),
          "check that the file is a YAML document within the size limit"));
      return false;
    }
  }

  /** Handles one event; false stops the build (a limit was hit). */
  private boolean accept(Event event) {
    switch (event.getEventId()) {
      case DocumentStart -> {
        documents++;
        if (documents > 1) {
          problems.add(Diagnostic.error("multiple-documents", at(event),
              "this file holds more than one YAML document (---)",
              "put each desired state in its own file, or merge the documents into one"));
          return false;
        }
      }
      case MappingStart, SequenceStart -> {
        return startCollection((CollectionStartEvent) event);
      }
      case MappingEnd, SequenceEnd -> endCollection();
      case Scalar -> {
        return scalar((ScalarEvent) event);
      }
      case Alias -> {
        return alias((AliasEvent) event);
      }
      default -> { }
    }
    return true;
  }

  private boolean startCollection(CollectionStartEvent event) {
    if (expectsKey()) {
      problems.add(Diagnostic.error("complex-key", at(event), "a mapping key must be a plain value, not a list or mapping",
          "write the key as a simple name"));
      return false;
    }
    if (stack.size() >= limits.maxDepth()) {
      problems.add(Diagnostic.error("too-deep", at(event),
          "the document nests deeper than " + limits.maxDepth() + " levels",
          "netform's format needs only a few levels; remove the excess nesting"));
      return false;
    }
    if (!countNodes(1, event)) {
      return false;
    }
    boolean mapping = event.getEventId() == Event.ID.MappingStart;
    JsonNode node = mapping ? NODES.objectNode() : NODES.arrayNode();
    String path = attach(node, at(event));
    stack.push(new Frame(node, path, event.getAnchor().map(a -> a.getValue()), at(event)));
    return true;
  }

  private void endCollection() {
    Frame done = stack.pop();
    done.anchor.ifPresent(name -> anchors.put(name, new Anchored(done.node, size(done.node))));
  }

  private boolean scalar(ScalarEvent event) {
    if (expectsKey()) {
      Frame frame = stack.peek();
      String key = event.getValue();
      Location where = at(event);
      Location first = frame.keys.putIfAbsent(key, where);
      if (first != null) {
        problems.add(Diagnostic.error("duplicate-key", where,
            "duplicate key \"" + key + "\" (first defined at line " + first.line() + ", column " + first.column() + ")",
            "remove one of the two; YAML would silently keep only one of them"));
      }
      frame.pendingKey = key;
      frame.pendingKeyLocation = where;
      return true;
    }
    if (!countNodes(1, event)) {
      return false;
    }
    JsonNode node = scalarNode(event);
    attach(node, at(event));
    event.getAnchor().ifPresent(a -> anchors.put(a.getValue(), new Anchored(node, 1)));
    return true;
  }

  private boolean alias(AliasEvent event) {
    String name = event.getAlias().getValue();
    Anchored target = anchors.get(name);
    if (target == null) {
      problems.add(Diagnostic.error("unknown-alias", at(event), "alias *" + name + " refers to no anchor &" + name,
          "define the anchor before using it, or write the value out"));
      return false;
    }
    if (expectsKey()) {
      problems.add(Diagnostic.error("complex-key", at(event), "an alias cannot be used as a mapping key",
          "write the key as a simple name"));
      return false;
    }
    if (target.node.isContainer() && ++aliases > limits.maxAliases()) {
      problems.add(Diagnostic.error("too-many-aliases", at(event),
          "the document uses more than " + limits.maxAliases() + " aliases",
          "write the values out instead of aliasing them"));
      return false;
    }
    if (!countNodes(target.size, event)) {
      return false;
    }
    attach(target.node, at(event));
    return true;
  }

  private boolean countNodes(long more, Event event) {
    nodes += more;
    if (nodes > limits.maxNodes()) {
      problems.add(Diagnostic.error("too-large", at(event),
          "the document expands to more than " + limits.maxNodes() + " values (aliases count every time they are used)",
          "split the desired state into smaller files or stop aliasing large blocks"));
      return false;
    }
    return true;
  }

  private boolean expectsKey() {
    Frame frame = stack.peek();
    return frame != null && frame.node.isObject() && frame.pendingKey == null;
  }

  /** Places a node under the current frame and returns its JSON pointer. */
  private String attach(JsonNode node, Location where) {
    Frame parent = stack.peek();
    String path;
    if (parent == null) {
      root = node;
      path = "";
    } else if (parent.node.isObject()) {
      path = parent.path + "/" + SourceMap.segment(parent.pendingKey);
      ((ObjectNode) parent.node).set(parent.pendingKey, node);
      keyLocations.put(path, parent.pendingKeyLocation);
      parent.pendingKey = null;
    } else {
      path = parent.path + "/" + parent.index++;
      ((ArrayNode) parent.node).add(node);
    }
    valueLocations.put(path, where);
    return path;
  }

  private static JsonNode scalarNode(ScalarEvent event) {
    String value = event.getValue();
    Optional<String> tag = event.getTag();
    Tag type;
    if (tag.isPresent() && !tag.get().equals("!")) {
      type = new Tag(tag.get());
    } else if (event.isPlain() && event.getImplicit().canOmitTagInPlainScalar()) {
      type = RESOLVER.resolve(value, true);
    } else {
      type = Tag.STR;
    }
    try {
      if (type.equals(Tag.NULL)) {
        return NODES.nullNode();
      }
      if (type.equals(Tag.BOOL)) {
        return NODES.booleanNode(Boolean.parseBoolean(value));
      }
      if (type.equals(Tag.INT)) {
        BigInteger big = new BigInteger(value);
        return big.bitLength() < 63 ? NODES.numberNode(big.longValue()) : NODES.numberNode(big);
      }
      if (type.equals(Tag.FLOAT)) {
        return NODES.numberNode(Double.parseDouble(value));
      }
    } catch (NumberFormatException e) {
      // An explicit tag on text that is not of that type: keep the text, the schema will say what is expected.
    }
    return NODES.stringNode(value);
  }

  private static long size(JsonNode node) {
    long n = 1;
    for (JsonNode child : node.values()) {
      n += child.isContainer() ? size(child) : 1;
    }
    return n;
  }

  private Location at(Event event) {
    return event.getStartMark().map(this::location).orElse(Location.ofFile(file));
  }

  private Location location(Mark mark) {
    return new Location(file, mark.getLine() + 1, mark.getColumn() + 1);
  }

  private static final class Frame {
    final JsonNode node;
    final String path;
    final Optional<String> anchor;
    final Location start;
    final Map<String, Location> keys = new HashMap<>();
    String pendingKey;
    Location pendingKeyLocation;
    int index;

    Frame(JsonNode node, String path, Optional<String> anchor, Location start) {
      this.node = node;
      this.path = path;
      this.anchor = anchor;
      this.start = start;
    }
  }

  private record Anchored(JsonNode node, long size) {}
}
