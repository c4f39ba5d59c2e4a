package io.netform.desired.load;

import io.netform.diagnostics.Diagnostic;
import io.netform.diagnostics.Location;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** Strict UTF-8 decoding that says where a file stops being text. */
public final class TextDecoding {

  private TextDecoding() {}

  /** The decoded text, or a located diagnostic when the bytes are binary or not UTF-8. */
  public static Result decode(String file, byte[] bytes) {
    int nul = indexOf(bytes, (byte) 0);
    if (nul >= 0) {
      return Result.failed(Diagnostic.error("binary-file", locate(file, bytes, nul),
          "this file holds binary data (a NUL byte), not YAML text",
          "pass only desired-state .yaml/.yml files; move other files out of the directory"));
    }
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length + 1);
    var result = decoder.decode(in, out, true);
    if (result.isError()) {
      return Result.failed(Diagnostic.error("invalid-utf8", locate(file, bytes, in.position()),
          "invalid UTF-8 byte sequence",
          "save the file as UTF-8 (e.g. iconv -f LATIN1 -t UTF-8)"));
    }
    decoder.flush(out);
    out.flip();
    String text = out.toString();
    if (!text.isEmpty() && text.charAt(0) == '\uFEFF') {
      text = text.substring(1);
    }
    return new Result(Optional.of(text), Optional.empty());
  }

  private static int indexOf(byte[] bytes, byte b) {
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == b) {
        return i;
      }
    }
    return -1;
  }

  /** Line and column (1-based, in characters of the valid prefix) of a byte offset. */
  private static Location locate(String file, byte[] bytes, int offset) {
    int line = 1;
    int lineStart = 0;
    for (int i = 0; i < offset; i++) {
      if (bytes[i] == '\n') {
        line++;
        lineStart = i + 1;
      }
    }
    String prefix = new String(bytes, lineStart, offset - lineStart, StandardCharsets.UTF_8);
    return new Location(file, line, prefix.codePointCount(0, prefix.length()) + 1);
  }

  public record Result(Optional<String> text, Optional<Diagnostic> problem) {
    static Result failed(Diagnostic d) {
      return new Result(Optional.empty(), Optional.of(d));
    }
  }
}
