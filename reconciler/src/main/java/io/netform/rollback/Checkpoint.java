package io.netform.rollback;

import io.netform.util.Json;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * An apply waiting to be confirmed ({@code apply --confirm-within}): unless {@code netform confirm}
 * comes before {@code deadline}, the host goes back to what netform owned before it (kept beside
 * this record as a snapshot). As nmstate's checkpoints and a router's "commit confirmed": a change
 * that cuts the operator off undoes itself.
 */
public record Checkpoint(String id, Instant created, Instant deadline, String command) {

  static final String FORMAT = "netform-checkpoint";
  static final int VERSION = 1;
  private static final SecureRandom RANDOM = new SecureRandom();

  /** A new checkpoint made now, to be confirmed within {@code within}. */
  public static Checkpoint starting(Instant now, Duration within, String command) {
    byte[] id = new byte[6];
    RANDOM.nextBytes(id);
    return new Checkpoint(HexFormat.of().formatHex(id), now.truncatedTo(ChronoUnit.SECONDS), wholeSecondAfter(now)
        .plus(within), command);
  }

  /** Times as people read them, never shortening the time to confirm. */
  private static Instant wholeSecondAfter(Instant now) {
    Instant second = now.truncatedTo(ChronoUnit.SECONDS);
    return second.equals(now) ? now : second.plusSeconds(1);
  }

  public Duration left(Instant now) {
    Duration left = Duration.between(now, deadline);
    return left.isNegative() ? Duration.ZERO : left;
  }

  /** The same checkpoint, to be confirmed within {@code within} from {@code now} (once its apply is done). */
  public Checkpoint renewed(Instant now, Duration within) {
    return new Checkpoint(id, created, wholeSecondAfter(now).plus(within), command);
  }

  /** What waits, as the commands it holds up say it: by its deadline, or past it with no rollback done. */
  public String waiting(Instant now) {
    String apply = "an apply of " + created + " (" + command + ")";
    return left(now).isZero()
        ? apply + " was not confirmed by " + deadline + ", and no rollback has completed (its timer's output is in "
            + "rollback.log in the state directory)"
        : apply + " waits for confirmation until " + deadline;
  }

  String toJson() {
    ObjectNode root = Json.MAPPER.createObjectNode();
    root.put("format", FORMAT);
    root.put("version", VERSION);
    root.put("id", id);
    root.put("created", created.toString());
    root.put("deadline", deadline.toString());
    root.put("command", command);
    return Json.MAPPER.writeValueAsString(root) + "\n";
  }

  /** The record in {@code text}, or empty with {@code why} filled when it is not one this netform wrote. */
  static Optional<Checkpoint> parse(String text, StringBuilder why) {
    try {
      JsonNode root = Json.MAPPER.readTree(text);
      if (root == null || !root.isObject() || !FORMAT.equals(root.path("format").asString(""))
          || root.path("version").asInt(-1) != VERSION) {
        why.append("not a netform checkpoint of version ").append(VERSION);
        return Optional.empty();
      }
      String id = root.path("id").asString("");
      if (!id.matches("[0-9a-f]{12}")) {
        why.append("its id \"").append(id).append("\" is not 12 hexadecimal digits");
        return Optional.empty();
      }
      return Optional.of(new Checkpoint(id, Instant.parse(root.path("created").asString("")),
          Instant.parse(root.path("deadline").asString("")), root.path("command").asString("")));
    } catch (JacksonException e) {
      why.append("not JSON (").append(e.getOriginalMessage()).append(")");
    } catch (DateTimeParseException e) {
      why.append("a time in it is not an ISO-8601 instant (").append(e.getParsedString()).append(")");
    }
    return Optional.empty();
  }
}
