package com.returnbridge.monitor;

import com.returnbridge.bridge.LoopStates;
import com.returnbridge.connection.Connection;
import com.returnbridge.connection.Connections;
import com.returnbridge.connection.Slas;
import com.returnbridge.connection.StatusPolicy;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * What needs a person, by kind and connection: each kind is one plain query over the links or the deliveries (a few
 * finish in Java where the rule is the connection's: its close status, its SLA's {@code rma-open-after}). The
 * bulk action a kind offers ({@link Kind#action}) is carried out by the console with the operator actions it already
 * has.
 */
@Component
public class ExceptionsReport {

    /** The bulk action that can help every item of a kind, or none (a person must look in a vendor's admin). */
    public enum Action {
        RETRY("retry"), REPLAY("replay"), RERUN_DECISION("rerun-decision"), NONE(null);

        private final String path;

        Action(String path) {
            this.path = path;
        }

        public String path() {
            return path;
        }
    }

    public enum Kind {
        QUANTITY_MISMATCH("RMAs received in quantities other than expected", Action.RERUN_DECISION),
        UNEXPECTED_SKU("SKUs on the RMA that are not on the Loop return (last 30 days)", Action.NONE),
        CLOSED_IN_LOOP_RMA_OPEN("Loop return closed or cancelled while its RMA is still open in ShipHero", Action.NONE),
        RMA_OPEN_AFTER_PROCESSED("RMAs still open long after Loop accepted Process", Action.RETRY),
        NOT_OURS("Return Updates for RMAs that are not ours", Action.NONE),
        UNREADABLE("Deliveries stored as UNREADABLE", Action.REPLAY),
        NEEDS_ATTENTION("Returns in NEEDS_ATTENTION, by reason", Action.RETRY);

        private final String title;
        private final Action action;

        Kind(String title, Action action) {
            this.title = title;
            this.action = action;
        }

        public String title() {
            return title;
        }

        public Action action() {
            return action;
        }

        public String slug() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        /** A kind by its name or slug ({@code needs-attention}); null when there is none. */
        public static Kind of(String text) {
            if (text == null) {
                return null;
            }
            String name = text.trim().toUpperCase(Locale.ROOT).replace('-', '_');
            for (Kind k : values()) {
                if (k.name().equals(name)) {
                    return k;
                }
            }
            return null;
        }
    }

    /**
     * One thing to look at: a return ({@code linkId}, {@code loopReturnId}) or a delivery ({@code deliveryId}).
     * {@code reason}: for NEEDS_ATTENTION the group it is counted in; {@code link}: the console page to open.
     */
    public record Item(Kind kind, String connectionId, Long linkId, String loopReturnId, Long deliveryId,
                       String detail, String reason, OffsetDateTime at, String link) {
    }

    /** A kind with its count (all items, however many are listed), per connection and, for NEEDS_ATTENTION, per reason. */
    public record KindReport(Kind kind, String title, long count, Map<String, Long> byConnection,
                             Map<String, Long> byReason, String action, List<Item> items) {
    }

    /** Items listed per kind; the counts are always complete. */
    public static final int LISTED = 100;
    private static final int READ = 5000;
    /** How long a finished return with an extra SKU stays listed. */
    static final java.time.Duration RECENT = java.time.Duration.ofDays(30);

    private final JdbcClient jdbc;
    private final Connections connections;
    private final Slas slas;
    private final Clock clock;
    private final LoopStates states;

    public ExceptionsReport(JdbcClient jdbc, Connections connections, Slas slas, Clock clock, LoopStates states) {
        this.states = states;
        this.jdbc = jdbc;
        this.connections = connections;
        this.slas = slas;
        this.clock = clock;
    }

    /** Every kind (none left out, a kind with nothing has count 0) for these connections (null: all). */
    public List<KindReport> report(Collection<String> connectionIds) {
        List<KindReport> out = new ArrayList<>();
        for (Kind kind : Kind.values()) {
            List<Item> items = items(kind, connectionIds, null);
            Map<String, Long> byConnection = new TreeMap<>();
            Map<String, Long> byReason = new LinkedHashMap<>();
            for (Item item : items) {
                byConnection.merge(item.connectionId(), 1L, Long::sum);
                if (item.reason() != null) {
                    byReason.merge(item.reason(), 1L, Long::sum);
                }
            }
            out.add(new KindReport(kind, kind.title(), items.size(), byConnection,
                    kind == Kind.NEEDS_ATTENTION ? byReason : Map.of(), kind.action().path(),
                    items.subList(0, Math.min(LISTED, items.size()))));
        }
        return out;
    }

    /** The items of one kind (for NEEDS_ATTENTION optionally of one reason group), oldest first. */
    public List<Item> items(Kind kind, Collection<String> connectionIds, String reason) {
        if (connectionIds != null && connectionIds.isEmpty()) {
            return List.of();
        }
        List<Item> items = switch (kind) {
            case QUANTITY_MISMATCH -> links(kind, connectionIds, """
                    units_expected IS NOT NULL AND units_received IS NOT NULL AND units_received <> units_expected
                    AND received_at IS NOT NULL AND state NOT IN ('CLOSED', 'CANCELLED_IN_LOOP')""");
            // a closed return too: Loop refunded what it knew of, and the extra item is on the warehouse's shelf
            case UNEXPECTED_SKU -> links(kind, connectionIds, """
                    unexpected_skus IS NOT NULL AND updated_at >= :since""");
            case CLOSED_IN_LOOP_RMA_OPEN -> links(kind, connectionIds, """
                    state IN ('CANCELLED_IN_LOOP', 'RMA_CREATED', 'FLAGGED') AND shiphero_return_id IS NOT NULL""",
                    r -> ("CANCELLED_IN_LOOP".equals(r.state()) || states.stage(r.loopState()).finished())
                            && rmaStillOpen(r));
            case RMA_OPEN_AFTER_PROCESSED -> links(kind, connectionIds, "state = 'PROCESSED'", this::openTooLong);
            case NEEDS_ATTENTION -> links(kind, connectionIds, "state = 'NEEDS_ATTENTION'");
            case NOT_OURS -> deliveries(kind, connectionIds, "IGNORED_NOT_OURS");
            case UNREADABLE -> deliveries(kind, connectionIds, "UNREADABLE");
        };
        if (reason != null && !reason.isBlank()) {
            return items.stream().filter(i -> reason.equals(i.reason())).toList();
        }
        return items;
    }

    /**
     * The group a NEEDS_ATTENTION reason is counted in: its text up to the first colon, numbers written as #, so
     * "order #1001 not found" and "order #1002 not found" are one group and each Loop refusal is "Loop refused Process".
     */
    public static String reasonGroup(String reason) {
        if (reason == null || reason.isBlank()) {
            return "no reason recorded";
        }
        String text = reason.strip();
        int colon = text.indexOf(':');
        if (colon > 0) {
            text = text.substring(0, colon);
        }
        text = text.replaceAll("\\d+", "#").replaceAll("\\s+", " ").strip();
        return text.length() <= 100 ? text : text.substring(0, 100) + "…";
    }

    private record LinkRow(long id, String connectionId, String loopReturnId, String state, String loopState,
                           String lastStatus,
                           String attentionReason, Integer unitsExpected, Integer unitsReceived,
                           String unexpectedSkus, Long shipheroLegacyId, OffsetDateTime processedAt,
                           OffsetDateTime updatedAt) {
    }

    private List<Item> links(Kind kind, Collection<String> connectionIds, String where) {
        return links(kind, connectionIds, where, r -> true);
    }

    private List<Item> links(Kind kind, Collection<String> connectionIds, String where,
                             java.util.function.Predicate<LinkRow> keep) {
        var sql = jdbc.sql("""
                SELECT id, connection_id, loop_return_id, state, loop_state, last_status, attention_reason, units_expected,
                       units_received, unexpected_skus, shiphero_legacy_id, processed_at, updated_at
                  FROM return_link""" + " WHERE " + where + (connectionIds == null ? "" : " AND connection_id IN (:ids)")
                + " ORDER BY updated_at, id FETCH FIRST " + READ + " ROWS ONLY");
        if (connectionIds != null) {
            sql = sql.param("ids", List.copyOf(connectionIds));
        }
        if (where.contains(":since")) {
            sql = sql.param("since", OffsetDateTime.ofInstant(clock.instant().minus(RECENT), java.time.ZoneOffset.UTC));
        }
        List<LinkRow> rows = sql.query((rs, n) -> new LinkRow(rs.getLong(1), rs.getString(2), rs.getString(3),
                rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), rs.getObject(8, Integer.class),
                rs.getObject(9, Integer.class), rs.getString(10), rs.getObject(11, Long.class),
                rs.getObject(12, OffsetDateTime.class), rs.getObject(13, OffsetDateTime.class))).list();
        return rows.stream().filter(keep).map(r -> new Item(kind, r.connectionId(), r.id(), r.loopReturnId(), null,
                detail(kind, r), kind == Kind.NEEDS_ATTENTION ? reasonGroup(r.attentionReason()) : null,
                kind == Kind.RMA_OPEN_AFTER_PROCESSED && r.processedAt() != null ? r.processedAt() : r.updatedAt(),
                "/returns/" + r.id())).toList();
    }

    private static String detail(Kind kind, LinkRow r) {
        String rma = r.shipheroLegacyId() == null ? "no RMA" : "RMA " + r.shipheroLegacyId();
        return switch (kind) {
            case QUANTITY_MISMATCH -> rma + ": " + r.unitsReceived() + " of " + r.unitsExpected()
                    + " unit(s) received (status " + r.lastStatus() + ", return " + r.state() + ")";
            case UNEXPECTED_SKU -> rma + " has SKU(s) " + r.unexpectedSkus() + " that the Loop return does not";
            case CLOSED_IN_LOOP_RMA_OPEN -> rma + " is '" + r.lastStatus() + "' in ShipHero; the return is "
                    + r.loopState() + " in Loop";
            case RMA_OPEN_AFTER_PROCESSED -> rma + " still open: Loop accepted Process at " + r.processedAt()
                    + " and has not confirmed";
            case NEEDS_ATTENTION -> r.attentionReason();
            default -> rma;
        };
    }

    /** The RMA does not have the connection's close status (as last read): it is still open in ShipHero. */
    private boolean rmaStillOpen(LinkRow r) {
        String close = connections.find(r.connectionId()).map(Connection::closeStatus).orElse("Complete");
        return r.lastStatus() == null || !StatusPolicy.normalise(close).equals(StatusPolicy.normalise(r.lastStatus()));
    }

    /** Loop accepted Process longer ago than the connection's {@code sla.rma-open-after} and has not confirmed. */
    private boolean openTooLong(LinkRow r) {
        Instant cutoff = clock.instant().minus(slas.of(r.connectionId()).rmaOpenAfter());
        OffsetDateTime since = r.processedAt() != null ? r.processedAt() : r.updatedAt();
        return since != null && since.toInstant().isBefore(cutoff);
    }

    private List<Item> deliveries(Kind kind, Collection<String> connectionIds, String outcome) {
        var sql = jdbc.sql("""
                SELECT id, connection_id, source, topic, subject_id, unreadable_reason, received_at
                  FROM delivery WHERE outcome = :outcome""" + (connectionIds == null ? ""
                : " AND connection_id IN (:ids)") + " ORDER BY id FETCH FIRST " + READ + " ROWS ONLY")
                .param("outcome", outcome);
        if (connectionIds != null) {
            sql = sql.param("ids", List.copyOf(connectionIds));
        }
        return sql.query((rs, n) -> {
            long id = rs.getLong(1);
            String source = rs.getString(3);
            String subject = rs.getString(5);
            String detail = kind == Kind.UNREADABLE
                    ? source + " " + (rs.getString(4) == null ? "delivery" : rs.getString(4)) + ": "
                    + rs.getString(6)
                    : "Return Update for RMA " + subject + ": its partner_id names none of our Loop returns";
            return new Item(kind, rs.getString(2), null, null, id, detail, null,
                    rs.getObject(7, OffsetDateTime.class), "/deliveries/" + id + "/body");
        }).list();
    }
}
