package io.netform.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netform.kernel.KernelTest;
import io.netform.testing.FullTmpfs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The commands on the live host (the test JVM's private namespace) with a state directory that is
 * unsafe, damaged or full, or an output file that cannot be written: one line saying what and how
 * to fix it, exit 1, nothing changed, never "internal error".
 */
@KernelTest
class StateDirectoryCommandsTest {

  LiveHost host;
  Path state;
  Path desired;

  @BeforeEach
  void setUp() throws Exception {
    host = LiveHost.create();
    state = host.state();
    desired = LiveHost.desired("08-icc-off.yaml");
  }

  /** Whatever a failing test left behind goes, found by its markers with a clean state directory. */
  @AfterEach
  void tearDown() throws Exception {
    new LiveHost(Files.createTempDirectory("netform-clean"), host.netns(), host.firewall()).run("destroy", "--auto-approve", desired.toString());
  }

  /** Exit 1 and a single line on stderr: the one given, and nothing planned or applied. */
  private static void refusedInOneLine(ValidateCommandTest.Result r, String line) {
    assertEquals(1, r.code(), r.out() + r.err());
    assertEquals(line + "\n", r.err());
    assertEquals("", r.out(), "nothing planned, nothing applied");
  }

  @Test
  void aStateDirectoryOthersCanWriteIsRefusedBeforeAnythingIsRead() throws Exception {
    Files.setPosixFilePermissions(state, PosixFilePermissions.fromString("rwxrwxrwx"));
    String line = "netform: refusing the state directory " + state + ": it is writable by group and others (mode 0777), "
        + "so another user could change what netform trusts as root; make it root's alone: chown root: " + state
        + " && chmod 700 " + state;
    refusedInOneLine(host.run("apply", "--auto-approve", desired.toString()), line);
    refusedInOneLine(host.run("plan", desired.toString()), line);
  }

  @Test
  void aDirectoryInItOthersCanWriteIsRefusedBeforeAnythingIsRead() throws Exception {
    Path names = Files.createDirectory(state.resolve("names"));
    Files.setPosixFilePermissions(names, PosixFilePermissions.fromString("rwxrwxrwx"));
    // What another user could then put there: a name record as netform writes it, with an address of theirs.
    Path forged = Files.writeString(names.resolve("c1"), "# netform: container:c1\n10.99.0.66 c1\n");
    Files.setAttribute(forged, "unix:uid", 65534);
    String line = "netform: refusing the state directory " + state + ": " + names + " is writable by group and others "
        + "(mode 0777), so another user could change what netform trusts as root; chmod go-w " + names;
    refusedInOneLine(host.run("plan", desired.toString()), line);
    refusedInOneLine(host.run("apply", "--auto-approve", desired.toString()), line);
    Files.setPosixFilePermissions(names, PosixFilePermissions.fromString("rwx------"));
    refusedInOneLine(host.run("plan", desired.toString()), "netform: refusing the state directory " + state + ": " + forged
        + " is owned by uid 65534, not by root, so another user could change what netform trusts as root; it may have "
        + "been planted: check it, then remove it or chown root: " + forged);
  }

  @Test
  void theLockIsNeverOpenedThroughALink() throws Exception {
    Path victim = Files.writeString(Files.createTempFile("victim", ".txt"), "a file netform does not own\n");
    Files.createSymbolicLink(state.resolve("lock"), victim);
    refusedInOneLine(host.run("apply", "--auto-approve", desired.toString()), "netform: refusing " + state.resolve("lock")
        + ": it is a symbolic link, and netform never follows one in its state directory (it could lead to any file). "
        + "Remove it: rm " + state.resolve("lock"));
    assertEquals("a file netform does not own\n", Files.readString(victim));
  }

  @Test
  void aTruncatedInventoryIsAnErrorWithTheWayOut() throws Exception {
    Path inventory = Files.writeString(state.resolve("inventory.json"), "{\"version\":1,\"namespaces\":{\"a\":\"/run/n");
    var r = host.run("apply", "--auto-approve", desired.toString());
    assertEquals(1, r.code(), r.out() + r.err());
    assertEquals(1, r.err().lines().count(), r.err());
    assertTrue(r.err().startsWith("netform: the inventory " + inventory + " is damaged (not JSON at line 1, column "), r.err());
    assertTrue(r.err().contains("Move it aside (mv " + inventory + " " + inventory + ".damaged) and run again"), r.err());
    assertEquals("", r.out(), "nothing applied");
    assertEquals("{\"version\":1,\"namespaces\":{\"a\":\"/run/n", Files.readString(inventory), "left for the user to look at");
  }

  @Test
  void aFullStateDirectoryIsAnErrorAndTheInventoryStaysAsItWas() throws Exception {
    String inventory = "{\"version\":1,\"namespaces\":{}}\n";
    try (FullTmpfs full = FullTmpfs.on(state, d -> Files.writeString(d.resolve("inventory.json"), inventory))) {
      var r = host.run("apply", "--auto-approve", desired.toString());
      assertEquals(1, r.code(), r.out() + r.err());
      assertEquals(1, r.err().lines().count(), r.err());
      assertTrue(r.err().startsWith("netform: cannot write the lock " + state.resolve("lock") + ": no space left on device; "
          + "free space on the file system of " + state), r.err());
      assertEquals(inventory, Files.readString(state.resolve("inventory.json")));
    }
  }

  @Test
  void anUnwritableSnapshotFileIsAnErrorWithTheFix() throws Exception {
    Path directory = Files.createTempDirectory("snapshot-is-a-directory");
    var r = host.run("show", "--snapshot", directory.toString());
    assertEquals(1, r.code(), r.out() + r.err());
    assertEquals("netform: cannot save the snapshot to " + directory + " (is a directory); nothing was "
        + "saved. Give --snapshot a file in a directory you can write to\n", r.err());
  }
}
