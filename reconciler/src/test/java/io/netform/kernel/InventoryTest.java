package io.netform.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The inventory is kept parsed between reads; a write by anyone (another netform process too) is seen. */
class InventoryTest {

  @TempDir
  Path state;

  @Test
  void noFileIsAnEmptyInventory() {
    assertTrue(new Inventory(state).namespaces().isEmpty());
  }

  @Test
  void writesByThisOrAnotherInstanceAreSeen() {
    Inventory mine = new Inventory(state);
    Inventory another = new Inventory(state); // as another process would
    mine.putNamespace("a", Path.of("/run/netns/a"));
    assertEquals(Map.of("a", "/run/netns/a"), mine.namespaces());
    assertEquals(Map.of("a", "/run/netns/a"), mine.namespaces(), "read again from what was kept");
    another.putNamespaces(Map.of("b", Path.of("/proc/1/ns/net")));
    assertEquals(Map.of("a", "/run/netns/a", "b", "/proc/1/ns/net"), mine.namespaces());
    another.removeNamespace("a");
    assertEquals(Map.of("b", "/proc/1/ns/net"), mine.namespaces());
  }

  @Test
  void whatItReturnsIsTheCallersToChange() {
    Inventory inventory = new Inventory(state);
    inventory.putNamespace("a", Path.of("/run/netns/a"));
    inventory.namespaces().clear();
    assertEquals(Map.of("a", "/run/netns/a"), inventory.namespaces());
  }

  @Test
  void aDamagedFileIsReportedWithTheWayOut() throws Exception {
    Inventory inventory = new Inventory(state);
    inventory.putNamespace("a", Path.of("/run/netns/a"));
    inventory.namespaces();
    Files.writeString(state.resolve("inventory.json"), "{not json");
    IllegalStateException e = assertThrows(IllegalStateException.class, inventory::namespaces);
    assertTrue(e.getMessage().contains("is damaged") && e.getMessage().contains("move it aside"), e.getMessage());
  }
}
