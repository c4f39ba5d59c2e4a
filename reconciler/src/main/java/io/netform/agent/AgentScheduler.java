package io.netform.agent;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.impl.StdSchedulerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Embedded Quartz (RAMJobStore, one worker): a poll trigger that picks up new commits, and a full
 * resync trigger that re-enforces the state even without a new commit (drift the events missed,
 * such as a firewall reload). A failed apply is retried with exponential backoff by a one-shot
 * trigger. All run the same job, never concurrently.
 */
public final class AgentScheduler implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(AgentScheduler.class);
  public static final Backoff DEFAULT_BACKOFF = new Backoff(Duration.ofSeconds(2), Duration.ofMinutes(5));

  static final String RESYNC = "resync";

  private static final AtomicInteger INSTANCES = new AtomicInteger();
  private final Scheduler scheduler;
  private final JobDetail job;
  private final Backoff backoff;
  private final Reconciler reconciler;
  private final Reconciler.Listener retries = (before, after, seconds) -> retryIfFailed(after);
  private int failuresInARow;

  public AgentScheduler(Reconciler reconciler, Duration poll, Duration resync) throws SchedulerException {
    this(reconciler, poll, resync, DEFAULT_BACKOFF);
  }

  public AgentScheduler(Reconciler reconciler, Duration poll, Duration resync, Backoff backoff) throws SchedulerException {
    this.backoff = backoff;
    this.reconciler = reconciler;
    Properties p = new Properties();
    // Quartz shares a scheduler by name: one each, so that agents for several hosts can run in one JVM.
    p.setProperty("org.quartz.scheduler.instanceName", "netform-agent-" + INSTANCES.incrementAndGet());
    p.setProperty("org.quartz.threadPool.threadCount", "1");
    p.setProperty("org.quartz.jobStore.class", "org.quartz.simpl.RAMJobStore");
    p.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
    scheduler = new StdSchedulerFactory(p).getScheduler();
    scheduler.getContext().put(ReconcileJob.RECONCILER, reconciler);
    job = JobBuilder.newJob(ReconcileJob.class).withIdentity("reconcile").storeDurably().build();
    scheduler.addJob(job, false);
    scheduler.scheduleJob(trigger("poll", poll, job));
    scheduler.scheduleJob(trigger(RESYNC, resync, job));
    reconciler.listen(retries);
  }

  private synchronized void retryIfFailed(AgentStatus after) {
    if (!after.result().equals(AgentStatus.FAILED)) {
      failuresInARow = 0;
      return;
    }
    failuresInARow++;
    Duration wait = backoff.delay(failuresInARow);
    LOG.atWarn().addKeyValue("event", "retry-scheduled").addKeyValue("failures", failuresInARow)
        .addKeyValue("wait_seconds", wait.toMillis() / 1000.0)
        .log("apply failed {} time(s) in a row; retrying in {}", failuresInARow, wait);
    Trigger retry = TriggerBuilder.newTrigger().withIdentity("retry").forJob(job)
        .startAt(Date.from(Instant.now().plus(wait))).build();
    try {
      if (scheduler.checkExists(retry.getKey())) {
        scheduler.rescheduleJob(retry.getKey(), retry);
      } else {
        scheduler.scheduleJob(retry);
      }
    } catch (SchedulerException e) {
      LOG.error("could not schedule the retry (the next poll retries): {}", e.getMessage());
    }
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
    reconciler.unlisten(retries); // a later scheduler on the same reconciler retries alone
  }
}
