package com.returnbridge.vendor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.returnbridge.support.EmbeddedPostgresSupport;
import io.github.bucket4j.Bucket;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.datasource.DelegatingDataSource;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * Two instances' budgets on one PostgreSQL database (the shared {@code rate_bucket} row): each takes tokens in
 * grants, so concurrent callers stop queueing on the row lock, and still both together never spend more than the
 * one shared bucket holds.
 */
class RateBudgetsPostgresTest {

    /** Effectively no refill during the test: every token spent must come out of the 1,000 in the bucket. */
    private static final RateBudgets.Budget BUDGET = new RateBudgets.Budget("shiphero", 1000, 1, Duration.ofDays(1));

    private DataSource database;

    @BeforeEach
    void database() {
        database = new DriverManagerDataSource(EmbeddedPostgresSupport.newDatabaseUrl(), "postgres", "");
        Flyway.configure().dataSource(database).locations("classpath:db/migration").load().migrate();
    }

    @Test
    void twoInstancesHammeringOneAccountTogetherSpendExactlyWhatTheSharedBucketHeldAndNoMore() throws Exception {
        RateBudgets a = new RateBudgets(database, 16, Duration.ofMinutes(5), Clock.systemUTC());
        RateBudgets b = new RateBudgets(database, 16, Duration.ofMinutes(5), Clock.systemUTC());
        AtomicLong spent = new AtomicLong();
        AtomicInteger calls = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 16; t++) {
            RateBudgets instance = t % 2 == 0 ? a : b;
            threads.add(new Thread(() -> {
                Bucket bucket = instance.bucket(BUDGET, "refresh-token");
                int refusedInARow = 0;
                while (refusedInARow < 20) {
                    long tokens = 1 + ThreadLocalRandom.current().nextInt(20);
                    calls.incrementAndGet();
                    if (bucket.tryConsumeAndReturnRemaining(tokens).isConsumed()) {
                        spent.addAndGet(tokens);
                        // a settle: some reservations were too high and come back
                        if (tokens > 15) {
                            bucket.addTokens(3);
                            spent.addAndGet(-3);
                        }
                        refusedInARow = 0;
                    } else {
                        refusedInARow++;
                    }
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join();
        }
        a.destroy();
        b.destroy();

        long left = new RateBudgets(database, 1, Duration.ZERO, Clock.systemUTC()).bucket(BUDGET, "refresh-token")
                .getAvailableTokens();
        assertThat(spent.get()).as("spent by both instances").isLessThanOrEqualTo(1000);
        assertThat(spent.get() + left).as("spent plus what is left in the shared row").isBetween(1000L, 1001L);
        assertThat(spent.get()).as("the grants held at the end were given back and the bucket nearly emptied")
                .isGreaterThan(1000 - 2 * 20);
    }

    @Test
    void whileTheBudgetLastsMostCallsTakeNoRowLock() throws Exception {
        RateBudgets.Budget large = new RateBudgets.Budget("shiphero", 100_000, 1, Duration.ofDays(1));
        CountingDataSource countedA = new CountingDataSource(database);
        CountingDataSource countedB = new CountingDataSource(database);
        RateBudgets a = new RateBudgets(countedA, 16, Duration.ofMinutes(5), Clock.systemUTC());
        RateBudgets b = new RateBudgets(countedB, 16, Duration.ofMinutes(5), Clock.systemUTC());
        int before = countedA.connections.get() + countedB.connections.get();
        List<Thread> threads = new ArrayList<>();
        AtomicInteger refused = new AtomicInteger();
        for (int t = 0; t < 8; t++) {
            Bucket bucket = (t % 2 == 0 ? a : b).bucket(large, "refresh-token");
            threads.add(new Thread(() -> {
                for (int i = 0; i < 200; i++) {
                    if (!bucket.tryConsume(1 + ThreadLocalRandom.current().nextInt(20))) {
                        refused.incrementAndGet();
                    }
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join();
        }
        int rowAccesses = countedA.connections.get() + countedB.connections.get() - before;
        assertThat(refused).hasValue(0);
        // about 16,800 tokens in grants of 6,250: a handful of row locks instead of 1,600
        assertThat(rowAccesses).as("shared-row accesses for 1,600 calls").isLessThanOrEqualTo(8);
        a.destroy();
        b.destroy();
    }

    @Test
    void aGrantLeftUnusedGoesBackSoTheOtherInstanceCanSpendIt() {
        RateBudgets a = new RateBudgets(database, 4, Duration.ofMillis(200), Clock.systemUTC());
        RateBudgets b = new RateBudgets(database, 4, Duration.ofMillis(200), Clock.systemUTC());
        assertThat(a.bucket(BUDGET, "token").tryConsume(10)).isTrue(); // takes 10 + a grant of 250
        Bucket other = b.bucket(BUDGET, "token");
        assertThat(other.tryConsumeAndReturnRemaining(1000 - 10).isConsumed())
                .as("while A holds its grant").isFalse();
        await().atMost(Duration.ofSeconds(10)).until(() -> other.tryConsume(1000 - 10));
        a.destroy();
        b.destroy();
    }

    @Test
    void aCallerThatTakesItsPlaceInLineOwesTheSharedBucketBeyondWhatItsInstanceHeld() {
        RateBudgets a = new RateBudgets(database, 4, Duration.ofMinutes(5), Clock.systemUTC());
        Bucket bucket = a.bucket(BUDGET, "line");
        assertThat(bucket.tryConsume(900)).isTrue(); // 900 + grant 250 > 1000: only the 900 are taken
        long waitNanos = bucket.consumeIgnoringRateLimits(300);
        assertThat(waitNanos).as("200 tokens owed at 1 a day").isGreaterThan(Duration.ofDays(100).toNanos());
        Bucket shared = new RateBudgets(database, 1, Duration.ZERO, Clock.systemUTC()).bucket(BUDGET, "line");
        assertThat(shared.getAvailableTokens()).isBetween(-200L, -199L);
        a.destroy();
    }

    /** Every getConnection is one access to the shared row (Bucket4j's PostgreSQL proxy takes one per operation). */
    static final class CountingDataSource extends DelegatingDataSource {
        final AtomicInteger connections = new AtomicInteger();

        CountingDataSource(DataSource target) {
            super(target);
        }

        @Override
        public Connection getConnection() throws SQLException {
            connections.incrementAndGet();
            return super.getConnection();
        }
    }
}
