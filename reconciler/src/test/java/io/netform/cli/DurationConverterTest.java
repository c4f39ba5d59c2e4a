package io.netform.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

/** Durations as people write them and as ISO-8601; anything else is refused with the accepted forms. */
class DurationConverterTest {

  final DurationConverter converter = new DurationConverter();

  @Test
  void unitsAndTheirCombinations() {
    assertEquals(Duration.ofMillis(500), converter.convert("500ms"));
    assertEquals(Duration.ofSeconds(30), converter.convert("30s"));
    assertEquals(Duration.ofMinutes(5), converter.convert("5m"));
    assertEquals(Duration.ofHours(1), converter.convert("1h"));
    assertEquals(Duration.ofDays(1), converter.convert("1d"));
    assertEquals(Duration.ofMinutes(90), converter.convert("1h30m"));
    assertEquals(Duration.ofMillis(61_500), converter.convert("1m1s500ms"));
    assertEquals(Duration.ofMinutes(90), converter.convert("1H30M"), "units in either case");
  }

  @Test
  void iso8601() {
    assertEquals(Duration.ofSeconds(30), converter.convert("PT30S"));
    assertEquals(Duration.ofMinutes(5), converter.convert("pt5m"));
    assertEquals(Duration.ofDays(2), converter.convert("P2D"));
  }

  @Test
  void anythingElseNamesTheAcceptedForms() {
    for (String bad : new String[] {"30", "30x", "s", "1h 30m", "30s5", "PT30", "P", "", "thirty seconds"}) {
      TypeConversionException e = assertThrows(TypeConversionException.class, () -> converter.convert(bad), bad);
      assertEquals("'" + bad + "' is not a duration; give " + DurationConverter.FORMS, e.getMessage());
    }
  }

  @Test
  void aDurationMustBeLongerThanZero() {
    for (String bad : new String[] {"0s", "0ms", "PT0S", "PT-5S"}) {
      TypeConversionException e = assertThrows(TypeConversionException.class, () -> converter.convert(bad), bad);
      assertTrue(e.getMessage().startsWith("'" + bad + "' is not longer than zero"), e.getMessage());
    }
  }

  @Test
  void aDurationBeyondTheSchedulersRangeIsRefusedNotOverflowed() {
    for (String bad : new String[] {"99999999999999999999s", "106751991167301d", "PT9999999999999H"}) {
      TypeConversionException e = assertThrows(TypeConversionException.class, () -> converter.convert(bad), bad);
      assertEquals("'" + bad + "' is too long a duration", e.getMessage());
    }
  }
}
