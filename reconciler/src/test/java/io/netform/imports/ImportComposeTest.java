package io.netform.imports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netform.desired.Container;
import io.netform.desired.DesiredState;
import io.netform.desired.NetworkMode;
import io.netform.validate.DesiredStateCheck;
import java.util.List;
import org.junit.jupiter.api.Test;

class ImportComposeTest {

  private static ComposeImport.Translated translated(String text) {
    return ComposeImport.translate("compose.yaml", text);
  }

  private static DesiredStateCheck.Checked checked(String text) {
    return DesiredStateCheck.runParsed(translated(text).document());
  }

  @Test
  void servicesBecomeContainersWithTheirNetworkingOnly() {
    DesiredStateCheck.Checked checked = checked(ImportFixtures.text(ImportFixtures.COMPOSE));
    assertTrue(checked.valid(), checked.diagnostics().toString());
    DesiredState state = checked.state();
    assertEquals(List.of("front", "back", "default"), List.copyOf(state.networks().keySet()));
    assertTrue(state.networks().get("back").internal());
    Container app = state.containers().get("app");
    assertEquals(List.of("api"), app.attachments().get(0).aliases());
    assertEquals("10.30.1.10", app.attachments().get(1).ipv4Address().orElseThrow().toString());
    assertEquals(List.of("80:80/tcp", "8443:443/tcp"),
        state.containers().get("proxy").ports().stream().map(Object::toString).toList());
    assertEquals(new NetworkMode.JoinContainer("app"), state.containers().get("sidecar").mode(), "service:app");
    assertEquals("default", state.containers().get("worker").attachments().get(0).network(),
        "Compose's implicit default network, made explicit");
  }

  @Test
  void everyKeyLeftOutIsListed() {
    String header = translated(ImportFixtures.text(ImportFixtures.COMPOSE)).notes().header("x");
    for (String expected : List.of("top-level volumes: not networking", "service app: image, command, environment, "
        + "depends_on: not networking", "service app on network back: priority", "top-level name")) {
      assertTrue(header.contains(expected), expected + " in\n" + header);
    }
  }

  @Test
  void findingsPointIntoTheComposeFile() {
    DesiredStateCheck.Checked checked = checked("services:\n  web:\n    image: x\n    networks: [nope]\n");
    assertFalse(checked.valid());
    assertEquals("compose.yaml:4:15", checked.diagnostics().get(0).location().toString(), checked.diagnostics().toString());
    DesiredStateCheck.Checked badPort = checked("services:\n  web:\n    ports: [\"99999:80\"]\n");
    assertFalse(badPort.valid());
    assertTrue(badPort.diagnostics().get(0).location().toString().startsWith("compose.yaml:3:"), badPort.diagnostics().toString());
  }

  @Test
  void aFileThatIsNoComposeFileIsRefusedInOneLine() {
    assertTrue(assertThrows(ImportError.class, () -> translated("services: [a, b]\n")).getMessage()
        .startsWith("compose.yaml:1:11: services: expected a mapping"));
    assertTrue(assertThrows(ImportError.class, () -> translated("- a\n")).getMessage()
        .startsWith("compose.yaml:1:1: expected a Compose file"));
    DesiredStateCheck.Checked syntax = checked("services: [\n");
    assertFalse(syntax.valid());
    assertTrue(syntax.diagnostics().get(0).message().contains("YAML syntax"), syntax.diagnostics().toString());
  }

  @Test
  void theOutputOfDockerComposeConfigImportsItsIngressPortsOnTheHost() {
    String config = "name: shop\nservices:\n  web:\n    image: nginx\n    networks:\n      default: null\n    ports:\n"
        + "      - mode: ingress\n        target: 80\n        published: \"8080\"\n        protocol: tcp\n"
        + "networks:\n  default:\n    name: shop_default\n";
    ComposeImport.Translated t = translated(config);
    DesiredStateCheck.Checked checked = DesiredStateCheck.runParsed(t.document());
    assertTrue(checked.valid(), checked.diagnostics().toString());
    assertEquals(List.of("shop_default"), List.copyOf(checked.state().networks().keySet()), "Compose's name: is the name");
    assertEquals("8080:80/tcp", checked.state().containers().get("web").ports().get(0).toString());
    assertTrue(t.notes().header("x").contains("service web port 80: mode ingress"), t.notes().header("x"));
  }

  @Test
  void composesDefaultsAreKept() {
    ComposeImport.Translated t = translated("""
        name: shop
        services:
          a: {image: nginx, networks: [], mac_address: "02:00:00:00:00:01", external_links: ["legacy:db"]}
          b: {image: redis, network_mode: bridge}
          c: {image: x, networks: {}}
        """);
    DesiredStateCheck.Checked checked = DesiredStateCheck.runParsed(t.document());
    assertTrue(checked.passes(true), checked.diagnostics().toString());
    DesiredState state = checked.state();
    assertEquals("default", state.containers().get("a").attachments().get(0).network(), "networks: [] is Compose's default");
    assertEquals("default", state.containers().get("c").attachments().get(0).network(), "and so is networks: {}");
    assertEquals("bridge", state.containers().get("b").attachments().get(0).network(), "network_mode: bridge");
    assertTrue(state.networks().get("bridge").isDefault(), "Docker's default bridge");
    String header = t.notes().header("x");
    for (String expected : List.of("service a: mac_address: a service-wide MAC", "service a: external_links: links to "
        + "containers outside the project", "top-level name: the project's name")) {
      assertTrue(header.contains(expected), expected + " in\n" + header);
    }
  }
}
