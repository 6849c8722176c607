package com.returnbridge.console;

import com.returnbridge.bridge.LinkState;
import com.returnbridge.bridge.ReturnLink;
import com.returnbridge.connection.Connection;
import com.returnbridge.connection.StatusPolicy;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Read-only SQL for the console and the admin API: search, deliveries, statuses seen (a connection's counts:
 * {@link com.returnbridge.monitor.ConnectionActivity}).
 */
@Repository
public class ConsoleQueries {

    private static final String LINK_COLUMNS = com.returnbridge.bridge.ReturnLinks.COLUMNS;
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

    /** {@code routed}: false while the delivery is stored and answered but the inbox's router has not handled it. */
    public record DeliveryRow(long id, String connectionId, String source, String topic, String subjectId,
                              OffsetDateTime receivedAt, String outcome, int duplicates, String body, boolean routed) {
    }

    private final JdbcClient jdbc;

    public ConsoleQueries(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    // ---------------------------------------------------------------- overview

    public long countByState(LinkState state) {
        return countByState(state, null);
    }

    /** Returns in the state, of the connections given (null: every connection). */
    public long countByState(LinkState state, Collection<String> within) {
        return jdbc.sql("SELECT COUNT(*) FROM return_link WHERE state = :state" + WITHIN).param("state", state.name())
                .param("all", within == null).param("within", inList(within)).query(Long.class).single();
    }

    /** Keeps a query to the connections in :within unless :all (a merchant user's lists, {@link Access}). */
    private static final String WITHIN = " AND (:all = TRUE OR connection_id IN (:within))";

    private static List<String> inList(Collection<String> within) {
        // IN () is not SQL: an empty set becomes a connection id nobody has
        return within == null || within.isEmpty() ? List.of(" ") : List.copyOf(within);
    }

    // ---------------------------------------------------------------- returns

    public Page<ReturnLink> search(ReturnFilter f, int page, int size) {
        return search(f, null, page, size);
    }

    /** The search, among the returns of the connections given (null: every connection). */
    public Page<ReturnLink> search(ReturnFilter f, Collection<String> within, int page, int size) {
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
                       OR CAST(shiphero_legacy_id AS VARCHAR(30)) = :bare)""" + WITHIN;
        var count = bind(jdbc.sql("SELECT COUNT(*)" + where), f, q, bare).param("all", within == null)
                .param("within", inList(within));
        long total = count.query(Long.class).single();
        var rows = bind(jdbc.sql("SELECT " + LINK_COLUMNS + where
                + " ORDER BY updated_at DESC, id DESC OFFSET :offset ROWS FETCH FIRST :size ROWS ONLY"), f, q, bare)
                .param("all", within == null).param("within", inList(within)).param("offset", (long) page * size)
                .param("size", size);
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

    /** A return by the API's address for it: the connection and the Loop return id. */
    public Optional<ReturnLink> link(String connectionId, String loopReturnId) {
        return jdbc.sql("SELECT " + LINK_COLUMNS + " FROM return_link WHERE connection_id = ? AND loop_return_id = ?")
                .params(connectionId, loopReturnId).query(ReturnLink.class).optional();
    }

    public Optional<ReturnLink> link(long id) {
        return jdbc.sql("SELECT " + LINK_COLUMNS + " FROM return_link WHERE id = ?").param(id).query(ReturnLink.class)
                .optional();
    }

    // ---------------------------------------------------------------- deliveries

    /** Deliveries about this return: Loop's by return id, ShipHero's by RMA API id. */
    public List<DeliveryRow> deliveriesFor(ReturnLink link) {
        return jdbc.sql("""
                SELECT id, connection_id, source, topic, subject_id, received_at, outcome, duplicates, body,
                       CASE WHEN routed_at IS NULL THEN FALSE ELSE TRUE END AS routed
                  FROM delivery
                 WHERE connection_id = :c AND ((source = 'LOOP' AND subject_id = :loop)
                       OR (source = 'SHIPHERO' AND subject_id = :rma))
                 ORDER BY received_at, id""")
                .param("c", link.connectionId()).param("loop", link.loopReturnId())
                .param("rma", link.shipheroReturnId() == null ? "-" : link.shipheroReturnId())
                .query(DeliveryRow.class).list();
    }

    public List<DeliveryRow> recentDeliveries(String connectionId, int limit) {
        return recentDeliveries(connectionId, null, limit);
    }

    /** The latest deliveries, of the connections given (null: every connection). */
    public List<DeliveryRow> recentDeliveries(String connectionId, Collection<String> within, int limit) {
        return jdbc.sql("""
                SELECT id, connection_id, source, topic, subject_id, received_at, outcome, duplicates, body,
                       CASE WHEN routed_at IS NULL THEN FALSE ELSE TRUE END AS routed
                  FROM delivery WHERE (CAST(:c AS VARCHAR(100)) IS NULL OR connection_id = :c)""" + WITHIN + """
                 ORDER BY id DESC FETCH FIRST :limit ROWS ONLY""")
                .param("c", blankToNull(connectionId)).param("all", within == null).param("within", inList(within))
                .param("limit", limit).query(DeliveryRow.class).list();
    }

    public Optional<DeliveryRow> delivery(long id) {
        return jdbc.sql("""
                SELECT id, connection_id, source, topic, subject_id, received_at, outcome, duplicates, body,
                       CASE WHEN routed_at IS NULL THEN FALSE ELSE TRUE END AS routed
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
    /** When the ShipHero sweep's last complete full pass of the connection started (its watermark), or null. */
    public java.time.OffsetDateTime lastFullSweep(String connectionId) {
        return jdbc.sql("SELECT watermark FROM reconcile_watermark WHERE connection_id = ? AND source = ?")
                .params(connectionId, com.returnbridge.reconcile.Reconciler.SHIPHERO_FULL)
                .query(java.time.OffsetDateTime.class).optional().orElse(null);
    }

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
