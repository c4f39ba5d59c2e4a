package io.netform.desired.load;

import io.netform.diagnostics.Diagnostic;
import io.netform.diagnostics.Location;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** Strict UTF-8 decoding that says where a file stops being text; the same checks of a text already in memory. */
public final class TextDecoding {

  private TextDecoding() {}

  /** The decoded text, or a located diagnostic when the bytes are binary or not UTF-8. */
  public static Result decode(String file, byte[] bytes) {
    int nul = indexOf(bytes, (byte) 0);
    if (nul >= 0) {
      return binary(locate(file, bytes, nul));
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

  /**
   * {@code text} (a saved plan's, say, decoded when the plan was read) checked as a file's bytes
   * are: a NUL is binary data, and a lone UTF-16 surrogate, which no UTF-8 file can hold, is not
   * UTF-8; each reported at its line and column.
   */
  public static Result check(String file, String text) {
    int nul = text.indexOf('\0');
    if (nul >= 0) {
      return binary(locate(file, text, nul));
    }
    for (int i = 0; i < text.length(); i++) {
      if (Character.isHighSurrogate(text.charAt(i)) && i + 1 < text.length()
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        i++; // a pair: one character
      } else if (Character.isSurrogate(text.charAt(i))) {
        return Result.failed(Diagnostic.error("invalid-utf8", locate(file, text, i),
            "not valid Unicode text (a lone UTF-16 surrogate, which UTF-8 cannot hold)", "save the file as UTF-8"));
      }
    }
    return new Result(Optional.of(text), Optional.empty());
  }

  private static Result binary(Location at) {
    return Result.failed(Diagnostic.error("binary-file", at, "this file holds binary data (a NUL byte), not YAML text",
        "pass only desired-state .yaml/.yml files; move other files out of the directory"));
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
    String prefix = new String(bytes, 0, offset, StandardCharsets.UTF_8);
    return locate(file, prefix, prefix.length());
  }

  /** Line and column (1-based, in code points) of the character at {@code index}. */
  private static Location locate(String file, String text, int index) {
    int line = 1;
    int lineStart = 0;
    for (int i = 0; i < index; i++) {
      if (text.charAt(i) == '\n') {
        line++;
        lineStart = i + 1;
      }
    }
    return new Location(file, line, text.codePointCount(lineStart, index) + 1);
  }

  public record Result(Optional<String> text, Optional<Diagnostic> problem) {
    static Result failed(Diagnostic d) {
      return new Result(Optional.empty(), Optional.of(d));
    }
  }
}
