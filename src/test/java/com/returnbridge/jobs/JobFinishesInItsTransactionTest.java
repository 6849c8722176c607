package com.returnbridge.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.kagkarlsson.scheduler.task.TaskInstance;
import com.github.kagkarlsson.scheduler.testhelper.ManualScheduler;
import com.github.kagkarlsson.scheduler.testhelper.SettableClock;
import com.github.kagkarlsson.scheduler.testhelper.TestHelper;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DelegatingDataSource;
import org.springframework.jdbc.datasource.TransactionAwareDataSourceProxy;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A job whose last write ends it ({@link JobQueue#finishInThisTransaction}): the write and the removal of its
 * execution are one commit, not two (on a durable database every commit is a flush, and the commits are what a job
 * costs), and they stay atomic: a last transaction that rolls back leaves the execution to be retried.
 */
class JobFinishesInItsTransactionTest {

    private DataSource counted;
    private JdbcClient jdbc;
    private TransactionTemplate tx;
    private final AtomicInteger commits = new AtomicInteger();
    private ManualScheduler scheduler;
    private JobQueue queue;

    @BeforeEach
    void database() {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:finish-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        Flyway.configure().dataSource(h2).locations("classpath:db/migration").load().migrate();
        counted = new CommitCounting(h2, commits);
        jdbc = JdbcClient.create(counted);
        tx = new TransactionTemplate(new DataSourceTransactionManager(counted));
        jdbc.sql("CREATE TABLE job_effect (id VARCHAR(20) PRIMARY KEY)").update();
    }

    @Test
    void theLastWriteAndTheCompletionAreOneCommit() {
        run(id -> tx.executeWithoutResult(s -> {
            jdbc.sql("INSERT INTO job_effect (id) VALUES (?)").param(id).update();
            queue.finishInThisTransaction();
        }), false);
        int withFinish = commits.get();
        assertThat(effects()).isEqualTo(1);
        assertThat(queued()).as("the execution went with the job's write").isZero();

        commits.set(0);
        run(id -> tx.executeWithoutResult(s -> jdbc.sql("INSERT INTO job_effect (id) VALUES (?)").param(id)
                .update()), false);
        int without = commits.get();
        assertThat(queued()).isZero();
        assertThat(withFinish).as("commits of one job run, ended in its transaction vs by the scheduler (%s)",
                without).isEqualTo(without - 1);
    }

    @Test
    void aLastTransactionThatRollsBackLeavesTheExecutionToBeRetried() {
        run(id -> tx.executeWithoutResult(s -> {
            jdbc.sql("INSERT INTO job_effect (id) VALUES (?)").param(id).update();
            queue.finishInThisTransaction();
            throw new IllegalStateException("the job's last write fails at commit time");
        }), true);
        assertThat(effects()).isZero();
        assertThat(queued()).as("still queued, for its retry").isEqualTo(1);
        assertThat(jdbc.sql("SELECT consecutive_failures FROM scheduled_tasks").query(Integer.class).single())
                .isEqualTo(1);
    }

    interface Body {
        void run(String id);
    }

    private void run(Body body, boolean expectFailure) {
        String id = UUID.randomUUID().toString().substring(0, 8);
        JobTask job = new JobTask() {
            @Override
            public String name() {
                return "finishing";
            }

            @Override
            public JobResult run(String instanceId) {
                body.run(instanceId);
                return JobResult.done();
            }
        };
        SchedulerConfiguration.Wakeups wakeups = new SchedulerConfiguration.Wakeups(Duration.ofSeconds(30),
                new SchedulerConfiguration.HintCheck(new DataSourceTransactionManager(counted)));
        var task = SchedulerConfiguration.task(job, new Backoff(Duration.ofMinutes(1), Duration.ofMinutes(1)), wakeups);
        SettableClock clock = new SettableClock();
        clock.set(Instant.now().truncatedTo(ChronoUnit.MILLIS));
        scheduler = TestHelper.createManualScheduler(new TransactionAwareDataSourceProxy(counted), List.of(task))
                .clock(clock).build();
        wakeups.scheduler = scheduler;
        StaticListableBeanFactory beans = new StaticListableBeanFactory();
        beans.addBean("scheduler", scheduler);
        queue = new JobQueue(beans.getBeanProvider(com.github.kagkarlsson.scheduler.Scheduler.class),
                beans.getBeanProvider(JobTask.class), Clock.systemUTC(), jdbc);
        scheduler.schedule(new TaskInstance<>("finishing", id), clock.now());
        commits.set(0);
        scheduler.runAnyDueExecutions();
        if (!expectFailure) {
            assertThat(effects()).isPositive();
        }
    }

    private long queued() {
        return jdbc.sql("SELECT COUNT(*) FROM scheduled_tasks").query(Long.class).single();
    }

    private long effects() {
        return jdbc.sql("SELECT COUNT(*) FROM job_effect").query(Long.class).single();
    }

    /** Counts commits: explicit ones, and every write run in auto-commit mode (each is its own commit). */
    static final class CommitCounting extends DelegatingDataSource {
        private final AtomicInteger commits;

        CommitCounting(DataSource target, AtomicInteger commits) {
            super(target);
            this.commits = commits;
        }

        @Override
        public Connection getConnection() throws SQLException {
            Connection c = super.getConnection();
            return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
                    (proxy, method, args) -> {
                        if (method.getName().equals("commit")) {
                            commits.incrementAndGet();
                        }
                        Object result = invoke(c, method, args);
                        if (result instanceof PreparedStatement ps && method.getName().equals("prepareStatement")) {
                            return statement(c, ps);
                        }
                        return result;
                    });
        }

        private PreparedStatement statement(Connection c, PreparedStatement ps) {
            InvocationHandler handler = (proxy, method, args) -> {
                if (method.getName().startsWith("execute") && !method.getName().equals("executeQuery")
                        && c.getAutoCommit()) {
                    commits.incrementAndGet();
                }
                return invoke(ps, method, args);
            };
            return (PreparedStatement) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {PreparedStatement.class}, handler);
        }

        private static Object invoke(Object target, java.lang.reflect.Method method, Object[] args) throws Throwable {
            try {
                return method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }
    }
}
