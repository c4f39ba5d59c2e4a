package io.netform.agent;

import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.TimeZone;
import org.quartz.CronExpression;

/**
 * When the agent may change the host (Argo CD's sync windows): each window opens at the times of a
 * Quartz cron expression and stays open for a fixed length. With no window, it may always change
 * the host. Outside every window, changes are planned and reported but not applied.
 */
public final class SyncWindows {

  private final List<CronExpression> opens;
  private final Duration length;
  private final List<String> specs;

  private SyncWindows(List<CronExpression> opens, Duration length, List<String> specs) {
    this.opens = opens;
    this.length = length;
    this.specs = specs;
  }

  public static SyncWindows always() {
    return new SyncWindows(List.of(), Duration.ZERO, List.of());
  }

  /** Parses Quartz cron expressions (seconds first: "0 0 22 ? * MON-FRI"); throws IllegalArgumentException naming the bad one. */
  public static SyncWindows of(List<String> cronExpressions, Duration length, TimeZone zone) {
    if (cronExpressions.isEmpty()) {
      return always();
    }
    if (length.isZero() || length.isNegative()) {
      throw new IllegalArgumentException("a sync window must last longer than zero (got " + length + ")");
    }
    List<CronExpression> parsed = cronExpressions.stream().map(spec -> {
      try {
        CronExpression e = new CronExpression(spec);
        e.setTimeZone(zone);
        return e;
      } catch (ParseException e) {
        throw new IllegalArgumentException("sync window '" + spec + "' is not a Quartz cron expression (seconds minutes "
            + "hours day-of-month month day-of-week, e.g. '0 0 22 ? * MON-FRI'): " + e.getMessage());
      }
    }).toList();
    return new SyncWindows(parsed, length, List.copyOf(cronExpressions));
  }

  public boolean isAlwaysOpen() {
    return opens.isEmpty();
  }

  /** Open at {@code now} if some window started at or before it and has not yet lasted its length. */
  public boolean isOpen(Instant now) {
    if (opens.isEmpty()) {
      return true;
    }
    // A window covers now when it started in (now - length, now]: the first start after now - length, if not after now.
    Date since = Date.from(now.minus(length));
    return opens.stream().map(e -> e.getNextValidTimeAfter(since))
        .anyMatch(start -> start != null && !start.toInstant().isAfter(now));
  }

  /** When the next window opens after {@code now}. */
  public Optional<Instant> nextOpening(Instant now) {
    return opens.stream().map(e -> e.getNextValidTimeAfter(Date.from(now))).filter(d -> d != null)
        .map(Date::toInstant).min(Instant::compareTo);
  }

  @Override
  public String toString() {
    return isAlwaysOpen() ? "always" : String.join(", ", specs) + " for " + length;
  }
}
