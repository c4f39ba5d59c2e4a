package io.netform.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netform.desired.SourceMap;
import io.netform.net.MacAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The schema's patterns for bridge names, namespace paths and MAC addresses (for editors and
 * other tools) say what the rules say: where the schema refuses a value, the rule does too, so the
 * schema's diagnostic is the rule's and the two merge.
 */
class SchemaPatternsTest {

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private static boolean schemaRefuses(String section, String entry, String key, String value) {
    ObjectNode inner = JSON.objectNode().put(key, value);
    ObjectNode root = JSON.objectNode();
    if (key.equals("mac_address")) {
      root.set(section, JSON.objectNode().set(entry, JSON.objectNode().set("networks", JSON.objectNode().set("n", inner))));
    } else {
      root.set(section, JSON.objectNode().set(entry, inner));
    }
    return !SchemaCheck.check(root, SourceMap.empty()).isEmpty();
  }

  @Test
  void theNamespacePatternRefusesExactlyWhatTheRuleRefuses() {
    for (String path : List.of("/run/netns/web", "/var/run/netns/a.b", "/run/netns/..web", "/procfs/x", "/srv/ns dir/x",
        "/proc/1/ns/net", "/proc", "/proc/", "relative/x", "", "/", "/web", "/a//b", "/a/b/", "/a/./b", "/a/../b",
        "/a/.", "/a/..", "/a/b\n", "/a/b\u0085", "/a/\u0000")) {
      assertEquals(NamespacePaths.problem(path).isPresent(), schemaRefuses("containers", "c", "namespace", path),
          () -> "\"" + path + "\"");
    }
  }

  @Test
  void theMacPatternRefusesExactlyWhatTheRuleRefuses() {
    for (String mac : List.of("02:42:0a:0f:14:0a", "00:00:00:00:00:01", "FE:ff:ff:ff:ff:ff", "01:00:5e:00:00:01",
        "ff:ff:ff:ff:ff:ff", "00:00:00:00:00:00", "0F:00:00:00:00:00", "0e:00:00:00:00:00")) {
      boolean ruleRefuses = MacAddresses.problem(MacAddress.parse(mac)).isPresent();
      assertEquals(ruleRefuses, schemaRefuses("containers", "c", "mac_address", mac), mac);
    }
  }

  @Test
  void whatTheBridgeNamePatternRefusesTheRuleRefuses() {
    for (String name : List.of("br-web", "nf-docker0", "lo0", "br%d", "%", "lo", "all", "default", "bonding_masters",
        "nf-0123456789ab", "nfv0123456789ab", "nf-0123456789AB", ".", "..", "...", "a/b", "a:b", "a b", "", "lo\n",
        "a\tb", "nf-0123456789ab\n")) {
      if (schemaRefuses("networks", "n", "bridge_name", name)) {
        assertTrue(BridgeNames.problem(name).isPresent(), () -> "\"" + name + "\"");
      }
    }
  }
}
