package io.netform.desired.load;

import io.netform.diagnostics.Diagnostic;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A user's input file other than the desired state (an import's input, a saved plan, a snapshot),
 * read whole within a limit and decoded as desired-state files are ({@link TextDecoding}). It is
 * read in chunks, so that whatever the file, at most one chunk past the limit is read, and
 * nothing past the first NUL byte: /dev/zero is binary at 1:1, a pipe that never ends is too
 * large; neither is read until memory runs out.
 */
public final class InputFiles {

  /** What an import reads: as much as a desired-state file. */
  public static final long IMPORT_BYTES = LoadLimits.DEFAULT.maxFileBytes();

  /**
   * What netform reads of the files it writes itself (saved plans, snapshots): larger than a
   * desired state of as many containers, since every object is written out with all its fields.
   */
  public static final long OWN_FILE_BYTES = 512L * 1024 * 1024;

  private static final int CHUNK = 64 * 1024;

  /** A file that cannot be read as text; the message is one line naming it (and where it stops being text). */
  public static final class Unreadable extends RuntimeException {

    private final String notTextAt;

    Unreadable(String message, String notTextAt) {
      super(message);
      this.notTextAt = notTextAt;
    }

    /** Where a file that was read stops being text (binary data, not UTF-8): FILE:LINE:COLUMN. */
    public Optional<String> notTextAt() {
      return Optional.ofNullable(notTextAt);
    }
  }

  private InputFiles() {}

  /**
   * The file's text; an {@link Unreadable} if it holds more than {@code limit} bytes, is a
   * directory or is not text, an IOException if reading fails.
   */
  public static String text(Path file, long limit) throws IOException {
    TextDecoding.Result decoded = TextDecoding.decode(file.toString(), bytes(file, limit));
    if (decoded.problem().isPresent()) {
      Diagnostic d = decoded.problem().get();
      throw new Unreadable(d.location() + ": " + d.message() + " (" + d.hint() + ")", d.location().toString());
    }
    return decoded.text().orElseThrow();
  }

  private static Unreadable tooLarge(Path file, String size, long limit) {
    return new Unreadable(file + ": the file holds " + size + "; netform reads at most " + limit
        + " bytes of such a file", null);
  }

  private static byte[] bytes(Path file, long limit) throws IOException {
    try {
      return bytes(file, limit, new java.nio.file.OpenOption[0]);
    } catch (TooLarge e) {
      throw tooLarge(file, e.size, limit);
    }
  }

  /** A file holding more than a reader takes; {@code size} says how much: "N bytes", or "more than N bytes". */
  static final class TooLarge extends IOException {
    final String size;

    TooLarge(String size) {
      super(size);
      this.size = size;
    }
  }

  /**
   * The file's bytes up to its first NUL byte, if it has one, opened with {@code options} (a
   * desired-state file: never through a link); a {@link TooLarge} past {@code limit} bytes.
   */
  static byte[] bytes(Path file, long limit, java.nio.file.OpenOption... options) throws IOException {
    if (Files.isDirectory(file)) {
      throw new Unreadable(file + ": is a directory, not a file", null);
    }
    long size = Files.size(file); // 0 for a device or a pipe: their bytes are counted as they come
    if (size > limit) {
      throw new TooLarge(size + " bytes");
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(size + 1, CHUNK));
    byte[] chunk = new byte[CHUNK];
    try (InputStream in = Files.newInputStream(file, options)) {
      for (int n = in.read(chunk); n >= 0; n = in.read(chunk)) {
        out.write(chunk, 0, n);
        if (out.size() > limit) {
          throw new TooLarge("more than " + limit + " bytes");
        }
        for (int i = 0; i < n; i++) {
          if (chunk[i] == 0) {
            return out.toByteArray(); // binary: TextDecoding says where, and the rest does not matter
          }
        }
      }
    }
    return out.toByteArray();
  }
}
