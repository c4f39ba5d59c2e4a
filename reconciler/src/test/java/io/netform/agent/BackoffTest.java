package io.netform.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

  @Test
  void doublesUpToTheCap() {
    Backoff b = new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(30));
    assertEquals(Duration.ofSeconds(2), b.delay(1));
    assertEquals(Duration.ofSeconds(4), b.delay(2));
    assertEquals(Duration.ofSeconds(16), b.delay(4));
    assertEquals(Duration.ofSeconds(30), b.delay(5));
    assertEquals(Duration.ofSeconds(30), b.delay(1_000), "no overflow after many failures");
  }

  @Test
  void refusesNonsense() {
    assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ZERO, Duration.ofSeconds(1)));
    assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)));
  }
}
