package io.netform.diagnostics.render;

/** ANSI styling that collapses to plain text when colour is off (not a terminal, NO_COLOR set, --no-color). */
public record Style(boolean colour) {

  public static final Style PLAIN = new Style(false);

  /** Colour only on a terminal and only when NO_COLOR (https://no-color.org) is unset or empty. */
  public static Style detect(boolean forcedOff) {
    String noColor = System.getenv("NO_COLOR");
    boolean terminal = System.console() != null;
    return new Style(!forcedOff && terminal && (noColor == null || noColor.isEmpty()));
  }

  public String red(String s) {
    return wrap("31", s);
  }

  public String yellow(String s) {
    return wrap("33", s);
  }

  public String green(String s) {
    return wrap("32", s);
  }

  public String cyan(String s) {
    return wrap("36", s);
  }

  public String bold(String s) {
    return wrap("1", s);
  }

  public String dim(String s) {
    return wrap("2", s);
  }

  private String wrap(String code, String s) {
    return colour ? "\u001b[" + code + "m" + s + "\u001b[0m" : s;
  }
}
