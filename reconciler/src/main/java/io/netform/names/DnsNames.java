package io.netform.names;

import java.util.Optional;

/**
 * What may be served as a name: a DNS name of dot-separated labels, each 1–63 letters, digits,
 * hyphens or underscores, not starting or ending with a hyphen, 253 bytes at most. Underscores are
 * not allowed in host names (RFC 1123) but are in DNS names (RFC 2181); Docker serves names such as
 * Compose v1's {@code project_web_1}, and glibc resolves them, so netform does too.
 */
public final class DnsNames {

  public static final int MAX_LENGTH = 253;
  public static final int MAX_LABEL = 63;

  private DnsNames() {}

  public static boolean valid(String name) {
    return problem(name).isEmpty();
  }

  /** Why {@code name} cannot be served as a DNS name, if it cannot. */
  public static Optional<String> problem(String name) {
    if (name.isEmpty()) {
      return Optional.of("it is empty");
    }
    if (name.length() > MAX_LENGTH) {
      return Optional.of("it is longer than " + MAX_LENGTH + " characters");
    }
    for (String label : name.split("\\.", -1)) {
      if (label.isEmpty()) {
        return Optional.of(name.startsWith(".") || name.endsWith(".") ? "it starts or ends with a dot"
            : "it has an empty label (two dots in a row)");
      }
      if (label.length() > MAX_LABEL) {
        return Optional.of("the label \"" + label + "\" is longer than " + MAX_LABEL + " characters");
      }
      if (label.startsWith("-") || label.endsWith("-")) {
        return Optional.of("the label \"" + label + "\" starts or ends with a hyphen");
      }
      for (int i = 0; i < label.length(); i++) {
        char c = label.charAt(i);
        boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
        if (!ok) {
          return Optional.of("it contains " + (Character.isWhitespace(c) ? "a space" : "'" + c + "'")
              + " (a DNS name has letters, digits, '-', '_' and dots between labels)");
        }
      }
    }
    return Optional.empty();
  }

  /** The form names are compared in: DNS is case-insensitive, and a trailing dot only says "absolute". */
  public static String normal(String name) {
    String n = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    return n.toLowerCase(java.util.Locale.ROOT);
  }
}
