package io.netform.kernel.netns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netform.kernel.KernelTest;
import io.netform.kernel.ffi.Errno;
import io.netform.kernel.ffi.SyscallException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What is in a namespace directory and is no namespace (a file, a directory, a link) is someone
 * else's: it is never mounted over or through, never removed, and is listed as what it is.
 */
@KernelTest
class ForeignEntriesTest {

  Path dir;
  NamedNamespaces named;

  @BeforeEach
  void setUp() throws Exception {
    dir = Files.createTempDirectory("netform-foreign-entries");
    named = new NamedNamespaces(dir);
  }

  @AfterEach
  void tearDown() {
    named.list().forEach(named::delete);
    named.unmountDirectory();
  }

  @Test
  void aFileThereIsNeitherMountedOverNorRemovedAndWhatThisRunMadeGoes() throws Exception {
    Path file = Files.writeString(dir.resolve("c1"), "foreign-data");
    SyscallException e = assertThrows(SyscallException.class, () -> named.createAll(List.of("c0", "c1", "c2")));
    assertEquals(Errno.EEXIST, e.errno());
    assertTrue(e.getMessage().contains(file + " is there already and is not a namespace netform made"), e.getMessage());
    assertEquals("foreign-data", Files.readString(file), "not mounted over, not removed");
    assertFalse(Files.exists(dir.resolve("c0")), "the file this run made before it is removed again");
    assertFalse(Files.exists(dir.resolve("c2")), "and no later one was made");
    assertEquals(Map.of("c1", "a file of 12 bytes"), named.others());
  }

  @Test
  void aLinkThereIsNeverFollowedAndItsTargetIsNeverMountedOver() throws Exception {
    Path victim = Files.writeString(Files.createTempFile("netform-victim", ".txt"), "a file netform does not own\n");
    Path link = Files.createSymbolicLink(dir.resolve("c1"), victim);
    assertThrows(SyscallException.class, () -> named.create("c1"));
    assertEquals("a file netform does not own\n", Files.readString(victim), "the target is readable: nothing mounted on it");
    assertEquals(0, NamedNamespaces.inode(victim));
    assertTrue(Files.isSymbolicLink(link), "the link itself is left");
    assertEquals(Map.of("c1", "a symbolic link to " + victim), named.others());
  }

  @Test
  void aLinkToANamespaceIsNoNamespaceOfTheDirectory() throws Exception {
    Path real = named.create("real");
    Files.createSymbolicLink(dir.resolve("alias"), real);
    assertEquals(List.of("real"), named.list(), "a link is never followed to a namespace");
    assertFalse(named.exists("alias"));
    named.delete("alias");
    assertTrue(Files.isSymbolicLink(dir.resolve("alias")), "deleting a name that is a link leaves the link");
    assertTrue(named.exists("real"), "and never unmounts where it leads");
    assertEquals(Map.of("alias", "a symbolic link to " + real), named.others());
  }

  @Test
  void aDirectoryThereIsKeptWithEverythingBesideIt() throws Exception {
    Path sub = Files.createDirectory(dir.resolve("c1"));
    Path other = Files.writeString(dir.resolve("c2"), "foreign-data");
    assertThrows(SyscallException.class, () -> named.createAll(List.of("c1", "c3")));
    assertTrue(Files.isDirectory(sub));
    assertEquals("foreign-data", Files.readString(other));
    assertEquals(Map.of("c1", "a directory", "c2", "a file of 12 bytes"), named.others());
  }

  @Test
  void deletingANameThatIsNoNamespaceLeavesWhatIsThere() throws Exception {
    Path file = Files.writeString(dir.resolve("c1"), "foreign-data");
    Path empty = Files.createFile(dir.resolve("c2"));
    named.delete("c1");
    named.delete("c2");
    assertEquals("foreign-data", Files.readString(file));
    assertTrue(Files.exists(empty), "even an empty file is not netform's unless a namespace of it is mounted there");
  }

  @Test
  void aNamespaceIsMadeAndRemovedWhereNothingWas() throws Exception {
    Path file = named.create("c1");
    assertTrue(named.exists("c1"));
    assertEquals(Map.of(), named.others());
    named.delete("c1");
    assertFalse(Files.exists(file, java.nio.file.LinkOption.NOFOLLOW_LINKS), "the file it made goes with it");
  }
}
