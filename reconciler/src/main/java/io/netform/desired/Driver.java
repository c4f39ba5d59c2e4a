package io.netform.desired;

import java.util.Locale;
import java.util.Optional;

/** Network drivers netform knows: overlay networks span the hosts of a fleet (VXLAN). */
public enum Driver {
  BRIDGE, MACVLAN, OVERLAY;

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
