package io.netform.desired;

import java.util.Locale;

public enum Protocol {
  TCP, UDP, SCTP;

  public String text() {
    return name().toLowerCase(Locale.ROOT);
  }
}
