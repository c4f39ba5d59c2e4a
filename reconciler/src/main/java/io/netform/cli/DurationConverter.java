package io.netform.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads a duration option as people write it ({@code 30s}, {@code 5m}, {@code 1h30m},
 * {@code 500ms}) or as ISO-8601 ({@code PT30S}). Registered for every {@link Duration} option, so
 * a bad value is picocli's one-line "Invalid value for option '--poll': ..." with the accepted forms.
 */
final class DurationConverter implements ITypeConverter<Duration> {

  static final String FORMS = "a number and a unit (500ms, 30s, 5m, 1h, 1d, or combined: 1h30m) or ISO-8601 (PT30S)";

  /** {@code ms} before {@code m}: the longest unit that matches. */
  private static final Pattern PART = Pattern.compile("(\\d+)(ms|[dhms])");
  private static final Pattern WHOLE = Pattern.compile("(\\d+(ms|[dhms]))+");

  @Override
  public Duration convert(String value) {
    Duration d;
    try {
      d = parse(value.strip());
      d.toMillis(); // the scheduler counts in milliseconds
    } catch (ArithmeticException | NumberFormatException e) {
      throw new TypeConversionException("'" + value + "' is too long a duration");
    }
    if (d.isZero() || d.isNegative()) {
      throw new TypeConversionException("'" + value + "' is not longer than zero; give " + FORMS);
    }
    return d;
  }

  private static Duration parse(String text) {
    String lower = text.toLowerCase(Locale.ROOT);
    if (lower.startsWith("p")) {
      try {
        return Duration.parse(text);
      } catch (DateTimeParseException e) {
        throw notADuration(text);
      }
    }
    if (!WHOLE.matcher(lower).matches()) {
      throw notADuration(text);
    }
    Duration total = Duration.ZERO;
    Matcher part = PART.matcher(lower);
    while (part.find()) {
      long n = Long.parseLong(part.group(1));
      total = total.plus(switch (part.group(2)) {
        case "d" -> Duration.ofDays(n);
        case "h" -> Duration.ofHours(n);
        case "m" -> Duration.ofMinutes(n);
        case "s" -> Duration.ofSeconds(n);
        default -> Duration.ofMillis(n);
      });
    }
    return total;
  }

  private static TypeConversionException notADuration(String text) {
    return new TypeConversionException("'" + text + "' is not a duration; give " + FORMS);
  }
}
