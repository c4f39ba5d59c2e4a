package io.netform.cli;

import io.netform.util.IoReasons;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.util.Objects;

/** A file the user asked for (--out, --snapshot): one that cannot be written is the user's to fix, said in one line. */
final class OutputFile {

  /** Writes the file. */
  interface Writer {
    void write() throws IOException;
  }

  private OutputFile() {}

  /** Runs {@code writer}, or says why {@code what} could not be saved to {@code file} and what to do. */
  static void save(String what, Path file, String option, Writer writer) {
    try {
      writer.write();
    } catch (IOException e) {
      throw new UserError("cannot save " + what + " to " + file + " (" + why(file, e) + "); nothing was saved. Give "
          + option + " a file in a directory you can write to");
    }
  }

  /** The reason, and the path it concerns when that is not the file or its temporary sibling (e.g. a parent). */
  private static String why(Path file, IOException e) {
    if (e instanceof FileSystemException f && f.getFile() != null) {
      Path at = Path.of(f.getFile()).toAbsolutePath();
      if (!Objects.equals(at.getParent(), file.toAbsolutePath().getParent())) {
        return at + ": " + IoReasons.of(e);
      }
    }
    return IoReasons.of(e);
  }
}
