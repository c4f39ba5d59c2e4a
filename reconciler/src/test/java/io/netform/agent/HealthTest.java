package io.netform.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The one rule behind /-/healthy, netform_healthy, netform status and agent --once: the agent is
 * healthy when it keeps the host as committed (changes waiting for a sync window included, as it
 * was told), in sync only when nothing waits; a failed expectation of the applied commit is neither.
 */
class HealthTest {

  private static AgentStatus status(String result) {
    return new AgentStatus(result, "", Optional.of("c2"), Optional.of("c1"), Instant.EPOCH, Optional.empty(), 3, 0);
  }

  private static Optional<CheckResults> check(String commit, long failed) {
    return Optional.of(new CheckResults(Instant.EPOCH, Optional.of(commit), List.of(), 2, failed));
  }

  /** agentHealthy, inSync: as a list, for one assertion per case. */
  private static List<Boolean> judged(String result, Optional<CheckResults> checks) {
    Health h = Health.of(status(result), checks);
    return List.of(h.agentHealthy(), h.inSync());
  }

  @Test
  void waitingForASyncWindowIsHealthyButNotInSync() {
    assertEquals(List.of(true, true), judged(AgentStatus.OK, Optional.empty()));
    assertEquals(List.of(true, true), judged(AgentStatus.APPLIED, Optional.empty()));
    assertEquals(List.of(true, false), judged(AgentStatus.WAITING, Optional.empty()),
        "the agent does as told (a probe must not restart it), but the host does not hold the commit yet");
  }

  @Test
  void everyOtherResultIsNeither() {
    for (String result : List.of(AgentStatus.INVALID, AgentStatus.UNVERIFIED, AgentStatus.UNREACHABLE, AgentStatus.FAILED,
        AgentStatus.PAUSED, "starting")) {
      assertEquals(List.of(false, false), judged(result, Optional.empty()), result);
    }
  }

  @Test
  void aFailedExpectationCountsOnlyForTheAppliedCommit() {
    assertEquals(List.of(false, false), judged(AgentStatus.OK, check("c1", 1)));
    assertEquals(List.of(false, false), judged(AgentStatus.WAITING, check("c1", 1)));
    assertEquals(List.of(true, true), judged(AgentStatus.OK, check("c0", 1)), "a check of another commit says nothing");
    assertEquals(List.of(true, true), judged(AgentStatus.OK, check("c1", 0)));
  }
}
