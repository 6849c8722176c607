package com.returnbridge.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import com.github.kagkarlsson.scheduler.testhelper.ManualScheduler;
import com.github.kagkarlsson.scheduler.testhelper.SettableClock;
import com.github.kagkarlsson.scheduler.testhelper.TestHelper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.TransactionAwareDataSourceProxy;

/**
 * A connection resumed with a backlog: every waiting job of that connection is due at once, in a few statements
 * (not a look-up and an update per job, which kept thousands of resumed jobs waiting for the resume itself), and
 * nothing of another connection moves.
 */
class WakeConnectionTest {

    @Test
    void resumingWakesTheConnectionsWholeBacklogInAFewCommitsAndNothingElse() {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:wake-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        Flyway.configure().dataSource(h2).locations("classpath:db/migration").load().migrate();
        AtomicInteger commits = new AtomicInteger();
        var counted = new JobFinishesInItsTransactionTest.CommitCounting(h2, commits);
        Set<String> ran = ConcurrentHashMap.newKeySet();
        JobTask job = new JobTask() {
            @Override
            public String name() {
                return "link-job";
            }

            @Override
            public JobResult run(String instanceId) {
                ran.add(instanceId);
                return JobResult.done();
            }

            @Override
            public Predicate<String> instancesOf(String connectionId) {
                return id -> id.startsWith(connectionId + "-");
            }
        };
        var wakeups = new SchedulerConfiguration.Wakeups(Duration.ofSeconds(30),
                new SchedulerConfiguration.HintCheck(new DataSourceTransactionManager(counted)));
        var task = SchedulerConfiguration.task(job, new Backoff(Duration.ofMinutes(1), Duration.ofMinutes(1)), wakeups);
        SettableClock clock = new SettableClock();
        clock.set(Instant.now().truncatedTo(ChronoUnit.MILLIS));
        ManualScheduler scheduler = TestHelper.createManualScheduler(new TransactionAwareDataSourceProxy(counted),
                List.of(task)).clock(clock).build();
        wakeups.scheduler = scheduler;
        Instant later = clock.now().plus(Duration.ofMinutes(30)); // as a paused connection's jobs wait
        for (int i = 0; i < 1200; i++) {
            scheduler.schedule(new TaskInstance<>("link-job", "paused-" + i), later);
        }
        for (int i = 0; i < 10; i++) {
            scheduler.schedule(new TaskInstance<>("link-job", "other-" + i), later);
        }
        StaticListableBeanFactory beans = new StaticListableBeanFactory();
        beans.addBean("scheduler", scheduler);
        beans.addBean("job", job);
        JobQueue queue = new JobQueue(beans.getBeanProvider(Scheduler.class), beans.getBeanProvider(JobTask.class),
                Clock.systemUTC(), JdbcClient.create(counted));

        commits.set(0);
        assertThat(queue.wakeConnection("paused")).isEqualTo(1200);
        // three chunks of at most 500 (and db-scheduler's read of the queue), instead of 1,200 updates
        assertThat(commits.get()).as("commits to wake 1,200 jobs").isLessThanOrEqualTo(5);

        clock.set(Instant.now().truncatedTo(ChronoUnit.MILLIS).plusMillis(1));
        for (int batch = 0; batch < 200 && ran.size() < 1200; batch++) {
            scheduler.runAnyDueExecutions(); // one poll's worth at a time
        }
        assertThat(ran).hasSize(1200).allMatch(id -> id.startsWith("paused-"));
        assertThat(scheduler.getScheduledExecutions()).hasSize(10)
                .allMatch(e -> e.getTaskInstance().getId().startsWith("other-"));
    }
}
