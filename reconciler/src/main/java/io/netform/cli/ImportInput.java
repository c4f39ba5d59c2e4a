package io.netform.cli;

import io.netform.desired.load.TextDecoding;
import io.netform.diagnostics.Diagnostic;
import io.netform.util.IoReasons;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** An input file of an import, read whole as UTF-8; one that cannot be read is one line that names it. */
final class ImportInput {

  /** Larger inputs are refused: docker inspect of thousands of containers is a few tens of MB. */
  private static final long MAX_BYTES = 256L * 1024 * 1024;

  private ImportInput() {}

  static String read(Path file) {
    try {
      if (Files.isDirectory(file)) {
        throw new UserError(file + ": is a directory, not a file");
      }
      long size = Files.size(file);
      if (size > MAX_BYTES) {
        throw new UserError(file + ": " + size + " bytes, more than an import reads (" + MAX_BYTES + ")");
      }
      // Decoded as desired-state files are: a binary or non-UTF-8 file is refused where it stops being text.
      TextDecoding.Result decoded = TextDecoding.decode(file.toString(), Files.readAllBytes(file));
      if (decoded.problem().isPresent()) {
        Diagnostic d = decoded.problem().get();
        throw new UserError(d.location() + ": " + d.message() + " (" + d.hint() + ")");
      }
      String text = decoded.text().orElseThrow();
      if (text.isBlank()) {
        // what `docker network inspect ... > FILE` leaves when Docker is not running: nothing to import
        throw new UserError(file + ":1:1: the file is empty: write Docker's inspect output or a Compose file into it");
      }
      return text;
    } catch (IOException e) {
      throw new UserError(file + ": cannot read it: " + IoReasons.of(e));
    }
  }
}
