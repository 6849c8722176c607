package com.returnbridge.intake;

import static org.assertj.core.api.Assertions.assertThat;

import com.returnbridge.support.PostgresServer;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * On PostgreSQL an inbox commit on one instance wakes the router of another: here two notifiers on one real server
 * stand for two instances, one writing, one listening. A rolled-back write wakes nobody.
 */
class InboxNotifierPostgresTest {

    private static PostgresServer server;
    private static HikariDataSource writerPool;
    private static HikariDataSource listenerPool;

    @BeforeAll
    static void start() throws Exception {
        server = PostgresServer.start(List.of(), "notify");
        writerPool = pool();
        listenerPool = pool();
    }

    private static HikariDataSource pool() {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(server.jdbcUrl("notify"));
        config.setUsername("postgres");
        config.setMaximumPoolSize(2);
        return new HikariDataSource(config);
    }

    @AfterAll
    static void stop() throws Exception {
        listenerPool.close();
        writerPool.close();
        server.close();
    }

    @Test
    void aCommitOnOneInstanceWakesTheOthersRouterAndARollbackDoesNot() throws Exception {
        InboxSignal otherInstance = new InboxSignal();
        InboxNotifier listening = new InboxNotifier(listenerPool, otherInstance);
        InboxNotifier writing = new InboxNotifier(writerPool, new InboxSignal());
        JdbcTemplate jdbc = new JdbcTemplate(writerPool);
        TransactionTemplate tx = new TransactionTemplate(new DataSourceTransactionManager(writerPool));
        listening.start();
        try {
            // the listener is up once a notification sent now reaches it
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> {
                tx.executeWithoutResult(s -> writing.notifyOnCommit(jdbc));
                return otherInstance.await(Duration.ofMillis(200));
            });
            while (otherInstance.await(Duration.ZERO)) {
                // drop wake-ups of the retries above
            }

            tx.executeWithoutResult(s -> {
                writing.notifyOnCommit(jdbc);
                s.setRollbackOnly();
            });
            assertThat(otherInstance.await(Duration.ofMillis(1500))).as("woken by a rolled-back write").isFalse();

            tx.executeWithoutResult(s -> writing.notifyOnCommit(jdbc));
            assertThat(otherInstance.await(Duration.ofSeconds(5))).as("woken by a committed write").isTrue();
        } finally {
            listening.stop();
        }
    }
}
