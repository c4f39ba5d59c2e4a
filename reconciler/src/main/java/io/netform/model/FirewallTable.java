package io.netform.model;

import java.util.Locale;

public enum FirewallTable {
  FILTER, NAT, RAW;

  public String text() {
    return name().toLowerCase(Locale.ROOT);
  }
}
