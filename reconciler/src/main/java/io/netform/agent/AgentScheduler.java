package io.netform.agent;

import java.time.Duration;
import java.util.Properties;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.impl.StdSchedulerFactory;

/**
 * Embedded Quartz (RAMJobStore, one worker): a poll trigger that picks up new commits, and a full
 * resync trigger that re-enforces the state even without a new commit (drift the events missed,
 * such as a firewall reload). Both run the same job, never concurrently.
 */
public final class AgentScheduler implements AutoCloseable {

  private final Scheduler scheduler;

  public AgentScheduler(Reconciler reconciler, Duration poll, Duration resync) throws SchedulerException {
    Properties p = new Properties();
    p.setProperty("org.quartz.scheduler.instanceName", "netform-agent");
    p.setProperty("org.quartz.threadPool.threadCount", "1");
    p.setProperty("org.quartz.jobStore.class", "org.quartz.simpl.RAMJobStore");
    p.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
    scheduler = new StdSchedulerFactory(p).getScheduler();
    scheduler.getContext().put(ReconcileJob.RECONCILER, reconciler);
    JobDetail job = JobBuilder.newJob(ReconcileJob.class).withIdentity("reconcile").storeDurably().build();
    scheduler.addJob(job, false);
    scheduler.scheduleJob(trigger("poll", poll, job));
    scheduler.scheduleJob(trigger("resync", resync, job));
  }

  private static Trigger trigger(String name, Duration every, JobDetail job) {
    return TriggerBuilder.newTrigger().withIdentity(name).forJob(job).startNow()
        .withSchedule(SimpleScheduleBuilder.simpleSchedule().withIntervalInMilliseconds(every.toMillis()).repeatForever()
            .withMisfireHandlingInstructionNextWithRemainingCount())
        .build();
  }

  public void start() throws SchedulerException {
    scheduler.start();
  }

  /** Graceful: waits for a running reconcile to finish, so an apply is never cut in half by a shutdown. */
  @Override
  public void close() throws SchedulerException {
    scheduler.shutdown(true);
  }
}
