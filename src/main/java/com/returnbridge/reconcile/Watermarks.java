package com.returnbridge.reconcile;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** SQL for {@code reconcile_watermark}: how far each sweep of each connection has read. */
@Repository
public class Watermarks {

    private final JdbcClient jdbc;
    private final Clock clock;

    public Watermarks(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    public Optional<Instant> find(String connectionId, String source) {
        return jdbc.sql("SELECT watermark FROM reconcile_watermark WHERE connection_id = ? AND source = ?")
                .params(connectionId, source).query(OffsetDateTime.class).optional().map(OffsetDateTime::toInstant);
    }

    /** Moves the watermark forward only: a slower sweep finishing late never moves it back. */
    public void advance(String connectionId, String source, Instant to) {
        OffsetDateTime at = OffsetDateTime.ofInstant(to, ZoneOffset.UTC);
        OffsetDateTime now = OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
        int updated = jdbc.sql("""
                UPDATE reconcile_watermark SET watermark = ?, updated_at = ?
                WHERE connection_id = ? AND source = ? AND watermark < ?""")
                .params(at, now, connectionId, source, at).update();
        if (updated == 0 && find(connectionId, source).isEmpty()) {
            try {
                jdbc.sql("""
                        INSERT INTO reconcile_watermark (connection_id, source, watermark, updated_at)
                        SELECT ?, ?, ?, ? FROM (VALUES (1)) AS one(x)
                        WHERE NOT EXISTS (SELECT 1 FROM reconcile_watermark WHERE connection_id = ? AND source = ?)""")
                        .params(connectionId, source, at, now, connectionId, source).update();
            } catch (org.springframework.dao.DuplicateKeyException raced) {
                // a concurrent sweep (the scheduled one and one asked for) wrote the first row: move it forward
                jdbc.sql("""
                        UPDATE reconcile_watermark SET watermark = ?, updated_at = ?
                        WHERE connection_id = ? AND source = ? AND watermark < ?""")
                        .params(at, now, connectionId, source, at).update();
            }
        }
    }
}
