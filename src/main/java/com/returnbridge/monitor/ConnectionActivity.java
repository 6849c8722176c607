package com.returnbridge.monitor;

import com.returnbridge.bridge.LinkState;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;
import java.util.EnumMap;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Read-only SQL counting a connection's activity, for the health indicator, the webhook badge and the overview. */
@Repository
public class ConnectionActivity {

    private final JdbcClient jdbc;
    private final Clock clock;

    public ConnectionActivity(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    public ConnectionCounts counts(String connectionId) {
        LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
        OffsetDateTime dayStart = today.atStartOfDay().atOffset(ZoneOffset.UTC);
        OffsetDateTime weekStart = today.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)).atStartOfDay()
                .atOffset(ZoneOffset.UTC);
        return new ConnectionCounts(connectionId, byState(connectionId, dayStart), byState(connectionId, weekStart),
                byState(connectionId, null),
                count("SELECT COUNT(*) FROM delivery WHERE connection_id = ? AND source = 'LOOP'", connectionId),
                count("SELECT COUNT(*) FROM delivery WHERE connection_id = ? AND source = 'SHIPHERO'", connectionId),
                count("SELECT COUNT(*) FROM delivery WHERE connection_id = ? AND outcome = 'IGNORED'", connectionId),
                count("SELECT COALESCE(SUM(duplicates), 0) FROM delivery WHERE connection_id = ?", connectionId),
                count("""
                        SELECT COUNT(*) FROM scheduled_tasks t JOIN return_link l
                          ON t.task_instance = CAST(l.id AS VARCHAR(30))
                         WHERE l.connection_id = ? AND t.task_name IN ('create-rma', 'apply-status')""", connectionId),
                count("""
                        SELECT COUNT(*) FROM scheduled_tasks t JOIN return_link l
                          ON t.task_instance = CAST(l.id AS VARCHAR(30))
                         WHERE l.connection_id = ? AND t.task_name IN ('create-rma', 'apply-status')
                           AND (l.attempts > 0 OR COALESCE(t.consecutive_failures, 0) > 0)""", connectionId),
                lastDelivery(connectionId, "LOOP"), lastDelivery(connectionId, "SHIPHERO"),
                count("SELECT COUNT(*) FROM return_link WHERE connection_id = ? AND state IN ('RMA_CREATED', 'FLAGGED')",
                        connectionId),
                jdbc.sql("""
                        SELECT MIN(created_at) FROM return_link
                         WHERE connection_id = ? AND state IN ('RMA_CREATED', 'FLAGGED')""")
                        .param(connectionId).query(OffsetDateTime.class).optional().orElse(null));
    }

    private Map<LinkState, Long> byState(String connectionId, OffsetDateTime since) {
        Map<LinkState, Long> out = new EnumMap<>(LinkState.class);
        jdbc.sql("""
                SELECT state, COUNT(*) FROM return_link
                 WHERE connection_id = :c AND (CAST(:since AS TIMESTAMP WITH TIME ZONE) IS NULL OR created_at >= :since)
                 GROUP BY state""")
                .param("c", connectionId).param("since", since)
                .query((rs, n) -> Map.entry(LinkState.valueOf(rs.getString(1)), rs.getLong(2))).list()
                .forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    private long count(String sql, String connectionId) {
        Long value = jdbc.sql(sql).param(connectionId).query(Long.class).single();
        return value == null ? 0 : value;
    }

    private OffsetDateTime lastDelivery(String connectionId, String source) {
        return jdbc.sql("SELECT MAX(received_at) FROM delivery WHERE connection_id = ? AND source = ?")
                .params(connectionId, source).query(OffsetDateTime.class).optional().orElse(null);
    }
}
