package io.netform.desired;

import java.util.Locale;
import java.util.Optional;

/** Network drivers netform knows; overlay is reserved for the multi-host work. */
public enum Driver {
  BRIDGE, MACVLAN;

  public static Optional<Driver> fromText(String text) {
    for (Driver d : values()) {
      if (d.text().equals(text)) {
        return Optional.of(d);
      }
    }
    return Optional.empty();
  }

  public String text() {
    return name().toLowerCase(Locale.ROOT);
  }
}
