package io.netform.agent;

import io.netform.kernel.StateDirectory;
import io.netform.kernel.StateDirectoryException;
import io.netform.util.Json;
import java.time.Instant;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The last change a command made to the host rather than the agent ({@code apply}, {@code destroy},
 * {@code rollback}), kept in {@code STATE/hand-change.json}: written under the host lock before the
 * change begins, so that {@code netform status} knows the agent's last status no longer says what
 * the host holds until the agent reconciles again.
 */
public record HandChange(String command, Instant at) {

  /** Records that {@code command} is about to change the host, now. */
  public static void begin(StateDirectory state, String command) {
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.put("command", command);
    o.put("at", Instant.now().toString());
    state.write(state.handChange(), "the record of changes by hand", Json.MAPPER.writeValueAsString(o) + "\n");
  }

  /** The last change by hand; empty if none was recorded. */
  public static Optional<HandChange> read(StateDirectory state) {
    Optional<byte[]> file = state.readIfPresent(state.handChange(), "the record of changes by hand");
    if (file.isEmpty()) {
      return Optional.empty();
    }
    byte[] content = file.get();
    try {
      JsonNode o = Json.MAPPER.readTree(content);
      String command = o.path("command").asString();
      if (command.isEmpty()) {
        throw new IllegalArgumentException("it names no command");
      }
      return Optional.of(new HandChange(command, Instant.parse(o.path("at").asString())));
    } catch (RuntimeException e) {
      throw new StateDirectoryException("the record of changes by hand " + state.handChange() + " is damaged ("
          + AgentStatus.why(e) + "): a change "
          + "by hand may have been made since the agent's last status. Remove it (rm " + state.handChange() + "); the "
          + "agent's next reconcile tells what the host holds");
    }
  }

  /** Whether this change came after a status the agent wrote at {@code statusAt}. */
  public boolean after(Instant statusAt) {
    return at.isAfter(statusAt);
  }
}
