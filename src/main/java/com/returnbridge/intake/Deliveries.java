package com.returnbridge.intake;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** SQL for {@code delivery}: every accepted webhook, verbatim, unique per (connection, source, dedupe key). */
@Repository
public class Deliveries {

    public enum Source { LOOP, SHIPHERO }

    public record Delivery(long id, String connectionId, String source, String dedupeKey, String topic,
                           String subjectId, OffsetDateTime receivedAt, String headers, String body, String outcome,
                           int duplicates) {
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

    public void countDuplicate(long id) {
        jdbc.sql("UPDATE delivery SET duplicates = duplicates + 1 WHERE id = ?").param(id).update();
    }

    public long insert(String connectionId, Source source, String dedupeKey, String topic, String subjectId,
                       String headers, String body, String outcome) {
        var keys = new org.springframework.jdbc.support.GeneratedKeyHolder();
        jdbc.sql("""
                INSERT INTO delivery (connection_id, source, dedupe_key, topic, subject_id, received_at, headers, body,
                                      outcome)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(connectionId, source.name(), dedupeKey, topic, subjectId,
                        OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC), headers, body, outcome)
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
}
