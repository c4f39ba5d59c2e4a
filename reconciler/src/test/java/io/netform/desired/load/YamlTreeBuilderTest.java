package io.netform.desired.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netform.diagnostics.Diagnostic;
import io.netform.diagnostics.Location;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class YamlTreeBuilderTest {

  private static ParsedFile parse(String text) {
    return YamlTreeBuilder.build("t.yaml", text, LoadLimits.DEFAULT);
  }

  private static ParsedFile parse(String text, LoadLimits limits) {
    return YamlTreeBuilder.build("t.yaml", text, limits);
  }

  @Test
  void recordsKeyAndValueLocations() {
    ParsedFile f = parse("networks:\n  web:\n    mtu: 1500\n");
    assertEquals(new Location("t.yaml", 3, 10), f.sources().value("/networks/web/mtu"));
    assertEquals(new Location("t.yaml", 3, 5), f.sources().key("/networks/web/mtu"));
    assertEquals(new Location("t.yaml", 2, 3), f.sources().key("/networks/web"));
  }

  @Test
  void locationOfAListElement() {
    ParsedFile f = parse("ports:\n  - \"80:80\"\n  - \"81:81\"\n");
    assertEquals(new Location("t.yaml", 3, 5), f.sources().value("/ports/1"));
  }

  @Test
  void resolvesScalarsWithTheJsonSchema() {
    JsonNode root = parse("a: yes\nb: true\nc: 12\nd: 1.5\ne: ~\nf: null\ng: '12'\n").root().orElseThrow();
    assertTrue(root.get("a").isString(), "yes stays a string (YAML 1.2 JSON schema)");
    assertTrue(root.get("b").isBoolean());
    assertTrue(root.get("c").isIntegralNumber());
    assertTrue(root.get("d").isNumber());
    assertTrue(root.get("e").isString(), "~ stays a string in the JSON schema");
    assertTrue(root.get("f").isNull());
    assertTrue(root.get("g").isString());
  }

  @Test
  void duplicateKeysAreReportedWithBothPlaces() {
    ParsedFile f = parse("a: 1\nb: 2\na: 3\n");
    Diagnostic d = f.problems().get(0);
    assertEquals("duplicate-key", d.code());
    assertEquals(3, d.location().line());
    assertTrue(d.message().contains("line 1"), d.message());
  }

  @Test
  void aliasesExpandAndCount() {
    ParsedFile ok = parse("a: &x [1, 2]\nb: *x\n");
    assertTrue(ok.problems().isEmpty());
    assertEquals(2, ok.root().orElseThrow().get("b").size());
    ParsedFile bomb = parse("a: &a [x, x, x, x]\nb: &b [*a, *a, *a, *a]\nc: [*b, *b, *b, *b]\n",
        new LoadLimits(1 << 20, 64, 40, 100));
    assertEquals("too-large", bomb.problems().get(0).code());
    assertTrue(bomb.root().isEmpty());
  }

  @Test
  void deepNestingStopsAtTheLimitWithoutStackOverflow() {
    String deep = "x: " + "[".repeat(100_000) + "]".repeat(100_000);
    ParsedFile f = parse(deep);
    assertEquals("too-deep", f.problems().get(0).code());
  }

  @Test
  void syntaxErrorsAreLocated() {
    ParsedFile f = parse("a: [1, 2\nb: 3\n");
    assertEquals("yaml-syntax", f.problems().get(0).code());
    assertEquals(2, f.problems().get(0).location().line());
  }

  @Test
  void unknownAliasIsAnError() {
    assertEquals("unknown-alias", parse("a: *nope\n").problems().get(0).code());
  }

  @Test
  void emptyDocumentIsNothing() {
    ParsedFile f = parse("# only a comment\n");
    assertTrue(f.problems().isEmpty());
    assertTrue(f.root().isEmpty());
  }
}
