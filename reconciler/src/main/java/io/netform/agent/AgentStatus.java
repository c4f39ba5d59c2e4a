package io.netform.agent;

import io.netform.kernel.StateDirectory;
import io.netform.kernel.StateDirectoryException;
import io.netform.util.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What the agent last did, kept in {@code STATE/agent-status.json} (written atomically) so that
 * {@code netform status} can tell it and a restarted agent knows the last good commit. It says how
 * the agent runs ({@code run}, empty when not recorded), so that status can tell an old word from a
 * current one.
 */
public record AgentStatus(String result, String message, Optional<String> seenCommit, Optional<String> appliedCommit,
    Instant at, Optional<Instant> lastSuccess, long reconciles, long changesApplied, String failedStage,
    Optional<AgentRun> run) {

  /** Where a reconcile failed: reading the source, checking its signature, loading the commit, planning, applying, verifying. */
  public static final String FETCH = "fetch";
  public static final String SIGNATURE = "signature";
  public static final String LOAD = "load";
  public static final String PLAN = "plan";
  public static final String APPLY = "apply";
  public static final String VERIFY = "verify";

  /** A status of a run not (yet) recorded. */
  public AgentStatus(String result, String message, Optional<String> seenCommit, Optional<String> appliedCommit,
      Instant at, Optional<Instant> lastSuccess, long reconciles, long changesApplied, String failedStage) {
    this(result, message, seenCommit, appliedCommit, at, lastSuccess, reconciles, changesApplied, failedStage,
        Optional.empty());
  }

  /** A status without a failed stage. */
  public AgentStatus(String result, String message, Optional<String> seenCommit, Optional<String> appliedCommit,
      Instant at, Optional<Instant> lastSuccess, long reconciles, long changesApplied) {
    this(result, message, seenCommit, appliedCommit, at, lastSuccess, reconciles, changesApplied, "");
  }

  public static final String OK = "in-sync";
  public static final String APPLIED = "applied";
  public static final String INVALID = "invalid-commit";
  /** The branch's newest commit is unsigned or not signed by an allowed key (--verify-signatures). */
  public static final String UNVERIFIED = "unverified-commit";
  public static final String UNREACHABLE = "source-unreachable";
  public static final String FAILED = "apply-failed";
  /** Changes are due but every sync window is closed: planned and reported, not applied. */
  public static final String WAITING = "waiting-for-window";
  /** An apply by hand waits for confirmation (apply --confirm-within): nothing is changed until it ends. */
  public static final String PAUSED = "paused-for-confirmation";

  /** The same status, written by {@code run}. */
  public AgentStatus by(AgentRun run) {
    return new AgentStatus(result, message, seenCommit, appliedCommit, at, lastSuccess, reconciles, changesApplied,
        failedStage, Optional.of(run));
  }

  public static AgentStatus initial() {
    return new AgentStatus("starting", "", Optional.empty(), Optional.empty(), Instant.now(), Optional.empty(), 0, 0);
  }

  public boolean healthy() {
    return result.equals(OK) || result.equals(APPLIED);
  }

  /** The commit last seen can be enforced: not refused for its content or its signature. */
  public boolean commitValid() {
    return !result.equals(INVALID) && !result.equals(UNVERIFIED);
  }

  /** Something went wrong (as opposed to in sync, applied, starting or waiting for a window). */
  public boolean isError() {
    return result.equals(INVALID) || result.equals(UNVERIFIED) || result.equals(UNREACHABLE) || result.equals(FAILED);
  }

  public void write(StateDirectory state) {
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.put("result", result);
    o.put("message", message);
    seenCommit.ifPresent(c -> o.put("seen_commit", c));
    appliedCommit.ifPresent(c -> o.put("applied_commit", c));
    o.put("at", at.toString());
    lastSuccess.ifPresent(t -> o.put("last_success", t.toString()));
    o.put("reconciles", reconciles);
    o.put("changes_applied", changesApplied);
    if (!failedStage.isEmpty()) {
      o.put("failed_stage", failedStage);
    }
    run.ifPresent(r -> {
      ObjectNode how = o.putObject("run");
      r.poll().ifPresent(p -> how.put("poll", p.toString()));
      r.resync().ifPresent(p -> how.put("resync", p.toString()));
      how.put("once", r.isOnce());
    });
    state.write(state.agentStatus(), "the agent's status", Json.MAPPER.writeValueAsString(o) + "\n");
  }

  /** A status file that cannot be read: never taken for "no agent has run". */
  public static final class DamagedException extends StateDirectoryException {
    DamagedException(String message) {
      super(message);
    }
  }

  /**
   * The last status written; empty if there is none.
   *
   * @throws DamagedException it cannot be parsed (the agent's next reconcile writes it again)
   */
  public static Optional<AgentStatus> read(StateDirectory state) {
    Optional<byte[]> file = state.readIfPresent(state.agentStatus(), "the agent's status");
    if (file.isEmpty()) {
      return Optional.empty();
    }
    byte[] content = file.get();
    try {
      JsonNode o = Json.MAPPER.readTree(content);
      if (o == null || !o.isObject() || !o.path("result").isString() || o.path("result").asString().isEmpty()) {
        throw new IllegalArgumentException("it is not a status netform wrote: no \"result\"");
      }
      return Optional.of(new AgentStatus(o.path("result").asString(), o.path("message").asString(),
          text(o, "seen_commit"), text(o, "applied_commit"), Instant.parse(o.path("at").asString()),
          text(o, "last_success").map(Instant::parse), o.path("reconciles").asLong(), o.path("changes_applied").asLong(),
          o.path("failed_stage").asString(""), run(o.path("run"))));
    } catch (RuntimeException e) {
      throw new DamagedException("the agent's status " + state.agentStatus() + " is damaged (" + why(e) + "). A running "
          + "agent writes it again at its next reconcile; if none runs here, move it aside (mv " + state.agentStatus() + " "
          + state.agentStatus() + ".damaged) and run the agent");
    }
  }

  private static Optional<AgentRun> run(JsonNode how) {
    if (how.isMissingNode()) {
      return Optional.empty(); // written by a netform that did not record it
    }
    return Optional.of(how.path("once").asBoolean(false) ? AgentRun.once()
        : AgentRun.every(Duration.parse(how.path("poll").asString()), Duration.parse(how.path("resync").asString())));
  }

  /** One line: Jackson's own messages go on with the source on further ones. */
  static String why(RuntimeException e) {
    String message = e instanceof tools.jackson.core.JacksonException j ? "not JSON: " + j.getOriginalMessage()
        : String.valueOf(e.getMessage());
    return message.lines().findFirst().orElse(e.getClass().getSimpleName());
  }

  private static Optional<String> text(JsonNode o, String field) {
    return o.hasNonNull(field) ? Optional.of(o.get(field).asString()) : Optional.empty();
  }
}
