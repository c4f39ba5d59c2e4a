package io.netform.kernel.ffi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** statx(2) read through jnr agrees with the JDK's own view of the same files. */
class FileStatTest {

  @TempDir
  Path dir;

  @Test
  void deviceInodeAndTypeAreTheJdksForAFileADirectoryAndALinkFollowed() throws Exception {
    Path file = Files.writeString(dir.resolve("f"), "x");
    Path link = Files.createSymbolicLink(dir.resolve("l"), file);
    for (Path p : new Path[] {file, dir, link, Path.of("/proc/self/ns/net")}) {
      FileStat s = FileStat.of(p.toString()).orElseThrow();
      assertEquals(Files.getAttribute(p, "unix:ino"), s.inode(), p::toString);
      assertEquals(Files.isRegularFile(p), s.regularFile(), p::toString);
      assertEquals(Files.getAttribute(p, "unix:dev"), s.device(), p::toString);
    }
    assertEquals(FileStat.of(file.toString()).orElseThrow().device(), FileStat.of(dir.toString()).orElseThrow().device(),
        "a file and its directory on one file system");
    assertTrue(FileStat.of(link.toString()).orElseThrow().regularFile(), "the link is followed");
    assertFalse(FileStat.of(dir.toString()).orElseThrow().regularFile());
    assertEquals(Optional.empty(), FileStat.of(dir.resolve("missing").toString()));
  }
}
