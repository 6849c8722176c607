package com.returnbridge.intake;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.BatchPreparedStatementSetter;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The intake's one durable write: a delivery appended to the inbox (the {@code delivery} table), with group commit.
 * Request threads hand their row to one writer thread and wait; the writer collects the rows that arrive together
 * (those that came while the previous commit was being flushed, and for {@code groupCommitWindow} after the first),
 * inserts them in one transaction with one batch, commits once, and only then releases every waiting request. A
 * copy of a delivery already stored is not inserted (the unique key on connection, source and dedupe key; the insert
 * itself checks) and is answered as a duplicate. A batch that fails is written again one row at a time, so one bad
 * row fails only its own request (answered 5xx, which the vendor retries) and the others are still stored.
 */
@Component
class InboxWriter implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(InboxWriter.class);

    /** Stops after the web server (whose requests it answers) and starts before it. */
    static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

    private static final String INSERT = """
            INSERT INTO delivery (connection_id, source, dedupe_key, topic, subject_id, received_at, headers, body,
                                  outcome, unreadable_reason, body_encoding)
            SELECT CAST(? AS VARCHAR(100)), CAST(? AS VARCHAR(20)), CAST(? AS VARCHAR(200)), CAST(? AS VARCHAR(100)),
                   CAST(? AS VARCHAR(200)), CAST(? AS TIMESTAMP WITH TIME ZONE), CAST(? AS VARCHAR), CAST(? AS VARCHAR),
                   CAST(? AS VARCHAR(30)), CAST(? AS VARCHAR(300)), CAST(? AS VARCHAR(10))
             WHERE NOT EXISTS (SELECT 1 FROM delivery WHERE connection_id = ? AND source = ? AND dedupe_key = ?)""";

    private static final String COUNT_DUPLICATE = """
            UPDATE delivery SET duplicates = duplicates + 1 WHERE connection_id = ? AND source = ? AND dedupe_key = ?""";

    /** One delivery as it is stored: {@code body} as text, base64 when {@code encoding} says so. */
    record Entry(String connectionId, Deliveries.Source source, String dedupeKey, String topic, String subjectId,
                 String headers, String body, String encoding, String outcome, String unreadableReason) {
    }

    private record Pending(Entry entry, OffsetDateTime receivedAt, CompletableFuture<Boolean> stored) {
    }

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final InboxProperties properties;
    private final InboxSignal signal;
    private final InboxNotifier notifier;
    private final DistributionSummary batchSizes;
    private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private volatile boolean running;
    private Thread thread;

    InboxWriter(JdbcTemplate jdbc, TransactionTemplate tx, Clock clock, InboxProperties properties,
                InboxSignal signal, InboxNotifier notifier, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.clock = clock;
        this.properties = properties;
        this.signal = signal;
        this.notifier = notifier;
        this.batchSizes = DistributionSummary.builder("returnbridge.intake.commit.batch")
                .description("deliveries stored per inbox commit (its count is the number of commits)")
                .register(meters);
    }

    /**
     * Stores the delivery and returns once it is committed: true when stored, false when a copy was already stored
     * (counted on that copy). Throws when it could not be stored; nothing of it is then kept.
     */
    boolean append(Entry entry) {
        Pending pending = new Pending(entry, OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC),
                new CompletableFuture<>());
        if (!running) {
            write(List.of(pending));
        } else {
            queue.add(pending);
            if (!running && queue.remove(pending)) {
                write(List.of(pending));
            }
        }
        try {
            return pending.stored().join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    private void run() {
        List<Pending> batch = new ArrayList<>();
        long window = properties.groupCommitWindow().toNanos();
        int max = Math.max(1, properties.groupCommitMax());
        while (running || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                long deadline = System.nanoTime() + window;
                while (batch.size() < max) {
                    long left = deadline - System.nanoTime();
                    Pending next = left > 0 ? queue.poll(left, TimeUnit.NANOSECONDS) : queue.poll();
                    if (next == null) {
                        break;
                    }
                    batch.add(next);
                }
                write(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                write(batch);
                break;
            } catch (RuntimeException | Error e) {
                batch.forEach(p -> p.stored().completeExceptionally(e));
                log.error("inbox writer: {}", e.toString());
            } finally {
                batch.clear();
            }
        }
    }

    private void write(List<Pending> batch) {
        if (batch.isEmpty()) {
            return;
        }
        try {
            boolean[] stored = tx.execute(s -> insert(batch));
            batchSizes.record(batch.size());
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).stored().complete(stored[i]);
            }
        } catch (RuntimeException e) {
            if (batch.size() == 1) {
                writeAlone(batch.get(0), e);
            } else {
                log.warn("inbox: a commit of {} deliveries failed ({}); storing them one by one", batch.size(),
                        e.toString());
                batch.forEach(p -> {
                    try {
                        boolean stored = tx.execute(s -> insert(List.of(p)))[0];
                        batchSizes.record(1);
                        p.stored().complete(stored);
                    } catch (RuntimeException alone) {
                        writeAlone(p, alone);
                    }
                });
            }
        }
        signal.raise();
    }

    /** A row that failed on its own: a copy stored by another instance meanwhile is a duplicate, else its failure. */
    private void writeAlone(Pending p, RuntimeException failure) {
        if (failure instanceof DuplicateKeyException) {
            try {
                tx.executeWithoutResult(s -> jdbc.update(COUNT_DUPLICATE, p.entry().connectionId(),
                        p.entry().source().name(), p.entry().dedupeKey()));
                p.stored().complete(false);
                return;
            } catch (RuntimeException e) {
                failure = e;
            }
        }
        p.stored().completeExceptionally(failure);
    }

    /** In the caller's transaction: one batch of inserts, then one of duplicate counts when there were copies. */
    private boolean[] insert(List<Pending> batch) {
        int[] counts = jdbc.batchUpdate(INSERT, new BatchPreparedStatementSetter() {
            @Override
            public void setValues(PreparedStatement ps, int i) throws SQLException {
                Pending p = batch.get(i);
                Entry e = p.entry();
                ps.setString(1, e.connectionId());
                ps.setString(2, e.source().name());
                ps.setString(3, e.dedupeKey());
                ps.setString(4, e.topic());
                ps.setString(5, e.subjectId());
                ps.setObject(6, p.receivedAt());
                ps.setString(7, e.headers());
                ps.setString(8, e.body());
                ps.setString(9, e.outcome());
                ps.setString(10, e.unreadableReason());
                ps.setString(11, e.encoding());
                ps.setString(12, e.connectionId());
                ps.setString(13, e.source().name());
                ps.setString(14, e.dedupeKey());
            }

            @Override
            public int getBatchSize() {
                return batch.size();
            }
        });
        boolean[] stored = new boolean[batch.size()];
        List<Object[]> copies = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            // 0: the copy already there; a driver that cannot tell (SUCCESS_NO_INFO) did insert
            stored[i] = counts[i] != 0;
            if (!stored[i]) {
                Entry e = batch.get(i).entry();
                copies.add(new Object[] {e.connectionId(), e.source().name(), e.dedupeKey()});
            }
        }
        if (!copies.isEmpty()) {
            jdbc.batchUpdate(COUNT_DUPLICATE, copies);
        }
        if (copies.size() < batch.size()) {
            notifier.notifyOnCommit(jdbc);
        }
        return stored;
    }

    @Override
    public void start() {
        running = true;
        thread = new Thread(this::run, "inbox-writer");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void stop() {
        running = false;
        if (thread != null) {
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        List<Pending> left = new ArrayList<>();
        queue.drainTo(left);
        write(left);
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
