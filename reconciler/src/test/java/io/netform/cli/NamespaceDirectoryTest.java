package io.netform.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netform.kernel.KernelTest;
import io.netform.kernel.netns.NamedNamespaces;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The namespace directory on the live host (the test JVM's private namespace) holding what netform
 * did not make where it would mount a namespace, or open to other users: the plan says so, apply
 * changes nothing, destroy deletes nothing, and what is there is never mounted over or through.
 */
@KernelTest
class NamespaceDirectoryTest {

  LiveHost live;
  Path netns;
  Path desired;
  NamedNamespaces named;

  @BeforeEach
  void setUp() throws Exception {
    live = LiveHost.create();
    netns = live.netns();
    desired = Files.createTempDirectory("netform-desired");
    named = new NamedNamespaces(netns);
  }

  @AfterEach
  void tearDown() throws Exception {
    Files.setPosixFilePermissions(netns, PosixFilePermissions.fromString("rwx------"));
    live.run("destroy", "--auto-approve", desired.toString());
    named.list().forEach(named::delete);
    named.unmountDirectory();
  }

  private void containers(String... names) throws Exception {
    StringBuilder yaml = new StringBuilder("version: 1\ncontainers:\n");
    for (String n : names) {
      yaml.append("  ").append(n).append(":\n    network_mode: none\n");
    }
    Files.writeString(desired.resolve("state.yaml"), yaml);
  }

  /** plan and apply both refuse with every conflict expected; apply creates no namespace; destroy then succeeds. */
  private void refused(String... conflicts) {
    for (String command : List.of("plan", "apply")) {
      var r = command.equals("plan") ? live.run("plan", "--no-color", desired.toString())
          : live.run("apply", "--auto-approve", "--no-color", desired.toString());
      assertEquals(1, r.code(), command + ": " + r.out() + r.err());
      for (String conflict : conflicts) {
        assertTrue(r.out().contains("conflict: " + conflict), command + ": " + r.out());
      }
    }
    assertEquals(List.of(), named.list(), "no namespace was made");
    var destroyed = live.run("destroy", "--auto-approve", "--no-color", desired.toString());
    assertEquals(0, destroyed.code(), destroyed.out() + destroyed.err());
  }

  @Test
  void aFileWhereANamespaceWouldBeIsAConflictAndIsKept() throws Exception {
    Path file = Files.writeString(netns.resolve("c1"), "foreign-data");
    containers("c1");
    refused(file + " is a file of 12 bytes, not a network namespace; netform would mount the namespace of container:c1 "
        + "there and never takes over what it did not make");
    assertEquals("foreign-data", Files.readString(file), "neither mounted over nor deleted, by apply or destroy");
  }

  @Test
  void aLinkWhereANamespaceWouldBeIsAConflictAndWhereItLeadsIsNeverMountedOver() throws Exception {
    Path victim = Files.writeString(Files.createTempFile("netform-victim", ".txt"), "a file netform does not own\n");
    Path link = Files.createSymbolicLink(netns.resolve("c1"), victim);
    containers("c1");
    refused(link + " is a symbolic link to " + victim + ", not a network namespace");
    assertEquals("a file netform does not own\n", Files.readString(victim));
    assertTrue(Files.isSymbolicLink(link));
  }

  @Test
  void aDirectoryAndAFileBesideItAreBothConflictsAndBothKept() throws Exception {
    Path dir = Files.createDirectory(netns.resolve("c1"));
    Path file = Files.writeString(netns.resolve("c2"), "foreign-data");
    containers("c1", "c2", "c3");
    refused(dir + " is a directory, not a network namespace", file + " is a file of 12 bytes, not a network namespace");
    assertTrue(Files.isDirectory(dir));
    assertEquals("foreign-data", Files.readString(file));
    assertEquals(Map.of("c1", "a directory", "c2", "a file of 12 bytes"), named.others(), "nothing made, nothing removed");
  }

  @Test
  void aNamespaceDirectoryOthersCanWriteIsRefusedBeforeAnythingChanges() throws Exception {
    containers("c1");
    Files.setPosixFilePermissions(netns, PosixFilePermissions.fromString("rwxrwxrwx"));
    String line = "netform: refusing the namespace directory " + netns + ": it is writable by group and others (mode 0777), "
        + "so another user could change what netform trusts as root; make it writable by root only: chown root: " + netns
        + " && chmod go-w " + netns + "\n";
    for (var r : List.of(live.run("plan", desired.toString()), live.run("apply", "--auto-approve", desired.toString()))) {
      assertEquals(1, r.code(), r.out() + r.err());
      assertEquals(line, r.err());
      assertEquals("", r.out());
    }
    assertEquals(List.of(), named.list());
    Files.setPosixFilePermissions(netns, PosixFilePermissions.fromString("rwxr-xr-x")); // as iproute2 makes /run/netns
    assertEquals(0, live.run("plan", desired.toString()).code());
  }

  @Test
  void aNameFileDirectoryOthersCanWriteOrSomeoneElseOwnsIsRefused() throws Exception {
    containers("c1");
    Path etc = Files.createTempDirectory("netform-etc-netns");
    Files.setPosixFilePermissions(etc, PosixFilePermissions.fromString("rwxrwxrwx"));
    var r = live.run("apply", "--auto-approve", "--etc-netns-dir", etc.toString(), desired.toString());
    assertEquals(1, r.code(), r.out() + r.err());
    assertTrue(r.err().startsWith("netform: refusing the name file directory " + etc + ": it is writable by group and "
        + "others (mode 0777)"), r.err());
    Files.setPosixFilePermissions(etc, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.setAttribute(etc, "unix:uid", 65534);
    r = live.run("apply", "--auto-approve", "--etc-netns-dir", etc.toString(), desired.toString());
    assertEquals(1, r.code(), r.out() + r.err());
    assertTrue(r.err().startsWith("netform: refusing the name file directory " + etc + ": it is owned by uid 65534, not by "
        + "root"), r.err());
    assertEquals(List.of(), named.list());
  }

  @Test
  void aMissingNamespaceDirectoryIsJudgedByWhereItWouldBeMade() throws Exception {
    containers("c1");
    Path shared = Files.createTempDirectory("netform-shared");
    Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
    Path missing = shared.resolve("netns");
    var r = ValidateCommandTest.run("plan", "--state-dir", live.state().toString(), "--netns-dir", missing.toString(),
        desired.toString());
    assertEquals(1, r.code(), r.out() + r.err());
    assertTrue(r.err().startsWith("netform: refusing the namespace directory " + missing + ": " + shared
        + " is writable by group and others (mode 0777, no sticky bit)"), r.err());
    assertTrue(Files.notExists(missing), "not made");
  }
}
