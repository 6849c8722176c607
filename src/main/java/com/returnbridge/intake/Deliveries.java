package com.returnbridge.intake;

import com.returnbridge.bridge.RmaNotOurs;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * SQL for {@code delivery}: every accepted webhook, verbatim, unique per (connection, source, dedupe key). It is also
 * the intake's inbox: webhooks are appended by {@link InboxWriter} with {@code routed_at} unset, and routed later by
 * {@link InboxRouter}; a return read back from Loop's API is inserted here already routed.
 */
@Repository
public class Deliveries {

    public enum Source { LOOP, SHIPHERO }

    public record Delivery(long id, String connectionId, String source, String dedupeKey, String topic,
                           String subjectId, OffsetDateTime receivedAt, String headers, String body, String outcome,
                           int duplicates) {
    }

    /** The outcome of a signed delivery we could not read (stored, answered 2xx, shown, replayable). */
    public static final String UNREADABLE = "UNREADABLE";

    /** {@code body_encoding} of a body kept base64-encoded. */
    public static final String BASE64 = "base64";

    /** Longest reason kept (the column holds 300). */
    static final int MAX_REASON = 300;

    /** A delivery stored as UNREADABLE, for the console: the body is fetched on its own. */
    public record Unreadable(long id, String connectionId, String source, String topic, String subjectId,
                             OffsetDateTime receivedAt, String reason, int duplicates) {
    }

    private final JdbcClient jdbc;
    private final Clock clock;

    public Deliveries(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    public Optional<Long> find(String connectionId, Source source, String dedupeKey) {
        return jdbc.sql("SELECT id FROM delivery WHERE connection_id = ? AND source = ? AND dedupe_key = ?")
                .params(connectionId, source.name(), dedupeKey).query(Long.class).optional();
    }

    /** Marks the ShipHero deliveries about an RMA that turned out not to be ours, for the delivery log. */
    @EventListener
    public void markNotOurs(RmaNotOurs rma) {
        jdbc.sql("""
                UPDATE delivery SET outcome = 'IGNORED_NOT_OURS'
                WHERE connection_id = ? AND source = 'SHIPHERO' AND subject_id = ?""")
                .params(rma.connectionId(), rma.rmaId()).update();
    }

    public void countDuplicate(long id) {
        jdbc.sql("UPDATE delivery SET duplicates = duplicates + 1 WHERE id = ?").param(id).update();
    }

    public long insert(String connectionId, Source source, String dedupeKey, String topic, String subjectId,
                       String headers, String body, String outcome) {
        var keys = new org.springframework.jdbc.support.GeneratedKeyHolder();
        jdbc.sql("""
                INSERT INTO delivery (connection_id, source, dedupe_key, topic, subject_id, received_at, headers, body,
                                      outcome, routed_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(connectionId, source.name(), dedupeKey, topic, subjectId,
                        OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC), headers, body, outcome,
                        OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC))
                .update(keys, "id");
        return keys.getKey().longValue();
    }

    public Optional<Delivery> get(long id) {
        return jdbc.sql("""
                SELECT id, connection_id, source, dedupe_key, topic, subject_id, received_at, headers, body, outcome,
                       duplicates FROM delivery WHERE id = ?""")
                .param(id).query(Delivery.class).optional();
    }

    public long count(String connectionId, Source source) {
        return jdbc.sql("SELECT COUNT(*) FROM delivery WHERE connection_id = ? AND source = ?")
                .params(connectionId, source.name()).query(Long.class).single();
    }

    /** The bytes as received. */
    public byte[] bodyBytes(Delivery delivery) {
        String encoding = jdbc.sql("SELECT body_encoding FROM delivery WHERE id = ?").param(delivery.id())
                .query(String.class).optional().orElse(null);
        return BASE64.equals(encoding) ? java.util.Base64.getDecoder().decode(delivery.body())
                : delivery.body().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Replayed and still unreadable: the reason of the current code. */
    public void markUnreadable(long id, String reason) {
        jdbc.sql("UPDATE delivery SET outcome = ?, unreadable_reason = ? WHERE id = ?")
                .params(UNREADABLE, oneLine(reason), id).update();
    }

    /** Replayed and read now: what it turned out to be, so it shows on its return's page. */
    public void markRead(long id, String outcome, String topic, String subjectId) {
        jdbc.sql("UPDATE delivery SET outcome = ?, unreadable_reason = NULL, topic = ?, subject_id = ? WHERE id = ?")
                .params(outcome, topic, subjectId, id).update();
    }

    public Optional<String> unreadableReason(long id) {
        return jdbc.sql("SELECT unreadable_reason FROM delivery WHERE id = ?").param(id).query(String.class)
                .optional();
    }

    public long countUnreadable(String connectionId) {
        return jdbc.sql("SELECT COUNT(*) FROM delivery WHERE connection_id = ? AND outcome = ?")
                .params(connectionId, UNREADABLE).query(Long.class).single();
    }

    /** This connection's unreadable deliveries, newest first. */
    public List<Unreadable> unreadable(String connectionId, int limit) {
        return jdbc.sql("""
                SELECT id, connection_id, source, topic, subject_id, received_at, unreadable_reason AS reason,
                       duplicates FROM delivery WHERE connection_id = ? AND outcome = ?
                 ORDER BY id DESC FETCH FIRST ? ROWS ONLY""")
                .params(connectionId, UNREADABLE, limit).query(Unreadable.class).list();
    }

    /** Oldest first, from {@code afterId} on: the bulk replay walks them in arrival order. */
    public List<Long> unreadableIds(String connectionId, long afterId, int limit) {
        return jdbc.sql("""
                SELECT id FROM delivery WHERE connection_id = ? AND outcome = ? AND id > ?
                 ORDER BY id FETCH FIRST ? ROWS ONLY""")
                .params(connectionId, UNREADABLE, afterId, limit).query(Long.class).list();
    }

    /** Printable, one line, bounded. */
    static String oneLine(String reason) {
        String clean = reason == null ? "unreadable" : reason.replaceAll("[\\p{Cntrl}]", " ").strip();
        return clean.length() <= MAX_REASON ? clean : clean.substring(0, MAX_REASON - 1) + "…";
    }
}
