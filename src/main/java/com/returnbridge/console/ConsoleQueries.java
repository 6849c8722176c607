package com.returnbridge.console;

import com.returnbridge.bridge.LinkState;
import com.returnbridge.bridge.ReturnLink;
import com.returnbridge.connection.Connection;
import com.returnbridge.connection.StatusPolicy;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Read-only SQL for the console and the admin API: counts, search, deliveries, statuses seen. */
@Repository
public class ConsoleQueries {

    private static final String LINK_COLUMNS = """
            id, connection_id, loop_return_id, state, loop_state, loop_return AS loop_return_json, order_name,
            shiphero_order_id, shiphero_return_id, shiphero_legacy_id, last_status, last_decision, attention_reason,
            attempts, hint_seq, created_at, updated_at""";
    private static final Pattern QUOTED_STATUS = Pattern.compile("ShipHero status '([^']*)'");

    /** Filters of the returns list; null or blank means "any". Dates are UTC days, inclusive. */
    public record ReturnFilter(String connection, LinkState state, LocalDate from, LocalDate to, boolean unmapped,
                               String q) {
    }

    public record Page<T>(List<T> items, int page, int size, long total) {
        public int pages() {
            return (int) Math.max(1, (total + size - 1) / size);
        }

        public boolean hasNext() {
            return page + 1 < pages();
        }

        public boolean hasPrevious() {
            return page > 0;
        }
    }

    public record DeliveryRow(long id, String connectionId, String source, String topic, String subjectId,
                              OffsetDateTime receivedAt, String outcome, int duplicates, String body) {
    }

