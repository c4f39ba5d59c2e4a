package io.netform.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netform.diagnostics.Diagnostic;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Compose's networking vocabulary, pasted into netform: what it means here, and the errors that say what to write. */
class ComposeVocabularyTest {

  private static DesiredStateCheck.Checked check(String yaml) {
    return DesiredStateCheck.runText("compose.yaml", yaml);
  }

  private static List<Diagnostic> withCode(DesiredStateCheck.Checked c, String code) {
    return c.diagnostics().stream().filter(d -> d.code().equals(code)).toList();
  }

  @Test
  void topLevelServicesIsAnErrorShowingTheEquivalentContainers() {
    var c = check("""
        networks:
          front: {}
        services:
          web:
            image: nginx
            networks: [front]
            ports: ["8080:80"]
          db:
            image: postgres
        """);
    List<Diagnostic> found = withCode(c, "compose-services");
    assertEquals(1, found.size(), c.diagnostics()::toString);
    Diagnostic d = found.get(0);
    assertEquals(3, d.location().line());
    assertEquals(1, d.location().column());
    assertTrue(d.message().contains("netform's key is \"containers\""), d.message());
    assertEquals("rename services: to containers: and keep only each service's networking keys: "
        + "containers: {web: {networks: [front], ports: [\"8080:80\"]}} (and so on for the other 1); leave out image", d.hint());
    assertEquals(List.of(), withCode(c, "unknown-key"), "not only \"unknown key\"");
  }
}
