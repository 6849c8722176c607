package com.returnbridge.vendor;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every request Returnbridge sends to Loop or ShipHero and what came back, kept for the return page and the
 * connection page: the operator sees exactly what was asked and answered without reading logs.
 *
 * <p>Calls are attributed to the return whose job made them ({@link VendorCallContext}) and to the connection.
 * Rows are written by one background writer in batches, outside any job transaction: a job that rolls back still
 * leaves its calls on record, and the vendor call never waits for the database. The price is that a crash can lose
 * the last fraction of a second of this log (never any state: the log is for reading, nothing decides from it). A
 * full queue drops entries and counts them in {@code returnbridge.vendor.calls.unlogged}. Bodies are redacted
 * ({@link Redaction}) and shortened; headers are never kept.
 */
@Repository
public class VendorCallLog {

    private static final Logger log = LoggerFactory.getLogger(VendorCallLog.class);
    private static final int MAX_BODY = 8_000;
    private static final int BATCH = 500;

    /** One logged call. {@code status} is null when no answer came (timeout, connection lost). */
    public record Entry(long id, String connectionId, String loopReturnId, String job, String vendor,
                        String operation, String method, String url, String requestBody, Integer status,
                        String outcome, String answerBody, OffsetDateTime startedAt, long durationMs) {
        private static final Pattern GRAPHQL_ERRORS = Pattern.compile("\"errors\"\\s*:\\s*\\[\\s*\\{");

        /**
         * No answer, an HTTP error, a GraphQL error inside a 200, or a Loop return action answered with anything but
         * {@code "true"} (Loop refuses with HTTP 200 and an error body).
         */
        @JsonProperty("failed")
        public boolean failed() {
            if (status == null || status >= 400) {
                return true;
            }
            if (answerBody == null) {
                return false;
            }
            if ("shiphero".equals(vendor)) {
                return GRAPHQL_ERRORS.matcher(answerBody).find();
            }
            return "POST".equals(method) && url.contains("/warehouse/return/") && !"\"true\"".equals(answerBody.trim());
        }
    }

    private record Pending(String connectionId, String loopReturnId, String job, String vendor, String operation,
                           String method, String url, String requestBody, Integer status, String outcome,
                           String answerBody, Instant startedAt, long durationMs) {
    }

