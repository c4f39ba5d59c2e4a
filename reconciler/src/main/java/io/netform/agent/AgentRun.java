package io.netform.agent;

import io.netform.util.Durations;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * How the agent that wrote a status runs, kept in the status so that {@code netform status} can
 * tell whether that status is still the agent's word: a running agent writes one at every poll and
 * resync, a one-shot run ({@code agent --once}) only once.
 */
public record AgentRun(Optional<Duration> poll, Optional<Duration> resync) {

  /** A one-shot reconcile (agent --once): nothing keeps the host after it. */
  public static AgentRun once() {
    return new AgentRun(Optional.empty(), Optional.empty());
  }

  /** An agent that reconciles at every {@code poll} and {@code resync}. */
  public static AgentRun every(Duration poll, Duration resync) {
    return new AgentRun(Optional.of(poll), Optional.of(resync));
  }

  public boolean isOnce() {
    return poll.isEmpty();
  }

  /**
   * How old a running agent's status may grow before it counts as overdue: three of its shorter
   * intervals (it writes one at each) and a minute, for a long apply or a slow fetch. Empty for a
   * one-shot run, which writes no other.
   */
  public Optional<Duration> overdueAfter() {
    return poll.flatMap(p -> resync.map(r -> (p.compareTo(r) <= 0 ? p : r).multipliedBy(3).plusMinutes(1)));
  }

  /** Whether a status this run wrote at {@code at} should have been followed by another by {@code now}. */
  public boolean overdue(Instant at, Instant now) {
    return overdueAfter().map(limit -> Duration.between(at, now).compareTo(limit) > 0).orElse(false);
  }

  /** "polls every 30s, resyncs every 5m" or "one-shot (agent --once)". */
  public String shown() {
    return isOnce() ? "one-shot (agent --once)"
        : "polls every " + Durations.shown(poll.get()) + ", resyncs every " + Durations.shown(resync.get());
  }
}
