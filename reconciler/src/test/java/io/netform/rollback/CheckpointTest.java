package io.netform.rollback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A checkpoint's record reads back as itself; what netform did not write is refused, saying why. */
class CheckpointTest {

  @Test
  void aRecordReadsBackAsItselfWithTimesInWholeSeconds() {
    Checkpoint c = Checkpoint.starting(Instant.parse("2026-11-30T22:00:00.123456Z"), Duration.ofSeconds(90), "netform apply x");
    assertEquals(Instant.parse("2026-11-30T22:01:31Z"), c.deadline(), "rounded up: never less time to confirm");
    assertEquals(Instant.parse("2026-11-30T22:00:00Z"), c.created());
    assertTrue(c.id().matches("[0-9a-f]{12}"), c.id());
    assertEquals(Optional.of(c), Checkpoint.parse(c.toJson(), new StringBuilder()));
    assertEquals(Duration.ofSeconds(31), c.left(Instant.parse("2026-11-30T22:01:00Z")));
    assertEquals(Duration.ZERO, c.left(Instant.parse("2026-11-30T23:00:00Z")));
  }

  @Test
  void whatNetformDidNotWriteIsRefusedSayingWhy() {
    for (String[] bad : new String[][] {
        {"", "not a netform checkpoint"}, {"{", "not JSON"}, {"[1]", "not a netform checkpoint"}, {"{\"format\": \"netform-snapshot\", \"version\": 1}", "not a netform checkpoint"},
        {"{\"format\": \"netform-checkpoint\", \"version\": 1, \"id\": \"../x\"}", "is not 12 hexadecimal digits"},
        {"{\"format\": \"netform-checkpoint\", \"version\": 1, \"id\": \"0123456789ab\", \"created\": \"soon\"}", "ISO-8601"}}) {
      StringBuilder why = new StringBuilder();
      assertEquals(Optional.empty(), Checkpoint.parse(bad[0], why), bad[0]);
      assertTrue(why.toString().contains(bad[1]), bad[0] + " -> " + why);
    }
  }
}
