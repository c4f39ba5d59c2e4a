package io.netform.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.TimeZone;
import org.junit.jupiter.api.Test;

class SyncWindowsTest {

  static final TimeZone UTC = TimeZone.getTimeZone("UTC");
  // Weekdays at 22:00 UTC for two hours.
  final SyncWindows nightly = SyncWindows.of(List.of("0 0 22 ? * MON-FRI"), Duration.ofHours(2), UTC);

  @Test
  void openFromTheCronTimeForItsLength() {
    assertFalse(nightly.isOpen(Instant.parse("2026-11-25T21:59:59Z")), "a Wednesday just before");
    assertTrue(nightly.isOpen(Instant.parse("2026-11-25T22:00:00Z")), "opens on the dot");
    assertTrue(nightly.isOpen(Instant.parse("2026-11-25T23:30:00Z")));
    assertTrue(nightly.isOpen(Instant.parse("2026-11-25T23:59:59Z")));
    assertFalse(nightly.isOpen(Instant.parse("2026-11-26T00:00:00Z")), "closed after two hours");
    SyncWindows longer = SyncWindows.of(List.of("0 0 22 ? * MON-FRI"), Duration.ofHours(3), UTC);
    assertTrue(longer.isOpen(Instant.parse("2026-11-28T00:30:00Z")), "Friday's window runs into Saturday");
    assertFalse(nightly.isOpen(Instant.parse("2026-11-28T22:30:00Z")), "no window on Saturday");
  }

  @Test
  void nextOpeningAndSeveralWindows() {
    assertEquals(Instant.parse("2026-11-30T22:00:00Z"), nightly.nextOpening(Instant.parse("2026-11-28T12:00:00Z")).orElseThrow());
    SyncWindows two = SyncWindows.of(List.of("0 0 22 ? * MON-FRI", "0 0 6 ? * SAT"), Duration.ofHours(2), UTC);
    assertTrue(two.isOpen(Instant.parse("2026-11-28T07:00:00Z")), "the Saturday morning window");
    assertFalse(two.isOpen(Instant.parse("2026-11-28T08:00:00Z")));
  }

  @Test
  void noWindowMeansAlwaysOpen() {
    assertTrue(SyncWindows.always().isOpen(Instant.now()));
    assertTrue(SyncWindows.of(List.of(), Duration.ZERO, UTC).isAlwaysOpen());
  }

  @Test
  void badExpressionsAreNamed() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SyncWindows.of(List.of("0 22 * * *"), Duration.ofHours(1), UTC));
    assertTrue(e.getMessage().contains("'0 22 * * *'") && e.getMessage().contains("seconds"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> SyncWindows.of(List.of("0 0 22 ? * *"), Duration.ZERO, UTC));
  }
}
