package io.netform.agent;

import io.netform.kernel.StateDirectory;
import io.netform.util.AtomicFiles;
import io.netform.util.Json;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.time.Instant;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What the agent last did, kept in {@code STATE/agent-status.json} (written atomically) so that
 * {@code netform status} can tell it and a restarted agent knows the last good commit.
 */
public record AgentStatus(String result, String message, Optional<String> seenCommit, Optional<String> appliedCommit,
    Instant at, Optional<Instant> lastSuccess, long reconciles, long changesApplied, String failedStage) {

  /** Where a reconcile failed: reading the source, checking its signature, loading the commit, planning, applying, verifying. */
  public static final String FETCH = "fetch";
  public static final String SIGNATURE = "signature";
  public static final String LOAD = "load";
  public static final String PLAN = "plan";
  public static final String APPLY = "apply";
  public static final String VERIFY = "verify";

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
    try {
      AtomicFiles.write(state.agentStatus(), Json.MAPPER.writeValueAsString(o) + "\n");
    } catch (IOException e) {
      throw state.writeFailure("the agent's status", state.agentStatus(), e);
    }
  }

  /** The last status written; empty if there is none or it cannot be parsed (the next reconcile rewrites it). */
  public static Optional<AgentStatus> read(StateDirectory state) {
    byte[] content;
    try {
      content = state.read(state.agentStatus());
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw state.failure("read the agent's status", state.agentStatus(), e);
    }
    try {
      JsonNode o = Json.MAPPER.readTree(content);
      return Optional.of(new AgentStatus(o.path("result").asString(), o.path("message").asString(),
          text(o, "seen_commit"), text(o, "applied_commit"), Instant.parse(o.path("at").asString()),
          text(o, "last_success").map(Instant::parse), o.path("reconciles").asLong(), o.path("changes_applied").asLong(),
          o.path("failed_stage").asString("")));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  private static Optional<String> text(JsonNode o, String field) {
    return o.hasNonNull(field) ? Optional.of(o.get(field).asString()) : Optional.empty();
  }
}
