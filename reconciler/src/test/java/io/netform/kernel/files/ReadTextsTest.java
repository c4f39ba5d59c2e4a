package io.netform.kernel.files;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReadTextsTest {

  @TempDir
  Path dir;

  @Test
  void aFileEditedInPlaceIsReadAgainEvenWithItsSizeAndModificationTimeKept() throws Exception {
    Path f = Files.writeString(dir.resolve("hosts"), "10.0.0.2 web\n");
    FileTime old = FileTime.from(Instant.now().minusSeconds(60));
    Files.setLastModifiedTime(f, old);
    Thread.sleep(2_100); // until its change time is settled, so that its text is kept
    assertEquals(Optional.of("10.0.0.2 web\n"), ReadTexts.of(f));
    assertEquals(Optional.of("10.0.0.2 web\n"), ReadTexts.of(f));
    Files.writeString(f, "10.0.0.9 web\n"); // same size
    Files.setLastModifiedTime(f, old); // mtime set back; ctime cannot be
    assertEquals(Optional.of("10.0.0.9 web\n"), ReadTexts.of(f));
  }

  @Test
  void aFileReplacedOrRemovedIsSeenAsSuch() throws Exception {
    Path f = Files.writeString(dir.resolve("resolv.conf"), "nameserver 127.0.0.11\n");
    assertEquals(Optional.of("nameserver 127.0.0.11\n"), ReadTexts.of(f));
    Files.delete(f);
    assertEquals(Optional.empty(), ReadTexts.of(f));
    Files.createSymbolicLink(f, dir.resolve("elsewhere"));
    assertEquals(Optional.of(""), ReadTexts.of(f));
  }
}
