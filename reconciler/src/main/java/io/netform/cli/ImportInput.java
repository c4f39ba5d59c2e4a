package io.netform.cli;

import io.netform.desired.load.InputFiles;
import io.netform.util.IoReasons;
import java.io.IOException;
import java.nio.file.Path;

/** An input file of an import, read whole as UTF-8; one that cannot be read is one line that names it. */
final class ImportInput {

  private ImportInput() {}

  static String read(Path file) {
    String text;
    try {
      // within the desired-state files' limit and decoded as they are: binary or non-UTF-8 is refused where it starts
      text = InputFiles.text(file, InputFiles.IMPORT_BYTES);
    } catch (InputFiles.Unreadable e) {
      throw new UserError(e.getMessage());
    } catch (IOException e) {
      throw new UserError(file + ": cannot read it: " + IoReasons.of(e));
    }
    if (text.isBlank()) {
      // what `docker network inspect ... > FILE` leaves when Docker is not running: nothing to import
      throw new UserError(file + ":1:1: the file is empty: write Docker's inspect output or a Compose file into it");
    }
    return text;
  }
}
