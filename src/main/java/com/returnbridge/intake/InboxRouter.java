package com.returnbridge.intake;

import static com.returnbridge.bridge.TimelineKind.DELIVERY_UNREADABLE;

import com.returnbridge.bridge.InvalidPayloadException;
import com.returnbridge.bridge.RacingTransactions;
import com.returnbridge.bridge.Timeline;
import com.returnbridge.connection.Connection;
import com.returnbridge.connection.Connections;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Everything a delivery does after it is stored and answered: the router takes the inbox's unrouted rows in arrival
 * order, a batch at a time split by subject over {@code routerThreads} transactions, and hands each to {@link Dispatch} (links, timeline, jobs), or writes the timeline
 * entry of one stored as unreadable. It is woken by the writer after every commit; it also looks every
 * {@code routerPoll} for rows nobody told it about (another instance stored them and died before routing them).
 * Each row is claimed by setting {@code routed_at} only where it is still unset, so two instances never route one
 * row twice. A batch that fails is routed again one row at a time; a row that fails on its own is kept, marked
 * UNREADABLE with the reason (listed, alerted, replayable), and the others go on. One class (over 300 lines) because
 * the loop, the claim, the fallback and the backlog gauges all apply one rule, "routed_at unset means not routed".
 */
@Component
class InboxRouter implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(InboxRouter.class);

    /** An inbox row as the router needs it. */
    record Row(long id, String connectionId, String source, String dedupeKey, String topic, String subjectId,
               OffsetDateTime receivedAt, String headers, String body, String outcome, int duplicates,
               String unreadableReason) {

        Deliveries.Delivery delivery() {
            return new Deliveries.Delivery(id, connectionId, source, dedupeKey, topic, subjectId, receivedAt, headers,
                    body, outcome, duplicates);
        }
    }

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final InboxProperties properties;
    private final InboxSignal signal;
    private final Dispatch dispatch;
    private final Connections connections;
    private final Timeline timeline;
    private final InboxRetention retention;
    private final Counter routed;
    private volatile boolean running;
    private volatile boolean paused;
    private Thread thread;
    private ExecutorService workers;

    InboxRouter(JdbcClient jdbc, TransactionTemplate tx, Clock clock, InboxProperties properties, InboxSignal signal,
                Dispatch dispatch, Connections connections, Timeline timeline, InboxRetention retention,
                MeterRegistry meters) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.clock = clock;
        this.properties = properties;
        this.signal = signal;
        this.dispatch = dispatch;
        this.connections = connections;
        this.timeline = timeline;
        this.retention = retention;
        this.routed = Counter.builder("returnbridge.intake.routed").description("inbox rows routed")
                .register(meters);
        Gauge.builder("returnbridge.intake.inbox.backlog", this, r -> r.backlog().orElse(Double.NaN))
                .description("deliveries stored and answered but not yet routed").register(meters);
        Gauge.builder("returnbridge.intake.inbox.oldest.age", this, r -> r.oldestAgeSeconds().orElse(Double.NaN))
                .description("seconds since the oldest unrouted delivery was received (0 when none)")
                .baseUnit("seconds").register(meters);
    }

    // ---------------------------------------------------------------- the loop

    private void run() {
        while (running) {
            try {
                signal.await(properties.routerPoll());
                if (!running || paused) {
                    continue;
                }
                drain();
                retention.pruneHourly();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                // the database is away: the rows stay in the inbox and the next wake or poll tries again
                log.warn("inbox router: {}", e.toString());
            }
        }
    }

    /** Routes until the inbox is empty, or until a pass makes no progress (the next wake or poll goes on). */
    void drain() {
        while (running && !paused) {
            List<Row> rows = jdbc.sql("""
                    SELECT id, connection_id AS connectionId, source, dedupe_key AS dedupeKey, topic,
                           subject_id AS subjectId, received_at AS receivedAt, headers, body, outcome, duplicates,
                           unreadable_reason AS unreadableReason
                      FROM delivery WHERE routed_at IS NULL ORDER BY id FETCH FIRST ? ROWS ONLY""")
                    .param(Math.max(1, properties.routerBatch())).query(Row.class).list();
            if (rows.isEmpty() || routeInParallel(rows) == 0) {
                return;
            }
        }
    }

    /**
     * The rows split by subject (connection, source, subject id), each part routed in its own transaction on its own
     * thread, so one subject's rows keep their order and different returns do not wait for each other.
     */
    private int routeInParallel(List<Row> rows) {
        int threads = Math.max(1, properties.routerThreads());
        if (threads == 1 || rows.size() == 1) {
            return route(rows);
        }
        List<List<Row>> parts = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            parts.add(new ArrayList<>());
        }
        for (Row row : rows) {
            int hash = Objects.hash(row.connectionId(), row.source(), row.subjectId());
            parts.get(Math.floorMod(hash, threads)).add(row);
        }
        List<Future<Integer>> done = new ArrayList<>();
        for (List<Row> part : parts) {
            if (!part.isEmpty()) {
                done.add(workers.submit(() -> route(part)));
            }
        }
        int total = 0;
        for (Future<Integer> f : done) {
            try {
                total += f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return total;
            } catch (ExecutionException e) {
                log.warn("inbox router: {}", e.getCause().toString());
            }
        }
        return total;
    }

    /** The number of rows this call routed or marked. */
    private int route(List<Row> rows) {
        try {
            int done = tx.execute(s -> {
                int n = 0;
                for (Row row : rows) {
                    n += routeOne(row) ? 1 : 0;
                }
                return n;
            });
            routed.increment(done);
            return Math.max(done, 1);
        } catch (RuntimeException batchFailure) {
            if (rows.size() > 1) {
                log.info("inbox router: a batch of {} failed ({}); routing them one by one", rows.size(),
                        batchFailure.toString());
            }
        }
        int done = 0;
        for (Row row : rows) {
            try {
                if (RacingTransactions.run(tx, () -> routeOne(row))) {
                    routed.increment();
                }
                done++;
            } catch (RuntimeException e) {
                done += markFailed(row, e) ? 1 : 0;
            }
        }
        return done;
    }

    /** In the caller's transaction: claims the row, then does what it means. False when another router had it. */
    private boolean routeOne(Row row) {
        int claimed = jdbc.sql("UPDATE delivery SET routed_at = ? WHERE id = ? AND routed_at IS NULL")
                .params(now(), row.id()).update();
        if (claimed == 0) {
            return false;
        }
        Deliveries.Source source = Deliveries.Source.valueOf(row.source());
        if (Deliveries.UNREADABLE.equals(row.outcome())) {
            timeline.record(null, row.connectionId(), null, DELIVERY_UNREADABLE, vendor(source) + " delivery #"
                    + row.id() + " could not be read: " + Deliveries.oneLine(row.unreadableReason())
                    + "; stored, replay it once a fix or an upgrade can read it");
            return true;
        }
        Optional<Connection> connection = connections.find(row.connectionId());
        if (connection.isEmpty()) {
            log.info("inbox router: delivery #{} is for connection '{}', which is gone; left as stored", row.id(),
                    Rejections.abbreviate(row.connectionId()));
            return true;
        }
        byte[] body = row.body().getBytes(StandardCharsets.UTF_8);
        if (source == Deliveries.Source.LOOP) {
            dispatch.loop(connection.get(), dispatch.readStoredLoop(row.delivery(), body));
        } else {
            dispatch.shipHero(connection.get(), dispatch.readShipHero(body), false);
        }
        return true;
    }

    /**
     * A row that cannot be routed even on its own (a bug, or a body an upgrade reads differently): kept as UNREADABLE
     * with the reason, so it is listed, alerted and replayable, and the inbox goes on. False when even that failed.
     */
    private boolean markFailed(Row row, RuntimeException failure) {
        String reason = failure instanceof InvalidPayloadException ? failure.getMessage()
                : "could not be handled: " + failure;
        try {
            tx.executeWithoutResult(s -> {
                int claimed = jdbc.sql("""
                        UPDATE delivery SET routed_at = ?, outcome = ?, unreadable_reason = ?
                         WHERE id = ? AND routed_at IS NULL""")
                        .params(now(), Deliveries.UNREADABLE, Deliveries.oneLine(reason), row.id()).update();
                if (claimed > 0) {
                    timeline.record(null, row.connectionId(), null, DELIVERY_UNREADABLE,
                            vendor(Deliveries.Source.valueOf(row.source())) + " delivery #" + row.id()
                                    + " could not be read: " + Deliveries.oneLine(reason)
                                    + "; stored, replay it once a fix or an upgrade can read it");
                }
            });
            log.warn("inbox router: delivery #{} for connection '{}' marked UNREADABLE: {}", row.id(),
                    Rejections.abbreviate(row.connectionId()), Deliveries.oneLine(reason));
            return true;
        } catch (RuntimeException e) {
            log.warn("inbox router: delivery #{} could not be routed ({}) nor marked ({}); trying again later",
                    row.id(), failure.toString(), e.toString());
            return false;
        }
    }

    // ---------------------------------------------------------------- backlog

    Optional<Double> backlog() {
        try {
            return Optional.of(jdbc.sql("SELECT COUNT(*) FROM delivery WHERE routed_at IS NULL").query(Long.class)
                    .single().doubleValue());
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    Optional<Double> oldestAgeSeconds() {
        try {
            Optional<OffsetDateTime> oldest = jdbc.sql("SELECT MIN(received_at) FROM delivery WHERE routed_at IS NULL")
                    .query(OffsetDateTime.class).optional();
            return Optional.of(oldest.map(t -> Math.max(0, Duration.between(t.toInstant(), clock.instant())
                    .toMillis() / 1000.0)).orElse(0.0));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    // ---------------------------------------------------------------- lifecycle (tests pause it)

    /** Stops routing (rows stay in the inbox, answered) until {@link #resume()}. */
    void pause() {
        paused = true;
    }

    void resume() {
        paused = false;
        signal.raise();
    }

    @Override
    public void start() {
        running = true;
        AtomicInteger n = new AtomicInteger();
        workers = Executors.newFixedThreadPool(Math.max(1, properties.routerThreads()), r -> {
            Thread t = new Thread(r, "inbox-router-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        thread = new Thread(this::run, "inbox-router");
        thread.setDaemon(true);
        thread.start();
        signal.raise(); // rows left unrouted by the last run
    }

    @Override
    public void stop() {
        running = false;
        signal.raise();
        if (thread != null) {
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (workers != null) {
            workers.shutdown();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return InboxWriter.PHASE;
    }

    private OffsetDateTime now() {
        return OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
    }

    private static String vendor(Deliveries.Source source) {
        return source == Deliveries.Source.LOOP ? "Loop" : "ShipHero";
    }
}
