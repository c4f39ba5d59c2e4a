package io.netform.validate;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** The kernel's rules for interface names (dev_valid_name): at most 15 bytes, no '/', ':' or spaces. */
public final class InterfaceNames {

  public static final int MAX_BYTES = 15;

  private InterfaceNames() {}

  /** What is wrong with the name, or empty when the kernel accepts it. */
  public static Optional<String> problem(String name) {
    int bytes = name.getBytes(StandardCharsets.UTF_8).length;
    if (name.isEmpty()) {
      return Optional.of("is empty");
    }
    if (bytes > MAX_BYTES) {
      return Optional.of("is " + bytes + " bytes long; the kernel allows at most " + MAX_BYTES);
    }
    if (name.equals(".") || name.equals("..")) {
      return Optional.of("is reserved");
    }
    for (char c : name.toCharArray()) {
      if (c == '/' || c == ':' || Character.isWhitespace(c) || Character.isISOControl(c)) {
        return Optional.of("contains the character '" + (Character.isISOControl(c) ? "\\u" + (int) c : c)
            + "', which the kernel refuses in interface names");
      }
    }
    return Optional.empty();
  }
}
