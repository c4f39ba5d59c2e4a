package io.netform.diagnostics;

public enum Severity {
  ERROR, WARNING;

  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
