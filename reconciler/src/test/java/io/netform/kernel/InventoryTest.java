package io.netform.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netform.testing.FullTmpfs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The inventory is kept parsed between reads; a write by anyone (another netform process too) is
 * seen; a damaged file or a link in its place is refused with a message, never read through.
 */
class InventoryTest {

  @TempDir
  Path state;

  @Test
  void noFileIsAnEmptyInventory() {
    assertTrue(new Inventory(StateDirectory.open(state)).namespaces().isEmpty());
  }

  @Test
  void writesByThisOrAnotherInstanceAreSeen() {
    Inventory mine = new Inventory(StateDirectory.open(state));
    Inventory another = new Inventory(StateDirectory.open(state)); // as another process would
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
    Inventory inventory = new Inventory(StateDirectory.open(state));
    inventory.putNamespace("a", Path.of("/run/netns/a"));
    inventory.namespaces().clear();
    assertEquals(Map.of("a", "/run/netns/a"), inventory.namespaces());
  }

  @Test
  void aDamagedFileIsReportedInOneLineWithTheWayOut() throws Exception {
    Inventory inventory = new Inventory(StateDirectory.open(state));
    inventory.putNamespace("a", Path.of("/run/netns/a"));
    inventory.namespaces();
    Path file = state.resolve("inventory.json");
    Files.writeString(file, "{\"version\":1,\"namespaces\":{\"a\":\"/run/ne"); // cut off mid-write
    StateDirectoryException e = assertThrows(StateDirectoryException.class, inventory::namespaces);
    assertTrue(e.getMessage().startsWith("the inventory " + file + " is damaged (not JSON at line 1"), e.getMessage());
    assertTrue(e.getMessage().contains("Move it aside (mv " + file + " " + file + ".damaged)"), e.getMessage());
    assertTrue(e.getMessage().contains("containers that adopt a namespace (namespace:) are recorded again"), e.getMessage());
    assertEquals(1, e.getMessage().lines().count(), e.getMessage());
  }

  @Test
  void anEmptyFileIsDamagedNotAnEmptyInventory() throws Exception {
    Files.writeString(state.resolve("inventory.json"), ""); // what a truncation leaves
    StateDirectoryException e = assertThrows(StateDirectoryException.class,
        () -> new Inventory(StateDirectory.open(state)).namespaces());
    assertTrue(e.getMessage().contains("is damaged (it is empty)"), e.getMessage());
  }

  @Test
  void aLinkInPlaceOfTheFileIsNeverReadThrough() throws Exception {
    Inventory inventory = new Inventory(StateDirectory.open(state));
    Path planted = Files.createTempFile("planted-inventory", ".json");
    Files.writeString(planted, "{\"version\":1,\"namespaces\":{\"web\":\"/proc/1/ns/net\"}}\n");
    Files.createSymbolicLink(state.resolve("inventory.json"), planted);
    StateDirectoryException e = assertThrows(StateDirectoryException.class, inventory::namespaces);
    assertTrue(e.getMessage().contains("is a symbolic link"), e.getMessage());
    assertThrows(StateDirectoryException.class, () -> inventory.putNamespace("a", Path.of("/run/netns/a")));
    assertTrue(Files.readString(planted).contains("/proc/1/ns/net"), "the link's target is untouched");
    Files.delete(planted);
  }

  @Test
  @KernelTest
  void onAFullDiskTheWriteFailsInOneLineAndTheFileStaysAsItWas() throws Exception {
    Path dir = Files.createDirectory(state.resolve("full"));
    String before = "{\"version\":1,\"namespaces\":{\"a\":\"/run/netns/a\"}}\n";
    try (FullTmpfs full = FullTmpfs.on(dir, d -> Files.writeString(d.resolve("inventory.json"), before))) {
      Inventory inventory = new Inventory(StateDirectory.open(dir));
      StateDirectoryException e = assertThrows(StateDirectoryException.class,
          () -> inventory.putNamespace("b", Path.of("/run/netns/b")));
      assertEquals("cannot write the inventory " + dir.resolve("inventory.json")
          + " (it is left as it was): no space left on device; free space on the file system of " + dir + " (df " + dir
          + "), or choose another --state-dir", e.getMessage());
      assertEquals(before, Files.readString(dir.resolve("inventory.json")));
      assertEquals(Map.of("a", "/run/netns/a"), inventory.namespaces());
    }
  }
}
