package com.returnbridge.intake;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * On PostgreSQL the inbox's commits wake the router of every instance, not only the one that answered: the writer's
 * transaction sends {@code NOTIFY returnbridge_inbox} (PostgreSQL delivers it when, and only if, that transaction
 * commits), and each instance listens on one connection of its pool. So the rows of an instance that died after
 * answering are routed by another at once rather than at its next poll, and instances share routing work as it
 * arrives. On H2 (one instance) nothing is sent and the writer's own wake-up is enough. The poll stays as the net
 * for a lost listening connection.
 */
@Component
class InboxNotifier implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(InboxNotifier.class);
    static final String CHANNEL = "returnbridge_inbox";

    private final DataSource dataSource;
    private final InboxSignal signal;
    private final boolean postgres;
    private volatile boolean running;
    private Thread thread;

    InboxNotifier(DataSource dataSource, InboxSignal signal) {
        this.dataSource = dataSource;
        this.signal = signal;
        this.postgres = com.returnbridge.database.DatabaseKind.isPostgres(dataSource);
    }

    /** In the caller's transaction: every instance's router is woken once it commits. */
    void notifyOnCommit(JdbcTemplate jdbc) {
        if (postgres) {
            jdbc.execute("NOTIFY " + CHANNEL);
        }
    }

    private void listen() {
        while (running) {
            try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
                c.setAutoCommit(true);
                s.execute("LISTEN " + CHANNEL);
                PGConnection pg = c.unwrap(PGConnection.class);
                while (running) {
                    PGNotification[] notes = pg.getNotifications(1000);
                    if (notes != null && notes.length > 0) {
                        signal.raise();
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (!running) {
                    return;
                }
                // the router's poll covers the gap; try again in a moment
                log.warn("inbox notifications: {}; listening again in 1 s", e.toString());
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    @Override
    public void start() {
        running = true;
        if (postgres) {
            thread = new Thread(this::listen, "inbox-notifications");
            thread.setDaemon(true);
            thread.start();
        }
    }

    @Override
    public void stop() {
        running = false;
        if (thread != null) {
            try {
                thread.join(3000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Starts before the writer and the router, stops after them. */
    @Override
    public int getPhase() {
        return InboxWriter.PHASE - 1;
    }
}
