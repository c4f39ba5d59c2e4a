package io.netform.util;

import java.time.Duration;

/** Durations as people write them and as netform's options take them: {@code 30s}, {@code 1h30m}, {@code 2d4h}. */
public final class Durations {

  private Durations() {}

  /** {@code d} in its two largest units (whole seconds; below a second, in ms). */
  public static String shown(Duration d) {
    if (d.isNegative()) {
      return "-" + shown(d.negated());
    }
    if (d.compareTo(Duration.ofSeconds(1)) < 0) {
      return d.toMillis() + "ms";
    }
    long[] amounts = {d.toDaysPart(), d.toHoursPart(), d.toMinutesPart(), d.toSecondsPart()};
    String[] units = {"d", "h", "m", "s"};
    StringBuilder out = new StringBuilder();
    int shown = 0;
    for (int i = 0; i < amounts.length && shown < 2; i++) {
      if (amounts[i] > 0) {
        out.append(amounts[i]).append(units[i]);
        shown++;
      } else if (shown > 0) {
        break; // 2d0h5m is shown 2d: the second unit only when it says something
      }
    }
    return out.toString();
  }
}
