package io.netform.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The state directory is made private and refused, with the fix in one line, whenever another user
 * could change what is in it. Root-free except where another owner is needed.
 */
class StateDirectoryTest {

  @TempDir
  Path tmp;

  private static void chmod(Path p, String mode) throws Exception {
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(mode));
  }

  private static StateDirectoryException refused(Path dir) {
    StateDirectoryException e = assertThrows(StateDirectoryException.class, () -> StateDirectory.open(dir));
    assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    return e;
  }

  @Test
  void aMissingDirectoryIsCreatedPrivate() throws Exception {
    Path dir = tmp.resolve("a/state");
    StateDirectory state = StateDirectory.open(dir);
    assertEquals(dir, state.dir());
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
  }

  @Test
  void aDirectoryOthersCanWriteIsRefusedWithTheFix() throws Exception {
    Path dir = Files.createDirectory(tmp.resolve("state"));
    chmod(dir, "rwxrwxrwx");
    String message = refused(dir).getMessage();
    assertTrue(message.startsWith("refusing the state directory " + dir + ": it is writable by group and others (mode 0777)"),
        message);
    assertTrue(message.endsWith("chmod 700 " + dir), message);
    chmod(dir, "rwxrwx---");
    assertTrue(refused(dir).getMessage().contains("writable by group (mode 0770)"));
    chmod(dir, "rwxr-xr-x"); // as systemd's StateDirectory= makes it: others may read, not write
    StateDirectory.open(dir);
  }

  @Test
  void aDirectoryAboveItOthersCanWriteIsRefusedUnlessSticky() throws Exception {
    Path shared = Files.createDirectory(tmp.resolve("shared"));
    Path dir = Files.createDirectory(shared.resolve("state"));
    chmod(shared, "rwxrwxrwx");
    String message = refused(dir).getMessage();
    assertTrue(message.contains(": " + shared + " is writable by group and others (mode 0777, no sticky bit)"), message);
    assertTrue(message.contains("chmod go-w " + shared), message);
    Files.setAttribute(shared, "unix:mode", 01777); // as /tmp: others cannot rename or remove what is not theirs
    StateDirectory.open(dir);
  }

  @Test
  void aLinkToTheDirectoryIsJudgedByWhereItLeads() throws Exception {
    Path real = Files.createDirectory(tmp.resolve("real"));
    Path link = Files.createSymbolicLink(tmp.resolve("link"), real);
    assertEquals(real, StateDirectory.open(link).dir(), "followed once; every file reached through the real path");
    assertEquals(real.resolve("inventory.json"), StateDirectory.open(link).inventory());
    chmod(real, "rwxrwxrwx");
    assertTrue(refused(link).getMessage().contains(": " + real + " is writable by group and others"));
  }

  @Test
  void aLinkAmongItsEntriesIsRefused() throws Exception {
    Path dir = Files.createDirectory(tmp.resolve("state"));
    Path elsewhere = Files.createDirectory(tmp.resolve("elsewhere"));
    for (String entry : new String[] {"lock", "inventory.json", "agent-status.json", "last-good", "source"}) {
      Path link = Files.createSymbolicLink(dir.resolve(entry), elsewhere.resolve(entry));
      String message = refused(dir).getMessage();
      assertTrue(message.equals("refusing " + link + ": it is a symbolic link, and netform never follows one in its state "
          + "directory (it could lead to any file). Remove it: rm " + link), message);
      Files.delete(link);
    }
    StateDirectory.open(dir);
  }

  @Test
  void aFileInItOthersCanWriteIsRefused() throws Exception {
    Path dir = Files.createDirectory(tmp.resolve("state"));
    Path inventory = Files.writeString(dir.resolve("inventory.json"), "{\"version\":1,\"namespaces\":{}}\n");
    chmod(inventory, "rw-rw-rw-");
    String message = refused(dir).getMessage();
    assertTrue(message.contains(": " + inventory + " is writable by group and others (mode 0666)"), message);
    assertTrue(message.endsWith("chmod go-w " + inventory), message);
  }

  @Test
  void aDirectoryInItOthersCanWriteIsRefused() throws Exception {
    Path dir = Files.createDirectory(tmp.resolve("state"));
    chmod(dir, "rwxr-xr-x");
    for (String name : new String[] {"names", "last-good", "source", "checkpoints"}) {
      Path sub = Files.createDirectory(dir.resolve(name));
      chmod(sub, "rwxrwxrwx"); // anyone could replace a name record or a desired-state file in it
      String message = refused(dir).getMessage();
      assertTrue(message.equals("refusing the state directory " + dir + ": " + sub + " is writable by group and others "
          + "(mode 0777), so another user could change what netform trusts as root; chmod go-w " + sub), message);
      chmod(sub, "rwxr-xr-x");
    }
    StateDirectory.open(dir);
  }

  @Test
  void whatIsDeepInItIsJudgedAsWhatIsAtItsTop() throws Exception {
    Path dir = Files.createDirectory(tmp.resolve("state"));
    Path deep = Files.createDirectories(dir.resolve("source/networks/prod"));
    Path file = Files.writeString(deep.resolve("web.yaml"), "version: 1\n");
    chmod(file, "rw-rw-r--");
    assertTrue(refused(dir).getMessage().contains(": " + file + " is writable by group (mode 0664)"));
    chmod(file, "rw-r--r--");
    chmod(deep, "rwxrwx-wx");
    assertTrue(refused(dir).getMessage().contains(": " + deep + " is writable by group and others (mode 0773)"));
    chmod(deep, "rwxr-xr-x");
    Files.createSymbolicLink(deep.resolve("shared.yaml"), file); // a Git checkout may hold links: never followed
    StateDirectory.open(dir);
  }

  /** Needs root, to give the directory to someone else. */
  @Test
  @KernelTest
  void aDirectoryOrFileOwnedBySomeoneElseIsRefused() throws Exception {
    Path dir = Files.createDirectory(tmp.resolve("state"));
    Files.setAttribute(dir, "unix:uid", 65534);
    String message = refused(dir).getMessage();
    assertTrue(message.startsWith("refusing the state directory " + dir + ": it is owned by uid 65534, not by root"), message);
    assertTrue(message.endsWith("chown root: " + dir + " && chmod 700 " + dir), message);
    Files.setAttribute(dir, "unix:uid", 0);
    Path lock = Files.createFile(dir.resolve("lock"));
    Files.setAttribute(lock, "unix:uid", 65534);
    assertTrue(refused(dir).getMessage().contains(": " + lock + " is owned by uid 65534, not by root"));
  }

  /** Needs root: what another user made anywhere in it may have been planted. */
  @Test
  @KernelTest
  void anythingInItSomeoneElseOwnsIsRefused() throws Exception {
    Path dir = Files.createDirectory(tmp.resolve("state"));
    Path foreign = Files.createFile(dir.resolve("foreign"));
    Files.setAttribute(foreign, "unix:uid", 65534);
    assertTrue(refused(dir).getMessage().contains(": " + foreign + " is owned by uid 65534, not by root"));
    Files.delete(foreign);
    Path record = Files.writeString(Files.createDirectory(dir.resolve("names")).resolve("c1"), "# netform\n");
    Files.setAttribute(record, "unix:uid", 65534);
    String message = refused(dir).getMessage();
    assertTrue(message.contains(": " + record + " is owned by uid 65534, not by root"), message);
    assertTrue(message.endsWith("it may have been planted: check it, then remove it or chown root: " + record), message);
  }
}
