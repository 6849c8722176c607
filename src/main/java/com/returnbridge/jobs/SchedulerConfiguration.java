package com.returnbridge.jobs;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerName;
import com.github.kagkarlsson.scheduler.event.SchedulerListener;
import com.github.kagkarlsson.scheduler.logging.LogLevel;
import com.github.kagkarlsson.scheduler.task.CompletionHandler;
import com.github.kagkarlsson.scheduler.task.FailureHandler;
import com.github.kagkarlsson.scheduler.task.Task;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.datasource.TransactionAwareDataSourceProxy;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * db-scheduler on the application's database. The data source is transaction-aware so a job scheduled inside
 * the intake transaction commits, or rolls back, with the delivery that asked for it.
 */
@Configuration
public class SchedulerConfiguration {

    private static final Logger log = LoggerFactory.getLogger(SchedulerConfiguration.class);

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    /**
     * Every {@link JobTask} bean becomes a one-time task; every {@link RecurringTask} bean is started (the way
     * db-scheduler's Boot starter collects its tasks). The features own their tasks: this names none of them.
     */
    @Bean
    Scheduler scheduler(DataSource dataSource, JobProperties properties, List<SchedulerListener> listeners,
                        ObjectProvider<JobTask> jobs, ObjectProvider<RecurringTask<?>> recurring,
                        PlatformTransactionManager transactions) {
        Backoff unexpected = properties.backoff();
        Wakeups wakeups = new Wakeups(properties.pollingInterval(), new HintCheck(transactions));
        List<Task<?>> tasks = jobs.orderedStream().<Task<?>>map(job -> task(job, unexpected, wakeups)).toList();
        List<RecurringTask<?>> startTasks = recurring.orderedStream().toList();
        var builder = Scheduler.create(new TransactionAwareDataSourceProxy(dataSource), tasks)
                .threads(properties.threads())
                .pollingInterval(properties.pollingInterval())
                .heartbeatInterval(properties.heartbeat())
                .schedulerName(new SchedulerName.Fixed(instanceName()))
                .startTasks(startTasks)
                .enableImmediateExecution()
                .failureLogging(LogLevel.WARN, true);
        listeners.forEach(builder::addSchedulerListener);
        if (com.returnbridge.database.DatabaseKind.isPostgres(dataSource)) {
            // SELECT … FOR UPDATE SKIP LOCKED: instances share the queue without stepping on each other.
            builder.pollUsingLockAndFetch(0.5, 1.0);
        }
        Scheduler scheduler = builder.build();
        wakeups.scheduler = scheduler;
        return scheduler;
    }

    /**
     * A job that asked to run again soon (a throttling wait, a newer hint) is due before the next poll: wake the
     * scheduler at that moment rather than leave it waiting up to a polling interval.
     */
    static final class Wakeups {
        private final java.util.concurrent.ScheduledExecutorService timer =
                java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "db-scheduler-wakeups");
                    t.setDaemon(true);
                    return t;
                });
        private final Duration pollingInterval;
        private final HintCheck hints;
        volatile Scheduler scheduler;

        Wakeups(Duration pollingInterval, HintCheck hints) {
            this.pollingInterval = pollingInterval;
            this.hints = hints;
        }

        void scheduleNow(TaskInstance<?> instance) {
            Scheduler s = scheduler;
            if (s != null) {
                s.scheduleIfNotExists(instance, java.time.Instant.now());
                s.triggerCheckForDueExecutions();
            }
        }

        void at(java.time.Instant when) {
            long delay = Math.max(0, Duration.between(java.time.Instant.now(), when).toMillis());
            // Jobs waiting their turn for a budget wake at their own moment, not a poll later (bounded: a long
            // wait is left to the poll).
            if (delay < Math.max(pollingInterval.toMillis(), Duration.ofMinutes(15).toMillis())) {
                timer.schedule(() -> {
                    Scheduler s = scheduler;
                    if (s != null) {
                        s.triggerCheckForDueExecutions();
                    }
                }, delay + 5, java.util.concurrent.TimeUnit.MILLISECONDS);
            }
        }
    }

    /**
     * Has new work moved the subject's hint? Read under the row lock an arrival's transaction holds until it
     * commits.
     */
    record HintCheck(PlatformTransactionManager transactions) {
        boolean moved(JobTask job, long subject, long hint) {
            try {
                Long now = new TransactionTemplate(transactions).execute(s -> job.lockedHint(subject).orElse(null));
                return now != null && now != hint;
            } catch (RuntimeException e) {
                log.warn("could not read the hint of {} {} ({}); running its job again to be safe", job.name(),
                        subject, e.toString());
                return true;
            }
        }
    }

    static Task<Void> task(JobTask job, Backoff backoff, Wakeups wakeups) {
        FailureHandler<Void> onUnexpectedFailure = (complete, operations) -> {
            int failures = complete.getExecution().consecutiveFailures + 1;
            operations.reschedule(complete, complete.getTimeDone().plus(backoff.after(failures)));
        };
        return Tasks.custom(job.name(), Void.class)
                .onFailure(onUnexpectedFailure)
                .execute((instance, context) -> {
                    RunningJob running = RunningJob.start(context.getExecution());
                    JobResult result;
                    try {
                        result = job.run(instance.getId());
                    } finally {
                        RunningJob.end();
                    }
                    if (running.removedWithJob) {
                        return finishedWithJob(job, result, wakeups);
                    }
                    if (result instanceof JobResult.RunAgainAt again) {
                        return (CompletionHandler<Void>) (complete, operations) -> {
                            operations.reschedule(complete, again.when());
                            wakeups.at(again.when());
                        };
                    }
                    if (result instanceof JobResult.DoneUnlessHinted done) {
                        return (CompletionHandler<Void>) (complete, operations) -> {
                            operations.remove();
                            if (wakeups.hints.moved(job, done.subject(), done.hint())) {
                                wakeups.scheduleNow(complete.getExecution().taskInstance);
                            }
                        };
                    }
                    return new CompletionHandler.OnCompleteRemove<>();
                });
    }

    /**
     * The job's last transaction removed its execution ({@link JobQueue#finishInThisTransaction}): nothing is left to
     * remove. A job that then asks for more than done gets a fresh execution rather than nothing.
     */
    private static CompletionHandler<Void> finishedWithJob(JobTask job, JobResult result, Wakeups wakeups) {
        return (complete, operations) -> {
            if (!(result instanceof JobResult.Done)) {
                log.warn("{} {} finished its execution in its transaction but answered {}; queued again",
                        job.name(), complete.getExecution().taskInstance.getId(), result);
                wakeups.scheduleNow(complete.getExecution().taskInstance);
            }
        };
    }

    /** Host and process id: two instances on one host must not share a name in {@code picked_by}. */
    private static String instanceName() {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = "localhost";
        }
        String name = host + "-" + ProcessHandle.current().pid();
        return name.length() <= 50 ? name : name.substring(name.length() - 50);
    }

    /** Starts polling once the application is up and stops it before the data source closes. */
    @Bean
    SmartLifecycle schedulerLifecycle(Scheduler scheduler) {
        return new SmartLifecycle() {
            private volatile boolean running;

            @Override
            public void start() {
                scheduler.start();
                running = true;
            }

            @Override
            public void stop() {
                scheduler.stop();
                running = false;
            }

            @Override
            public boolean isRunning() {
                return running;
            }

            /** A stopped db-scheduler cannot start again: a paused (cached test) context keeps it running. */
            @Override
            public boolean isPauseable() {
                return false;
            }
        };
    }
}
