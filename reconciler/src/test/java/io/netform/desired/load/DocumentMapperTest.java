package io.netform.desired.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netform.desired.Attachment;
import io.netform.desired.DesiredState;
import io.netform.desired.Network;
import io.netform.desired.NetworkMode;
import io.netform.diagnostics.Diagnostic;
import io.netform.validate.SchemaCheck;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A list or mapping where the format wants one value is the schema's located error, and the mapper
 * leaves the value out instead of coercing it (it used to throw, an "internal error").
 */
class DocumentMapperTest {

  private static final String BASE = """
      networks:
        n:
          mtu: %s
          ipam: {config: [{subnet: %s}]}
      containers:
        c:
          networks: %s
          network_mode: %s
      """;

  private static LoadResult load(String mtu, String subnet, String networks, String mode) {
    return new DesiredStateLoader(LoadLimits.DEFAULT, SchemaCheck::check).loadText("t.yaml",
        BASE.formatted(mtu, subnet, networks, mode));
  }

  private static void assertOnlyTypeErrorAt(LoadResult loaded, int line, int column) {
    List<Diagnostic> errors = loaded.diagnostics().stream().filter(Diagnostic::isError).toList();
    assertEquals(1, errors.size(), errors::toString);
    assertEquals("schema-type", errors.get(0).code(), errors::toString);
    assertEquals(List.of(line, column), List.of(errors.get(0).location().line(), errors.get(0).location().column()),
        errors::toString);
  }

  @Test
  void aMappingForTheMtuIsLeftOut() {
    LoadResult loaded = load("{a: 1}", "10.1.0.0/24", "[n]", "bridge");
    assertOnlyTypeErrorAt(loaded, 3, 10);
    assertEquals(Network.DEFAULT_MTU, loaded.state().networks().get("n").mtu());
  }

  @Test
  void aListForTheSubnetLeavesThePoolOut() {
    LoadResult loaded = load("1500", "[10.1.0.0/24]", "[n]", "bridge");
    assertOnlyTypeErrorAt(loaded, 4, 30);
    assertEquals(List.of(), loaded.state().networks().get("n").pools());
  }

  @Test
  void aListInTheListOfNetworksIsLeftOut() {
    LoadResult loaded = load("1500", "10.1.0.0/24", "[[n]]", "bridge");
    assertOnlyTypeErrorAt(loaded, 7, 16);
    assertEquals(List.of(), loaded.state().containers().get("c").attachments());
  }

  @Test
  void aMappingForAnAddressLeavesTheAddressOut() {
    LoadResult loaded = load("1500", "10.1.0.0/24", "{n: {ipv4_address: {addr: 10.1.0.5}}}", "bridge");
    assertOnlyTypeErrorAt(loaded, 7, 34);
    Attachment attachment = loaded.state().containers().get("c").attachments().get(0);
    assertEquals(Optional.empty(), attachment.ipv4Address());
  }

  @Test
  void aListForTheNetworkModeLeavesTheDefaultMode() {
    LoadResult loaded = load("1500", "10.1.0.0/24", "[n]", "[none]");
    assertOnlyTypeErrorAt(loaded, 8, 19);
    assertEquals(NetworkMode.OWN, loaded.state().containers().get("c").mode());
  }

  @Test
  void aWholeNumberWrittenWithAPointIsAnMtu() {
    DesiredState state = load("9000.0", "10.1.0.0/24", "[n]", "bridge").state();
    assertEquals(9000, state.networks().get("n").mtu());
  }

  /** The mapper reads a priority that fits an int; a larger one is the schema's error, not silently 0. */
  @Test
  void aGatewayPriorityBeyondAnIntIsOutOfRange() {
    LoadResult loaded = load("1500", "10.1.0.0/24", "{n: {gw_priority: 2147483648}}", "bridge");
    List<Diagnostic> errors = loaded.diagnostics().stream().filter(Diagnostic::isError).toList();
    assertEquals(List.of("schema-range 7:33"), errors.stream()
        .map(d -> d.code() + " " + d.location().line() + ":" + d.location().column()).toList(), errors::toString);
  }

  @Test
  void conformingValuesAreAllRead() {
    LoadResult loaded = load("9000", "10.1.0.0/24", "{n: {ipv4_address: 10.1.0.5, gw_priority: 3, aliases: [db]}}",
        "bridge");
    assertTrue(loaded.diagnostics().isEmpty(), loaded.diagnostics()::toString);
    Attachment attachment = loaded.state().containers().get("c").attachments().get(0);
    assertEquals("10.1.0.5", attachment.ipv4Address().orElseThrow().toString());
    assertEquals(3, attachment.gwPriority());
    assertEquals(List.of("db"), attachment.aliases());
  }
}
