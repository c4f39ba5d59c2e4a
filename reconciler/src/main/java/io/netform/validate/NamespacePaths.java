package io.netform.validate;

import java.util.Optional;

/**
 * The {@code namespace:} a container adopts must be a named namespace file, DIR/NAME as
 * {@code ip netns} makes them, written in normal form so that equal files have equal paths. A
 * process's namespace under /proc is refused: /proc/1/ns/net is the host's own, and destroy
 * took the host's address and route with it.
 */
final class NamespacePaths {

  private static final String EXAMPLE = "/run/netns/NAME";

  private NamespacePaths() {}

  /** What is wrong with {@code path} as a namespace to adopt, or empty. */
  static Optional<ValueProblem> problem(String path) {
    String quoted = "namespace path \"" + path + "\"";
    if (!path.startsWith("/")) {
      return bad("relative-namespace-path", quoted + " is not absolute", "write the absolute path of a named namespace,"
          + " such as " + EXAMPLE);
    }
    String[] segments = path.substring(1).split("/", -1);
    if (segments[0].equals("proc")) {
      return bad("proc-namespace-path", quoted + " is a process's namespace: netform adopts only named namespaces",
          "name it first: ip netns attach NAME PID, then namespace: " + EXAMPLE);
    }
    String fix = "write it as DIR/NAME without '.', '..', control characters or repeated and trailing '/', e.g. " + EXAMPLE;
    if (path.chars().anyMatch(Character::isISOControl)) {
      return bad("bad-namespace-path", quoted.replaceAll("\\p{Cntrl}", "?") + " contains a control character", fix);
    }
    for (int i = 0; i < segments.length; i++) {
      String segment = segments[i];
      if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
        String what = !segment.isEmpty() ? "a '" + segment + "' segment" : i == segments.length - 1 ? "a trailing '/'" : "a '//'";
        return bad("bad-namespace-path", quoted + " is not in normal form: it has " + what, fix);
      }
    }
    if (segments.length < 2) {
      return bad("bad-namespace-path", quoted + " is not a namespace file in a directory (DIR/NAME)", "name a named"
          + " namespace, such as " + EXAMPLE);
    }
    return Optional.empty();
  }

  private static Optional<ValueProblem> bad(String code, String message, String hint) {
    return Optional.of(new ValueProblem(code, message, hint));
  }
}
