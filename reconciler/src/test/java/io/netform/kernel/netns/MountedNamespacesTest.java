package io.netform.kernel.netns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netform.kernel.KernelTest;
import io.netform.kernel.Namespaces;
import io.netform.kernel.ffi.LibC;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The namespaces of a directory are read again only when the mount table changed, and every
 * change that matters is one: netform's own creations and deletions, and a mount or unmount by
 * anyone else, seen by every reader of the directory.
 */
@KernelTest
class MountedNamespacesTest {

  @Test
  void aReadIsKeptWhileNothingIsMountedAndEveryMountOrUnmountShows() throws Exception {
    try (Namespaces ns = new Namespaces()) {
      NamedNamespaces named = ns.named();
      NamedNamespaces otherReader = new NamedNamespaces(named.dir());
      ns.create("mn-a");
      Map<String, Long> first = named.mounted();
      assertEquals(java.util.Set.of("mn-a"), first.keySet());
      assertTrue(first == named.mounted(), "nothing mounted since: the same read");
      Files.createFile(named.dir().resolve("plain")); // no namespace: no mount, nothing to see
      assertEquals(first.keySet(), named.mounted().keySet());
      ns.create("mn-b");
      assertEquals(java.util.Set.of("mn-a", "mn-b"), named.mounted().keySet(), "a creation shows");
      assertEquals(named.mounted(), otherReader.mounted(), "to every reader");
      // Someone else's mount of a namespace on a file of the directory, then their unmount.
      Path theirs = Files.createFile(named.dir().resolve("theirs"));
      assertEquals(0, LibC.get().mount("/proc/self/ns/net", theirs.toString(), "none", LibC.MS_BIND, null));
      assertTrue(named.mounted().containsKey("theirs"), "their mount shows");
      assertEquals(NamedNamespaces.inode(Path.of("/proc/self/ns/net")), named.mounted().get("theirs"));
      assertEquals(0, LibC.get().umount2(theirs.toString(), LibC.MNT_DETACH));
      assertFalse(named.mounted().containsKey("theirs"), "their unmount shows");
      named.delete("mn-b");
      assertEquals(java.util.Set.of("mn-a"), named.mounted().keySet(), "a deletion shows");
      assertEquals(java.util.Set.of("mn-a"), otherReader.mounted().keySet());
    }
  }
}
