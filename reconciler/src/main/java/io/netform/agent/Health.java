package io.netform.agent;

import java.util.Optional;

/**
 * What the agent's word says of the host: the one rule behind {@code /-/healthy},
 * {@code netform_healthy} and the exit code of {@code netform status}. Fine is more than in sync:
 * a host whose expected paths (expect:) do not hold, or could not be checked, is not fine.
 *
 * @param status the agent's last reconcile
 * @param counted the last check of the connectivity assertions, when it was of the applied commit
 *     (a check of another commit says nothing about this one: not counted either way)
 */
public record Health(AgentStatus status, Optional<CheckResults> counted) {

  public static Health of(AgentStatus status, Optional<CheckResults> checks) {
    return new Health(status, checks.filter(c -> c.commit().isEmpty() || c.commit().equals(status.appliedCommit())));
  }

  /** No check of the applied commit failed or could not be made (none made yet counts as held). */
  public boolean expectationsHeld() {
    return counted.map(CheckResults::held).orElse(true);
  }

  /**
   * The agent keeps the host as committed: the last reconcile reached the desired state (or
   * changes wait for a sync window, as the agent was told to) and the expectations held. What a
   * probe of the agent asks: {@code /-/healthy} answers 200 exactly then.
   */
  public boolean agentHealthy() {
    return (status.healthy() || status.result().equals(AgentStatus.WAITING)) && expectationsHeld();
  }

  /** As {@link #agentHealthy}, and nothing waits: the host held the applied commit at the last reconcile. */
  public boolean inSync() {
    return agentHealthy() && status.healthy();
  }
}