    public record ConnectionCounts(String connectionId, Map<LinkState, Long> today, Map<LinkState, Long> week,
                                   Map<LinkState, Long> total, long deliveriesLoop, long deliveriesShipHero,
                                   long deliveriesIgnored, long duplicates, long jobsWaiting, long jobsRetrying,
                                   OffsetDateTime lastLoopDelivery, OffsetDateTime lastShipHeroDelivery,
                                   long awaitingWarehouse, OffsetDateTime oldestAwaitingSince) {
        public long today(String state) {
            return today.getOrDefault(LinkState.valueOf(state), 0L);
        }

        public long week(String state) {
            return week.getOrDefault(LinkState.valueOf(state), 0L);
        }

        public long total(String state) {
            return total.getOrDefault(LinkState.valueOf(state), 0L);
        }

        public long todayAll() {
            return today.values().stream().mapToLong(Long::longValue).sum();
        }

        public long weekAll() {
            return week.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private final JdbcClient jdbc;
    private final Clock clock;

    public ConsoleQueries(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    // ---------------------------------------------------------------- overview

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

    public long countByState(LinkState state) {
        return jdbc.sql("SELECT COUNT(*) FROM return_link WHERE state = ?").param(state.name()).query(Long.class)
                .single();
    }

    // ---------------------------------------------------------------- returns

    public Page<ReturnLink> search(ReturnFilter f, int page, int size) {
        String q = f.q() == null || f.q().isBlank() ? null : f.q().trim();
        String bare = q != null && q.startsWith("#") ? q.substring(1) : q;
        String where = """
                 FROM return_link
                WHERE (CAST(:connection AS VARCHAR(100)) IS NULL OR connection_id = :connection)
                  AND (CAST(:state AS VARCHAR(30)) IS NULL OR state = :state)
                  AND (CAST(:from AS TIMESTAMP WITH TIME ZONE) IS NULL OR created_at >= :from)
                  AND (CAST(:to AS TIMESTAMP WITH TIME ZONE) IS NULL OR created_at < :to)
                  AND (:unmapped = FALSE OR EXISTS (SELECT 1 FROM timeline_entry t
                                                     WHERE t.link_id = return_link.id AND t.kind = 'UNMAPPED_STATUS'))
                  AND (CAST(:q AS VARCHAR(200)) IS NULL OR loop_return_id = :q OR order_name = :q
                       OR order_name = :hashed OR shiphero_return_id = :q
                       OR CAST(shiphero_legacy_id AS VARCHAR(30)) = :bare)""";
        var count = bind(jdbc.sql("SELECT COUNT(*)" + where), f, q, bare);
        long total = count.query(Long.class).single();
        var rows = bind(jdbc.sql("SELECT " + LINK_COLUMNS + where
                + " ORDER BY updated_at DESC, id DESC OFFSET :offset ROWS FETCH FIRST :size ROWS ONLY"), f, q, bare)
                .param("offset", (long) page * size).param("size", size);
        return new Page<>(rows.query(ReturnLink.class).list(), page, size, total);
    }

    private static JdbcClient.StatementSpec bind(JdbcClient.StatementSpec spec, ReturnFilter f, String q,
                                                 String bare) {
        return spec.param("connection", blankToNull(f.connection()))
                .param("state", f.state() == null ? null : f.state().name())
                .param("from", f.from() == null ? null : f.from().atStartOfDay().atOffset(ZoneOffset.UTC))
                .param("to", f.to() == null ? null : f.to().plusDays(1).atStartOfDay().atOffset(ZoneOffset.UTC))
                .param("unmapped", f.unmapped())
                .param("q", q).param("hashed", bare == null ? null : "#" + bare).param("bare", bare);
    }

    public Optional<ReturnLink> link(long id) {
        return jdbc.sql("SELECT " + LINK_COLUMNS + " FROM return_link WHERE id = ?").param(id).query(ReturnLink.class)
                .optional();
    }

    // ---------------------------------------------------------------- deliveries

    /** Deliveries about this return: Loop's by return id, ShipHero's by RMA API id. */
    public List<DeliveryRow> deliveriesFor(ReturnLink link) {
        return jdbc.sql("""
                SELECT id, connection_id, source, topic, subject_id, received_at, outcome, duplicates, body
                  FROM delivery
                 WHERE connection_id = :c AND ((source = 'LOOP' AND subject_id = :loop)
                       OR (source = 'SHIPHERO' AND subject_id = :rma))
                 ORDER BY received_at, id""")
                .param("c", link.connectionId()).param("loop", link.loopReturnId())
                .param("rma", link.shipheroReturnId() == null ? "-" : link.shipheroReturnId())
                .query(DeliveryRow.class).list();
    }

    public List<DeliveryRow> recentDeliveries(String connectionId, int limit) {
        return jdbc.sql("""
                SELECT id, connection_id, source, topic, subject_id, received_at, outcome, duplicates, body
                  FROM delivery WHERE (CAST(:c AS VARCHAR(100)) IS NULL OR connection_id = :c)
                 ORDER BY id DESC FETCH FIRST :limit ROWS ONLY""")
                .param("c", blankToNull(connectionId)).param("limit", limit).query(DeliveryRow.class).list();
    }

    public Optional<DeliveryRow> delivery(long id) {
        return jdbc.sql("""
                SELECT id, connection_id, source, topic, subject_id, received_at, outcome, duplicates, body
                  FROM delivery WHERE id = ?""").param(id).query(DeliveryRow.class).optional();
    }

    /** Why a delivery is UNREADABLE (null when it is not) and how its body is kept (null: as text). */
    public record Unreadability(String reason, String bodyEncoding) {
    }

    public Unreadability unreadability(long id) {
        return jdbc.sql("SELECT unreadable_reason, body_encoding FROM delivery WHERE id = ?").param(id)
                .query((rs, n) -> new Unreadability(rs.getString(1), rs.getString(2))).optional()
                .orElse(new Unreadability(null, null));
    }

    /** Connection-level timeline entries (pause, resume, bulk retry, connect, backfill), newest first. */
    public List<com.returnbridge.bridge.Timeline.Entry> connectionEvents(String connectionId, int limit) {
        return jdbc.sql("""
                SELECT id, link_id, connection_id, loop_return_id, at, kind, message FROM timeline_entry
                 WHERE connection_id = ? AND link_id IS NULL ORDER BY id DESC FETCH FIRST ? ROWS ONLY""")
                .params(connectionId, limit).query(com.returnbridge.bridge.Timeline.Entry.class).list();
    }

    // ---------------------------------------------------------------- statuses seen

    /** ShipHero statuses this connection has seen that its current mapping does not list. */
    public List<String> unmappedStatusesSeen(Connection connection) {
        Set<String> seen = new LinkedHashSet<>();
        jdbc.sql("""
                SELECT message FROM timeline_entry WHERE connection_id = ? AND kind = 'UNMAPPED_STATUS'
                 ORDER BY id DESC FETCH FIRST 500 ROWS ONLY""").param(connection.id()).query(String.class).list()
                .forEach(m -> {
                    Matcher matcher = QUOTED_STATUS.matcher(m);
                    if (matcher.find()) {
                        seen.add(matcher.group(1));
                    }
                });
        seen.addAll(jdbc.sql("SELECT DISTINCT last_status FROM return_link WHERE connection_id = ? AND last_status IS NOT NULL")
                .param(connection.id()).query(String.class).list());
        StatusPolicy policy = connection.statusPolicy();
        List<String> out = new ArrayList<>();
        Set<String> normalised = new LinkedHashSet<>();
        for (String status : seen) {
            if (policy.mapped(status).isEmpty() && normalised.add(StatusPolicy.normalise(status))) {
                out.add(status);
            }
        }
        return out;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
