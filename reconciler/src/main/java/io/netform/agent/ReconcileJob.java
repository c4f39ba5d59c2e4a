package io.netform.agent;

import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.quartz.SchedulerException;

/** A scheduled reconcile; Quartz never runs two at once. */
@DisallowConcurrentExecution
public final class ReconcileJob implements Job {

  static final String RECONCILER = "reconciler";

  @Override
  public void execute(JobExecutionContext context) {
    try {
      Reconciler reconciler = (Reconciler) context.getScheduler().getContext().get(RECONCILER);
      String trigger = context.getTrigger().getKey().getName();
      if (trigger.equals(AgentScheduler.RESYNC)) {
        reconciler.reconcileFully(trigger);
      } else {
        reconciler.reconcile(trigger);
      }
    } catch (SchedulerException e) {
      throw new IllegalStateException(e);
    }
  }
}
