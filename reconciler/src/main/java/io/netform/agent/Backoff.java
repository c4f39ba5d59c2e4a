package io.netform.agent;

import java.time.Duration;

/** Exponential backoff between retries of a failed apply: first, 2 x first, 4 x first, … up to max. */
public record Backoff(Duration first, Duration max) {

  public Backoff {
    if (first.isNegative() || first.isZero() || max.compareTo(first) < 0) {
      throw new IllegalArgumentException("backoff needs 0 < first <= max, got " + first + " and " + max);
    }
  }

  /** The wait before the retry that follows the {@code failures}-th failure in a row (1-based). */
  public Duration delay(int failures) {
    int doublings = Math.min(Math.max(failures - 1, 0), 30);
    Duration d = first.multipliedBy(1L << doublings);
    return d.compareTo(max) > 0 ? max : d;
  }
}