    private final JdbcClient jdbc;
    private final JdbcTemplate batch;
    private final JsonMapper json;
    private final Clock clock;
    private final Duration retention;
    private final Counter unlogged;
    private final BlockingQueue<Pending> queue = new ArrayBlockingQueue<>(20_000);
    private final ScheduledExecutorService writer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "vendor-call-log");
        t.setDaemon(true);
        return t;
    });
    private volatile Instant lastPrune = Instant.EPOCH;

    public VendorCallLog(JdbcClient jdbc, JdbcTemplate batch, JsonMapper json, Clock clock, MeterRegistry meters,
                         @Value("${returnbridge.vendor-calls.retention:P30D}") Duration retention) {
        this.jdbc = jdbc;
        this.batch = batch;
        this.json = json;
        this.clock = clock;
        this.retention = retention;
        this.unlogged = meters.counter("returnbridge.vendor.calls.unlogged");
        writer.scheduleWithFixedDelay(this::drain, 200, 200, TimeUnit.MILLISECONDS);
    }

    void record(VendorHttp.Call call, VendorHttp.Answer answer, String failure, long durationMs) {
        try {
            String returnId = VendorCallContext.returnId();
            String connectionId = call.connectionId() != null ? call.connectionId()
                    : VendorCallContext.connectionId();
            Pending pending = new Pending(connectionId, returnId, VendorCallContext.job(), call.vendor(),
                    call.operation(), call.method(), shorten(Redaction.url(call.url()), 1000), body(call.sent()),
                    answer == null ? null : answer.status(),
                    answer == null ? failure : String.valueOf(answer.status()),
                    answer == null ? null : shorten(Redaction.body(answer.body()), MAX_BODY),
                    clock.instant().minusMillis(durationMs), durationMs);
            if (!queue.offer(pending)) {
                unlogged.increment();
            }
        } catch (RuntimeException e) {
            // the log must never break the call it describes
            unlogged.increment();
            log.debug("vendor call not logged", e);
        }
    }

    private String body(Object sent) {
        if (sent == null) {
            return null;
        }
        String text = sent instanceof String s ? s : json.writeValueAsString(sent);
        return shorten(Redaction.body(text), MAX_BODY);
    }

    private static String shorten(String text, int max) {
        if (text == null || text.length() <= max) {
            return text;
        }
        return text.substring(0, max) + "… [" + (text.length() - max) + " more characters]";
    }

    /** Writes what is queued; the writer does this every 200 ms, tests and shutdown call it to see everything. */
    public synchronized void flush() {
        List<Pending> rows = new ArrayList<>();
        while (queue.drainTo(rows, BATCH) > 0) {
            write(rows);
            rows.clear();
        }
    }

    private void drain() {
        try {
            flush();
            pruneHourly();
        } catch (RuntimeException e) {
            log.warn("vendor call log: {}", e.toString());
        }
    }

    private void write(List<Pending> rows) {
        batch.batchUpdate("""
                INSERT INTO vendor_call (connection_id, loop_return_id, job, vendor, operation, method, url,
                                         request_body, status, outcome, answer_body, started_at, duration_ms)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""", rows, rows.size(), (ps, p) -> {
            ps.setString(1, p.connectionId());
            ps.setString(2, p.loopReturnId());
            ps.setString(3, p.job());
            ps.setString(4, p.vendor());
            ps.setString(5, p.operation());
            ps.setString(6, p.method());
            ps.setString(7, p.url());
            ps.setString(8, p.requestBody());
            if (p.status() == null) {
                ps.setNull(9, Types.INTEGER);
            } else {
                ps.setInt(9, p.status());
            }
            ps.setString(10, p.outcome() == null ? "?" : p.outcome());
            ps.setString(11, p.answerBody());
            ps.setObject(12, OffsetDateTime.ofInstant(p.startedAt(), ZoneOffset.UTC));
            ps.setLong(13, p.durationMs());
        });
    }

    private void pruneHourly() {
        Instant now = clock.instant();
        if (Duration.between(lastPrune, now).compareTo(Duration.ofHours(1)) < 0) {
            return;
        }
        lastPrune = now;
        int removed = jdbc.sql("DELETE FROM vendor_call WHERE started_at < ?")
                .param(OffsetDateTime.ofInstant(now.minus(retention), ZoneOffset.UTC)).update();
        if (removed > 0) {
            log.info("vendor call log: removed {} call(s) older than {}", removed, retention);
        }
    }

    @PreDestroy
    void stop() {
        writer.shutdown();
        try {
            writer.awaitTermination(5, TimeUnit.SECONDS);
            flush();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.warn("vendor call log: last entries not written: {}", e.toString());
        }
    }

    // ---------------------------------------------------------------- reading

    private static final String COLUMNS = """
            id, connection_id, loop_return_id, job, vendor, operation, method, url, request_body, status, outcome,
            answer_body, started_at, duration_ms""";

    /** The calls made for one return, oldest first (the newest {@code limit}). */
    public List<Entry> forReturn(String connectionId, String loopReturnId, int limit) {
        List<Entry> newest = jdbc.sql("SELECT " + COLUMNS + " " + """
                 FROM vendor_call WHERE connection_id = ? AND loop_return_id = ?
                 ORDER BY id DESC FETCH FIRST ? ROWS ONLY""")
                .params(connectionId, loopReturnId, limit).query(Entry.class).list();
        List<Entry> oldestFirst = new ArrayList<>(newest);
        Collections.reverse(oldestFirst);
        return oldestFirst;
    }

    /** The connection's latest calls, newest first; {@code failedOnly} keeps errors, refusals and lost answers. */
    public List<Entry> recent(String connectionId, boolean failedOnly, int limit) {
        return jdbc.sql("SELECT " + COLUMNS + " " + """
                 FROM vendor_call WHERE connection_id = :c
                  AND (:failed = FALSE OR status IS NULL OR status >= 400 OR answer_body NOT LIKE '"true"%')
                 ORDER BY id DESC FETCH FIRST :limit ROWS ONLY""")
                .param("c", connectionId).param("failed", failedOnly).param("limit", limit)
                // list(), not stream(): a query's stream holds its connection until closed
                .query(Entry.class).list().stream().filter(e -> !failedOnly || e.failed()).toList();
    }
}
