package io.netform.agent;

import io.netform.check.Verdict;
import io.netform.kernel.StateDirectory;
import io.netform.util.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The agent's last check of the connectivity assertions ({@code expect:}), kept in
 * {@code STATE/agent-checks.json} (written atomically, apart from the reconcile's status, by the
 * thread that checks), so that {@code netform status} tells a host in sync whose paths are broken.
 */
public record CheckResults(Instant at, Optional<String> commit, List<String> lines, long checked, long failed) {

  public CheckResults {
    lines = List.copyOf(lines);
  }

  static CheckResults of(Instant at, Optional<String> commit, List<Verdict> verdicts) {
    List<String> lines = new ArrayList<>();
    verdicts.forEach(v -> lines.add(v.line()));
    lines.add(Verdict.summary(verdicts));
    return new CheckResults(at, commit, lines, verdicts.stream().filter(v -> !v.skipped()).count(),
        verdicts.stream().filter(v -> !v.held()).count());
  }

  public boolean held() {
    return failed == 0;
  }

  /** The summary line (the last), or what stands for it. */
  public String summary() {
    return lines.isEmpty() ? (held() ? "no expectations" : failed + " failed") : lines.get(lines.size() - 1);
  }

  /** The summary, when and of which commit it was, and each failure on a line of its own below it. */
  public String shown() {
    return summary() + " (at " + at + commit.map(c -> ", commit " + c).orElse("") + ")" + lines.stream()
        .filter(l -> l.startsWith("FAIL")).map(l -> "\n  " + l).collect(java.util.stream.Collectors.joining());
  }

  public void write(StateDirectory state) {
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.put("at", at.toString());
    commit.ifPresent(c -> o.put("commit", c));
    o.put("checked", checked);
    o.put("failed", failed);
    lines.forEach(o.putArray("lines")::add);
    state.write(state.agentChecks(), "the agent's connectivity checks", Json.MAPPER.writeValueAsString(o) + "\n");
  }

  /**
   * The last results written; empty if there are none. Results that cannot be read count as a
   * failure: a damaged file must not hide one.
   */
  public static Optional<CheckResults> read(StateDirectory state) {
    Optional<byte[]> file = state.readIfPresent(state.agentChecks(), "the agent's connectivity checks");
    if (file.isEmpty()) {
      return Optional.empty();
    }
    byte[] content = file.get();
    try {
      JsonNode o = Json.MAPPER.readTree(content);
      List<String> lines = new ArrayList<>();
      o.path("lines").forEach(l -> lines.add(l.asString()));
      return Optional.of(new CheckResults(Instant.parse(o.path("at").asString()),
          o.hasNonNull("commit") ? Optional.of(o.get("commit").asString()) : Optional.empty(), lines,
          o.path("checked").asLong(), o.path("failed").asLong()));
    } catch (RuntimeException e) {
      return Optional.of(new CheckResults(Instant.EPOCH, Optional.empty(), List.of("the results in " + state.agentChecks()
          + " cannot be read (" + e.getMessage() + "); the agent writes them again at its next check"), 0, 1));
    }
  }
}
