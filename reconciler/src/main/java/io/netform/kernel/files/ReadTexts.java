package io.netform.kernel.files;

import io.netform.util.IoReasons;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The texts of the name files as last read, so that observing a host again (the agent does it at
 * every reconcile) costs one {@code lstat} per unchanged file instead of an open, a read and a
 * close. A file counts as unchanged while its device, inode, size and change time (ctime, which
 * every write, rename and chmod sets and no tool can set back) are the same.
 */
final class ReadTexts {

  private static final LinkOption NO_FOLLOW = LinkOption.NOFOLLOW_LINKS;
  /** Far above any host's name files; beyond it the cache starts over rather than grow. */
  private static final int MAX_ENTRIES = 200_000;
  private static final Duration SETTLED = Duration.ofSeconds(2);
  private static final Map<Path, Seen> SEEN = new ConcurrentHashMap<>();

  private record Stamp(Object dev, Object ino, Object ctime, Object size) {}

  private record Seen(Stamp stamp, String text) {}

  private ReadTexts() {}

  /**
   * The text as it is now, never from what was kept (before a file is rewritten or deleted):
   * read without following a link; empty when absent; a link or another kind of file counts as a
   * file with no text.
   */
  static Optional<String> fresh(Path file) {
    try {
      if (!Files.isRegularFile(file, NO_FOLLOW)) {
        return Files.exists(file, NO_FOLLOW) ? Optional.of("") : Optional.empty();
      }
      return Optional.of(body(file, NO_FOLLOW));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + IoReasons.describe(e), e);
    }
  }

  /**
   * A host configuration file netform only reads (its resolv.conf): following links, since
   * systemd-resolved and resolvconf make /etc/resolv.conf one; empty when absent or no regular file.
   */
  static String hostFile(Path file) {
    try {
      if (!Files.isRegularFile(file)) {
        return "";
      }
      return body(file);
    } catch (NoSuchFileException e) {
      return "";
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + IoReasons.describe(e), e);
    }
  }

  /** The first megabyte of a file (a name file is a few lines), following a link or not as {@code options} say. */
  private static String body(Path file, LinkOption... options) throws IOException {
    try (var in = Files.newInputStream(file, options)) {
      return new String(in.readNBytes(1 << 20), StandardCharsets.UTF_8);
    }
  }

  /**
   * The text of a regular file, read without following a link; empty when absent. A link or
   * another kind of file counts as a file with no text.
   */
  static Optional<String> of(Path file) {
    try {
      Map<String, Object> a = Files.readAttributes(file, "unix:dev,ino,ctime,size,isRegularFile", NO_FOLLOW);
      if (!Boolean.TRUE.equals(a.get("isRegularFile"))) {
        SEEN.remove(file);
        return Optional.of("");
      }
      Stamp stamp = new Stamp(a.get("dev"), a.get("ino"), a.get("ctime"), a.get("size"));
      Seen seen = SEEN.get(file);
      if (seen != null && seen.stamp().equals(stamp)) {
        return Optional.of(seen.text());
      }
      String text = body(file, NO_FOLLOW);
      if (SEEN.size() >= MAX_ENTRIES) {
        SEEN.clear();
      }
      // Kept only once its change time is well in the past (as Git treats "racily clean" files):
      // the kernel's clock for file times is coarse, so two writes within one tick of it may leave
      // the same stamp. The stamp was taken before the read: a write during the read changes ctime.
      if (a.get("ctime") instanceof FileTime ctime && ctime.toInstant().isBefore(Instant.now().minus(SETTLED))) {
        SEEN.put(file, new Seen(stamp, text));
      } else {
        SEEN.remove(file);
      }
      return Optional.of(text);
    } catch (NoSuchFileException e) {
      SEEN.remove(file);
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + IoReasons.describe(e), e);
    }
  }
}
