package io.netform.imports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netform.validate.DesiredStateCheck;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** Input Docker would not write, or that netform cannot take: a located error or a note, never a crash. */
class ImportHostileInputTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private static ImportError refused(String networks) {
    return assertThrows(ImportError.class, () -> ImportFixtures.docker(networks, Optional.empty()));
  }

  @Test
  void textThatIsNotJsonIsRefusedAtItsLineAndColumn() {
    ImportError e = refused("[{\"Name\": \"x\",\n  \"Driver\": ");
    assertTrue(e.getMessage().startsWith("docker-networks.json:2:"), e.getMessage());
    assertTrue(e.getMessage().contains("not JSON"), e.getMessage());
    assertFalse(e.getMessage().contains("\n"), "one line");
  }

  @Test
  void aValueOfTheWrongTypeIsRefusedWhereItIsWritten() {
    ImportError e = refused("[{\"Name\": \"x\",\n  \"IPAM\": {\"Config\": [{\"Subnet\": 42}]}}]");
    assertEquals("docker-networks.json:2:34: [0].IPAM.Config[0].Subnet: expected a string, found the number 42",
        e.getMessage());
    assertTrue(refused("{\"Name\": \"x\"}").getMessage().contains("the document: expected an array, found an object"));
    assertTrue(refused("[{\"Driver\": \"bridge\"}]").getMessage().contains("[0]: a network without a Name"));
    assertTrue(refused("[{\"Name\": \"x\", \"Internal\": \"yes\"}]").getMessage()
        .contains("[0].Internal: expected true or false, found the string \"yes\""));
  }

  @Test
  void namesAndValuesNetformRefusesAreLeftOutWithANote() {
    String networks = "[{\"Name\": \"" + "n".repeat(70) + "\"}, {\"Name\": \"odd\", \"IPAM\": {\"Config\": [{\"Subnet\": "
        + "\"10.0.0.300/24\"}]}}, {\"Name\": \"ok\", \"Driver\": \"ipvlan\"}, {\"Name\": \"fine\", \"Options\": "
        + "{\"com.docker.network.driver.mtu\": \"lots\", \"made.up\": \"1\"}}]";
    DockerInspectImport.Imported imported = ImportFixtures.docker(networks,
        Optional.of("[{\"Name\": \"/we@b\"}, {\"Name\": \"/app\", \"NetworkSettings\": {\"Networks\": {\"fine\": "
            + "{\"IPAMConfig\": {\"IPv4Address\": \"1.2.3.4\"}, \"Aliases\": [\"app-alias\"]}}}}]"));
    assertEquals(List.of("fine"), List.copyOf(imported.state().networks().keySet()));
    String header = imported.notes().header("x");
    for (String expected : List.of("netform's names are letters", "subnet \"10.0.0.300/24\" is not an address range",
        "driver \"ipvlan\"", "mtu lots: not an MTU", "option made.up=1: netform has no such setting",
        "container \"we@b\"", "address 1.2.3.4: outside the network's subnets")) {
      assertTrue(header.contains(expected), expected + " in\n" + header);
    }
    assertTrue(ImportFixtures.reread(imported).valid());
  }

  /**
   * Every value of both fixtures replaced, one at a time, by a value of another type: the import is
   * refused with a located one-line error, or what it imports validates.
   */
  @Test
  void anyValueOfTheFixturesReplacedGivesALocatedErrorOrAValidImport() {
    JsonNode networks = JSON.readTree(ImportFixtures.text(ImportFixtures.NETWORKS));
    JsonNode containers = JSON.readTree(ImportFixtures.text(ImportFixtures.CONTAINERS));
    List<JsonNode> replacements = List.of(NODES.numberNode(42), NODES.stringNode("x"), NODES.booleanNode(true),
        NODES.nullNode(), NODES.arrayNode(), NODES.objectNode());
    int runs = 0;
    for (boolean inNetworks : List.of(true, false)) {
      JsonNode document = inNetworks ? networks : containers;
      List<String> pointers = new ArrayList<>();
      collect(document, "", pointers);
      for (int i = 0; i < pointers.size(); i++) {
        JsonNode changed = replaced(document, pointers.get(i), replacements.get(i % replacements.size()));
        String n = inNetworks ? JSON.writerWithDefaultPrettyPrinter().writeValueAsString(changed) : networks.toString();
        String c = inNetworks ? containers.toString() : JSON.writerWithDefaultPrettyPrinter().writeValueAsString(changed);
        String what = (inNetworks ? "networks" : "containers") + " " + pointers.get(i);
        try {
          DockerInspectImport.Imported imported = ImportFixtures.docker(n, Optional.of(c));
          DesiredStateCheck.Checked checked = ImportFixtures.reread(imported);
          assertTrue(checked.valid(), what + ": " + checked.diagnostics());
        } catch (ImportError e) {
          assertTrue(e.getMessage().matches("docker-(networks|containers)\\.json:\\d+:\\d+: .+"), what + ": " + e.getMessage());
        }
        runs++;
      }
    }
    assertTrue(runs > 300, "runs: " + runs);
  }

  private static void collect(JsonNode node, String pointer, List<String> out) {
    if (!pointer.isEmpty()) {
      out.add(pointer);
    }
    if (node.isObject()) {
      node.propertyNames().forEach(k -> collect(node.get(k), pointer + "/" + k.replace("~", "~0").replace("/", "~1"), out));
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        collect(node.get(i), pointer + "/" + i, out);
      }
    }
  }

  private static JsonNode replaced(JsonNode document, String pointer, JsonNode value) {
    JsonNode copy = document.deepCopy();
    int slash = pointer.lastIndexOf('/');
    JsonNode parent = copy.at(pointer.substring(0, slash));
    String last = pointer.substring(slash + 1).replace("~1", "/").replace("~0", "~");
    if (parent instanceof ObjectNode o) {
      o.set(last, value);
    } else if (parent instanceof ArrayNode a) {
      a.set(Integer.parseInt(last), value);
    }
    return copy;
  }
}
