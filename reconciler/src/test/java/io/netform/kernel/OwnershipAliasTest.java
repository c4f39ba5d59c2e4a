package io.netform.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netform.model.Owner;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The link alias that marks netform's links: what it writes it reads back, and nothing else is taken for its own. */
class OwnershipAliasTest {

  @Test
  void whatIsWrittenIsReadBack() {
    Map<String, String> values = new LinkedHashMap<>();
    values.put("subnets", "10.0.0.0/24,fd00::/64");
    values.put("peer", "nfc-0123456789ab/eth0");
    values.put("note", "a=b"); // only the first '=' separates
    for (Owner owner : List.of(Owner.HOST, Owner.network("web.internal"), Owner.container("db-1"))) {
      String alias = OwnershipAlias.format(owner, values);
      OwnershipAlias.Parsed parsed = OwnershipAlias.parse(alias).orElseThrow(() -> new AssertionError(alias));
      assertEquals(owner, parsed.owner(), alias);
      assertEquals(values, parsed.values(), alias);
      assertEquals(List.copyOf(values.keySet()), List.copyOf(parsed.values().keySet()), "in the order written");
      assertEquals(Optional.of("nfc-0123456789ab/eth0"), parsed.get("peer"));
      assertEquals(Optional.empty(), parsed.get("parent"));
    }
    assertEquals("netform:v1 owner=network:web", OwnershipAlias.format(Owner.network("web"), Map.of()));
  }

  @Test
  void anotherToolsAliasIsNotNetforms() {
    for (String alias : new String[] {null, "", "uplink to the core switch", "netform:v1", "netform:v1x owner=network:web",
        "netform:v2 owner=network:web", "NETFORM:V1 owner=network:web", " netform:v1 owner=network:web",
        "docker netform:v1 owner=network:web"}) {
      assertEquals(Optional.empty(), OwnershipAlias.parse(alias), String.valueOf(alias));
    }
  }

  @Test
  void aDamagedMarkerIsNotTakenForNetforms() {
    for (String alias : new String[] {"netform:v1 ", "netform:v1 subnets=10.0.0.0/24", "netform:v1 owner=",
        "netform:v1 owner=robot:x", "netform:v1 owner=network", "netform:v1 owner=network:web  peer=x",
        "netform:v1 owner=network:web peer", "netform:v1 =x owner=network:web", "netform:v1 owner=network:web trailing "}) {
      assertEquals(Optional.empty(), OwnershipAlias.parse(alias), alias);
    }
  }

  @Test
  void nothingIsWrittenThatCouldNotBeReadBack() {
    Owner web = Owner.network("web");
    for (Map<String, String> bad : List.of(Map.of("subnets", ""), Map.of("peer", "a b"), Map.of("a=b", "c"),
        Map.of("a b", "c"), Map.of("", "c"), Map.of("owner", "container:other"))) {
      assertThrows(IllegalArgumentException.class, () -> OwnershipAlias.format(web, bad), bad.toString());
    }
  }

  @Test
  void theKernelsLimitIs255Bytes() {
    Owner web = Owner.network("web");
    String prefix = OwnershipAlias.format(web, Map.of("x", "y")); // "netform:v1 owner=network:web x=y"
    String fits = "y" + "a".repeat(255 - prefix.length());
    assertEquals(255, OwnershipAlias.format(web, Map.of("x", fits)).length());
    assertThrows(IllegalArgumentException.class, () -> OwnershipAlias.format(web, Map.of("x", fits + "a")));
    String wide = "\u00e9".repeat(200); // 200 characters, 400 bytes in UTF-8
    assertThrows(IllegalArgumentException.class, () -> OwnershipAlias.format(web, Map.of("x", wide)));
  }
}
