package io.netform.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netform.desired.load.DesiredStateLoader;
import io.netform.testing.RepoFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.statistics.Statistics;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Any one value of any example replaced by a value of another YAML type (text, number, true/false,
 * null, list, mapping): {@code validate} and {@code plan} never fail with an internal error, the
 * JSON output always parses, and a type the schema refuses there is an error located exactly at
 * the replacement.
 */
class WrongTypePropertyTest {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Path DIR = tempDir();
  private static final Path FILE = DIR.resolve("mutated.yaml");

  record Mutation(String example, List<Object> path, JsonNode original, JsonNode replacement,
      ReplacedValueYaml.Written written) {

    @Override
    public String toString() {
      return example + " " + path + ": " + original + " -> " + replacement + " (line " + written.line() + ", column "
          + written.column() + ")\n" + written.text();
    }
  }

  @Property(tries = 200)
  void aValueOfAnotherTypeIsALocatedErrorNeverACrash(@ForAll("mutations") Mutation m) throws IOException {
    Files.writeString(FILE, m.written().text());
    ValidateCommandTest.Result validated = ValidateCommandTest.run("validate", "--format", "json", FILE.toString());
    assertNoInternalError(validated);
    JsonNode report = JSON.readTree(validated.out());
    assertTrue(validated.code() == 0 || validated.code() == 1, () -> "exit " + validated.code());
    assertEquals(validated.code() == 0, report.get("valid").booleanValue(), validated.out());

    JsonNode schema = SchemaTypes.at(m.path());
    boolean refused = !SchemaTypes.typeAllowed(schema, m.replacement());
    Statistics.label("type refused there").collect(refused);
    if (refused) {
      String code = SchemaTypes.refusalCode(schema);
      assertEquals(1, validated.code(), validated.out());
      boolean located = report.get("diagnostics").valueStream().anyMatch(d -> d.get("severity").asString().equals("error")
          && d.get("code").asString().equals(code) && d.get("file").asString().equals(FILE.toString())
          && d.get("line").intValue() == m.written().line() && d.get("column").intValue() == m.written().column()
          && !d.get("hint").asString().isBlank());
      assertTrue(located, () -> "expected " + code + " at " + m.written().line() + ":" + m.written().column()
          + ", got " + validated.out());
    }

    // A multi-host desired state is planned for one of its hosts (this machine's hostname is none of them).
    List<String> plan = new java.util.ArrayList<>(List.of("plan", "--empty-host", "--no-color", FILE.toString()));
    if (java.util.regex.Pattern.compile("(?m)^\"?hosts\"?:").matcher(m.written().text()).find()) {
      plan.addAll(List.of("--host", "docker2"));
    }
    ValidateCommandTest.Result planned = ValidateCommandTest.run(plan.toArray(String[]::new));
    assertNoInternalError(planned);
    assertEquals(validated.code() == 0 ? 0 : 1, planned.code(), () -> planned.out() + planned.err());
    // most tries must reach the located-error check, not only "no crash"
    Statistics.label("type refused there").coverage(c -> c.check(true).percentage(p -> p > 60));
  }

  /** The writer keeps every value: each example written back unchanged validates. */
  @Example
  void eachExampleWrittenBackUnchangedIsValid() throws IOException {
    for (Path example : examples()) {
      Files.writeString(FILE, ReplacedValueYaml.unchanged(parse(example)));
      ValidateCommandTest.Result r = ValidateCommandTest.run("validate", "--strict", "--no-color", FILE.toString());
      assertEquals(0, r.code(), () -> example + ":\n" + r.out() + r.err());
    }
  }

  private static void assertNoInternalError(ValidateCommandTest.Result r) {
    assertFalse((r.out() + r.err()).contains("internal error"), r.out() + r.err());
  }

  @Provide
  Arbitrary<Mutation> mutations() {
    return Arbitraries.of(examples()).flatMap(example -> {
      JsonNode root = parse(example);
      return Arbitraries.of(ReplacedValueYaml.paths(root)).flatMap(path -> {
        JsonNode original = root.at(pointer(path));
        return anyValue().filter(v -> !SchemaTypes.kind(v).equals(SchemaTypes.kind(original)))
            .map(v -> new Mutation(example.getFileName().toString(), path, original, v,
                ReplacedValueYaml.write(root, path, v)));
      });
    });
  }

  private static Arbitrary<JsonNode> anyValue() {
    Arbitrary<JsonNode> scalar = scalar();
    Arbitrary<JsonNode> list = Arbitraries.oneOf(scalar, scalar.list().ofMaxSize(2).map(WrongTypePropertyTest::list))
        .list().ofMaxSize(2).map(WrongTypePropertyTest::list);
    Arbitrary<JsonNode> mapping = Combinators.combine(
        Arbitraries.of("a", "subnet", "addr", "ipv4_address", "bridge"), Arbitraries.oneOf(scalar, list))
        .as(WrongTypePropertyTest::mapping);
    Arbitrary<JsonNode> emptyMapping = Arbitraries.just(NODES.objectNode());
    return Arbitraries.oneOf(scalar, list, mapping, emptyMapping);
  }

  private static Arbitrary<JsonNode> scalar() {
    return Arbitraries.oneOf(
        Arbitraries.of("x", "", "bridge", "none", "10.1.0.5", "10.1.0.0/24", "true", "1500", "8080:80").map(NODES::stringNode),
        Arbitraries.of(0L, 1L, -1L, 1500L, 70000L, 1L << 40).map(NODES::numberNode),
        Arbitraries.of(1.5, 1500.0, -0.25).map(NODES::numberNode),
        Arbitraries.of(true, false).map(NODES::booleanNode),
        Arbitraries.just(NODES.nullNode()));
  }

  private static JsonNode list(List<JsonNode> items) {
    ArrayNode list = NODES.arrayNode();
    items.forEach(list::add);
    return list;
  }

  private static JsonNode mapping(String key, JsonNode value) {
    ObjectNode mapping = NODES.objectNode();
    mapping.set(key, value);
    return mapping;
  }

  private static String pointer(List<Object> path) {
    StringBuilder sb = new StringBuilder();
    path.forEach(step -> sb.append('/').append(step.toString().replace("~", "~0").replace("/", "~1")));
    return sb.toString();
  }

  private static List<Path> examples() {
    try (Stream<Path> files = Files.list(RepoFiles.examples())) {
      // The multi-host example too: hosts:, host:, driver: overlay and its options get every wrong type as well.
      return Stream.concat(files.filter(p -> p.toString().endsWith(".yaml")),
          Stream.of(RepoFiles.examples().resolve("multi-host/overlay.yaml"))).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonNode parse(Path example) {
    try {
      return new DesiredStateLoader().parseText(example.toString(), Files.readString(example)).root().orElseThrow();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path tempDir() {
    try {
      return Files.createTempDirectory("netform-wrong-type");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @AfterContainer
  static void removeTempFiles() throws IOException {
    Files.deleteIfExists(FILE);
    Files.deleteIfExists(DIR);
  }
}
