package io.netform.desired.load;

import io.netform.diagnostics.Diagnostic;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A user's input file other than the desired state (an import's input, a saved plan, a snapshot),
 * read whole within the desired-state files' limit ({@link LoadLimits#DEFAULT}) and decoded as
 * they are ({@link TextDecoding}). At most one byte past the limit is read, whatever the file:
 * /dev/zero or a pipe that never ends is refused as too large, never read until memory runs out.
 */
public final class InputFiles {

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

  /** The file's text; an {@link Unreadable} if it is too large, a directory or not text, an IOException if reading fails. */
  public static String text(Path file) throws IOException {
    TextDecoding.Result decoded = TextDecoding.decode(file.toString(), bytes(file));
    if (decoded.problem().isPresent()) {
      Diagnostic d = decoded.problem().get();
      throw new Unreadable(d.location() + ": " + d.message() + " (" + d.hint() + ")", d.location().toString());
    }
    return decoded.text().orElseThrow();
  }

  private static Unreadable tooLarge(Path file, String size) {
    return new Unreadable(file + ": the file holds " + size + "; netform reads at most " + LoadLimits.DEFAULT.maxFileBytes()
        + " bytes of an input file", null);
  }

  private static byte[] bytes(Path file) throws IOException {
    long limit = LoadLimits.DEFAULT.maxFileBytes();
    if (Files.isDirectory(file)) {
      throw new Unreadable(file + ": is a directory, not a file", null);
    }
    long size = Files.size(file); // 0 for a device or a pipe: their bytes are counted as they come
    if (size > limit) {
      throw tooLarge(file, size + " bytes");
    }
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file)) {
      bytes = in.readNBytes((int) limit + 1);
    }
    if (bytes.length > limit) {
      throw tooLarge(file, "more than " + limit + " bytes");
    }
    return bytes;
  }
}
