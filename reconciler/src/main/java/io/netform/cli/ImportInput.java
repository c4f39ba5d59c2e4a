package io.netform.cli;

import io.netform.util.IoReasons;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
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
      byte[] bytes = Files.readAllBytes(file);
      String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes)).toString();
      if (text.isBlank()) {
        // what `docker network inspect ... > FILE` leaves when Docker is not running: nothing to import
        throw new UserError(file + ":1:1: the file is empty: write Docker's inspect output or a Compose file into it");
      }
      return text;
    } catch (CharacterCodingException e) {
      throw new UserError(file + ": not UTF-8 text");
    } catch (IOException e) {
      throw new UserError(file + ": cannot read it: " + IoReasons.of(e));
    }
  }
}
