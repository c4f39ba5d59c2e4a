package io.netform.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netform.cli.ValidateCommandTest;
import io.netform.diagnostics.Diagnostic;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Joins that lead nowhere (a cycle, an unknown container) are errors at the join, also when the
 * joined containers publish ports and other rules follow the joins to find where the ports go.
 */
class JoinRulesTest {

  private static final String CYCLE = """
      networks:
        n: {host_binding_ipv4: 198.18.0.1, ipam: {config: [{subnet: 10.1.0.0/24}]}}
      containers:
        a: {network_mode: "container:b", ports: ["8080:80", "[::]:8443:443"], hostname: h}
        b: {network_mode: "container:a", ports: ["8081:80"]}
        c: {network_mode: "container:a", ports: ["8082:80"]}
      """;

  @Test
  void aCycleOfJoinsIsAnErrorAtEachJoinThatLeadsIntoIt() {
    List<Diagnostic> errors = Validated.errors(Validated.of(CYCLE));
    assertEquals(List.of("join-cycle 4:21", "join-cycle 5:21", "join-cycle 6:21"),
        errors.stream().map(d -> d.code() + " " + d.location().line() + ":" + d.location().column()).toList(),
        errors::toString);
    assertEquals("container \"c\" joins a cycle of containers (c -> a -> b -> a)", errors.get(2).message(),
        "the path in the order of the joins");
  }

  @Test
  void aJoinOfAnUnknownContainerIsAnErrorAtTheJoinAlone() {
    List<Diagnostic> errors = Validated.errors(Validated.of(
        CYCLE.replace("container:b\"", "container:x\"")));
    assertEquals(1, errors.size(), errors::toString);
    assertEquals("unknown-container", errors.get(0).code());
    assertEquals("t.yaml:4:21", errors.get(0).location().file() + ":" + errors.get(0).location().line() + ":"
        + errors.get(0).location().column());
  }

  @Test
  void aPlanOfACycleSaysWhereAndStops(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("cycle.yaml"), "version: 1\n" + CYCLE);
    var r = ValidateCommandTest.run("plan", "--empty-host", "--no-color", file.toString());
    assertEquals(1, r.code(), r::toString);
    assertTrue(r.err().contains("cycle.yaml:5:21"), r::toString);
    assertTrue(!r.err().contains("Exception") && !r.err().contains("\tat "), r::toString);
  }

  /** The namespace at the end of the joins decides: one with no network of its own, or only internal ones, publishes nothing. */
  @Test
  void portsOfAContainerJoinedToANamespaceThatPublishesNothingAreAWarning() {
    String yaml = """
        networks:
          i: {internal: true}
        containers:
          a: {network_mode: host}
          b: {network_mode: "container:a"}
          c: {network_mode: "container:b", ports: ["8080:80"]}
        """;
    Diagnostic host = onlyWarning(yaml, "ports-ignored");
    assertEquals("ports are not published: container \"c\" shares the namespace of \"a\", which is in host mode",
        host.message());
    assertEquals(6, host.location().line());
    assertEquals("ports-ignored", onlyWarning(yaml.replace("network_mode: host", "network_mode: none"), "ports-ignored").code());
    Diagnostic internal = onlyWarning(yaml.replace("network_mode: host", "networks: [i]"), "ports-on-internal");
    assertEquals("container \"c\" shares the namespace of \"a\", which is only on internal networks: its ports are not "
        + "published", internal.message());
  }

  private static Diagnostic onlyWarning(String yaml, String code) {
    DesiredStateCheck.Checked checked = Validated.of(yaml);
    assertTrue(checked.valid(), checked.diagnostics()::toString);
    List<Diagnostic> found = checked.diagnostics().stream().filter(d -> !d.isError()).toList();
    assertEquals(List.of(code), found.stream().map(Diagnostic::code).toList(), found::toString);
    return found.get(0);
  }
}
