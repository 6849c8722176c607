package com.returnbridge.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import com.github.kagkarlsson.scheduler.testhelper.ManualScheduler;
import com.github.kagkarlsson.scheduler.testhelper.SettableClock;
import com.github.kagkarlsson.scheduler.testhelper.TestHelper;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.TransactionAwareDataSourceProxy;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A warehouse status that arrives while its return's job is finishing: the delivery finds the job still queued (so it
 * schedules nothing) and commits after the job's last look at the link's hint. The job must run again, not be
 * removed with the status unseen. The race is made to happen every time: the job itself plays the delivery after
 * taking its last look, exactly in the window. db-scheduler's manual scheduler runs the due executions in the test's
 * thread, and the test moves its clock: nothing here waits for a poll.
 */
class FinishingJobRaceTest {

    private JdbcDataSource dataSource;
    private JdbcClient jdbc;
    private DataSourceTransactionManager transactions;
    private ManualScheduler scheduler;
    private long linkId;

    @BeforeEach
    void database() {
        dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:mem:race-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        jdbc = JdbcClient.create(dataSource);
        transactions = new DataSourceTransactionManager(dataSource);
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        jdbc.sql("""
                INSERT INTO return_link (connection_id, loop_return_id, state, created_at, updated_at)
                VALUES ('race', '1', 'RMA_CREATED', ?, ?)""").params(now, now).update();
        linkId = jdbc.sql("SELECT id FROM return_link WHERE loop_return_id = '1'").query(Long.class).single();
    }

    @Test
    void aDeliveryCommittedAfterTheJobsLastLookRunsTheJobAgain() {
        List<Boolean> deliveryScheduledAJob = new CopyOnWriteArrayList<>();
        runWithADeliveryInTheWindow(JobResult::doneUnlessHinted, deliveryScheduledAJob);
        assertThat(runCount.get()).as("the first run").isEqualTo(1);
        assertThat(queued()).as("scheduled again by the hint check, not by the delivery").isEqualTo(1);
        scheduler.tick(Duration.ofMinutes(1)); // the hint check queued it at the wall clock's now
        scheduler.runAnyDueExecutions();
        assertThat(queued()).isZero();
        assertThat(deliveryScheduledAJob).as("the delivery found the job still queued").containsExactly(false);
        assertThat(runCount.get()).as("run again once, then done").isEqualTo(2);
    }

    @Test
    void withAPlainDoneTheStatusWouldWaitForTheSweep() {
        // the control: what happened before DoneUnlessHinted, so this test proves the window is really hit
        List<Boolean> deliveryScheduledAJob = new CopyOnWriteArrayList<>();
        runWithADeliveryInTheWindow((link, hint) -> JobResult.done(), deliveryScheduledAJob);
        assertThat(runCount.get()).isEqualTo(1);
        scheduler.tick(Duration.ofMinutes(1));
        scheduler.runAnyDueExecutions();
        assertThat(deliveryScheduledAJob).containsExactly(false);
        assertThat(runCount.get()).as("nothing ran the job again").isEqualTo(1);
        assertThat(queued()).isZero();
    }

    private final AtomicInteger runCount = new AtomicInteger();

    /** Runs a scheduler's one job, which on its first run plays a delivery after its last look. */
    private void runWithADeliveryInTheWindow(BiFunction<Long, Long, JobResult> finish, List<Boolean> scheduledByDelivery) {
        TransactionTemplate tx = new TransactionTemplate(transactions);
        SchedulerConfiguration.Wakeups wakeups = new SchedulerConfiguration.Wakeups(Duration.ofSeconds(30),
                new SchedulerConfiguration.HintCheck(transactions));
        TaskInstance<Void> job = new TaskInstance<>("apply-status", String.valueOf(linkId));
        JobTask applyStatus = new JobTask() {
            @Override
            public String name() {
                return "apply-status";
            }

            @Override
            public JobResult run(String instanceId) {
                long hint = jdbc.sql("SELECT hint_seq FROM return_link WHERE id = ?").param(linkId).query(Long.class)
                        .single(); // the job's last look
                if (runCount.incrementAndGet() == 1) {
                    tx.executeWithoutResult(s -> { // a Return Update arrives, as IntakeService takes it
                        jdbc.sql("UPDATE return_link SET hint_seq = hint_seq + 1 WHERE id = ?").param(linkId)
                                .update();
                        scheduledByDelivery.add(scheduler.scheduleIfNotExists(job, scheduler.getClock().now()));
                    });
                }
                return finish.apply(linkId, hint);
            }

            @Override
            public Optional<Long> lockedHint(long subject) {
                return jdbc.sql("SELECT hint_seq FROM return_link WHERE id = ? FOR UPDATE").param(subject)
                        .query(Long.class).optional();
            }
        };
        var task = SchedulerConfiguration.task(applyStatus, new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1)),
                wakeups);
        // a 30 s polling interval in the wake-ups, and no poll at all: only the hint check can queue the job again
        SettableClock clock = new SettableClock();
        clock.set(Instant.now().truncatedTo(ChronoUnit.MILLIS)); // as stored: a job due now is due, not 1 µs later
        scheduler = TestHelper.createManualScheduler(new TransactionAwareDataSourceProxy(dataSource), List.of(task))
                .clock(clock).build();
        wakeups.scheduler = scheduler;
        scheduler.scheduleIfNotExists(job, scheduler.getClock().now());
        scheduler.runAnyDueExecutions();
    }

    private long queued() {
        return jdbc.sql("SELECT COUNT(*) FROM scheduled_tasks").query(Long.class).single();
    }
}
