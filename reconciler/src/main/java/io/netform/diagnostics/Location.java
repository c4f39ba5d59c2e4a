package io.netform.diagnostics;

/** A place in a desired-state file; line and column are 1-based, as editors show them. */
public record Location(String file, int line, int column) {

  public static Location ofFile(String file) {
    return new Location(file, 1, 1);
  }

  @Override
  public String toString() {
    return file + ":" + line + ":" + column;
  }
}
