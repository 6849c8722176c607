package com.returnbridge.console.billing;

import com.returnbridge.bridge.StoredLoopReturn;
import com.returnbridge.bridge.LineDecision;
import com.returnbridge.bridge.TimelineKind;
import com.returnbridge.connection.StatusPolicy;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Reads one connection's returns of a billing period with a cursor and hands each to the caller as it is read, so
 * an export of a year of a large merchant holds one fetch of rows at a time, never the period. On PostgreSQL the
 * cursor needs a transaction (the driver otherwise reads the whole result first), hence the read-only one around it.
 */
@Component
public class BillingExport {

    /** Rows fetched from the database at a time. */
    static final int FETCH_SIZE = 500;

    // Line items Loop removed at our request: the per-item decision's missing lines, once Loop accepted the Remove.
    private static final String REMOVED_LINE_ITEMS = """
            CASE WHEN EXISTS (SELECT 1 FROM timeline_entry t WHERE t.link_id = l.id AND t.kind = '%s')
                 THEN (SELECT COUNT(*) FROM line_decision d WHERE d.link_id = l.id AND d.verdict = '%s')
                 ELSE 0 END""".formatted(TimelineKind.LOOP_LINES_REMOVED.name(), LineDecision.Verdict.MISSING.word());

    private static final String SQL = """
            SELECT l.loop_return_id, l.order_name, l.created_at, l.state, l.loop_state, l.shiphero_return_id,
                   l.shiphero_legacy_id, l.last_status, l.last_decision, l.loop_return,
                   COALESCE(l.processed_at, (SELECT MIN(t.at) FROM timeline_entry t
                                              WHERE t.link_id = l.id AND t.kind IN ('%s', '%s'))) AS processed_at,
                   (SELECT COUNT(*) FROM timeline_entry t WHERE t.link_id = l.id AND t.kind = '%s') AS flags,
                   (SELECT MIN(t.at) FROM timeline_entry t WHERE t.link_id = l.id AND t.kind = '%s') AS rma_closed_at,
                   %s AS removed_line_items
              FROM return_link l
             WHERE l.connection_id = ? AND l.created_at >= ? AND l.created_at < ?
             ORDER BY l.created_at, l.id""".formatted(TimelineKind.LOOP_PROCESSED.name(),
            TimelineKind.LOOP_ALREADY_CLOSED.name(), TimelineKind.LOOP_FLAGGED.name(), TimelineKind.RMA_CLOSED.name(),
            REMOVED_LINE_ITEMS);

    private final JdbcTemplate jdbc;
    private final TransactionTemplate readOnly;

    public BillingExport(DataSource dataSource, PlatformTransactionManager transactions) {
        // A template of its own: the fetch size applies to the export's statement, not to every query of the service.
        this.jdbc = new JdbcTemplate(dataSource);
        this.jdbc.setFetchSize(FETCH_SIZE);
        this.readOnly = new TransactionTemplate(transactions);
        this.readOnly.setReadOnly(true);
    }

    /**
     * Calls {@code each} with every return of the connection taken in during the period, oldest first, and returns
     * their totals. {@code closeStatus}: the connection's; an RMA whose warehouse status already is it counts as
     * closed (ShipHero bills it) even when Returnbridge did not have to set it.
     */
    public BillingTotals stream(String connectionId, BillingPeriod period, String closeStatus,
                                Consumer<BillingRow> each) {
        BillingTotals totals = new BillingTotals();
        String close = StatusPolicy.normalise(closeStatus);
        readOnly.executeWithoutResult(tx -> jdbc.query(SQL, rs -> {
            BillingRow row = row(rs, close);
            totals.add(row);
            each.accept(row);
        }, connectionId, period.startInclusive(), period.endExclusive()));
        return totals;
    }

    private static BillingRow row(ResultSet rs, String normalisedCloseStatus) throws SQLException {
        String status = rs.getString("last_status");
        String decisionKey = rs.getString("last_decision");
        Counts counts = Counts.of(decisionKey, rs.getString("loop_return"));
        OffsetDateTime processedAt = rs.getObject("processed_at", OffsetDateTime.class);
        OffsetDateTime rmaClosedAt = rs.getObject("rma_closed_at", OffsetDateTime.class);
        String rmaId = rs.getString("shiphero_return_id");
        boolean closed = rmaId != null
                && (rmaClosedAt != null || StatusPolicy.normalise(status).equals(normalisedCloseStatus));
        long legacy = rs.getLong("shiphero_legacy_id");
        Long legacyId = rs.wasNull() ? null : legacy;
        return new BillingRow(rs.getString("loop_return_id"), rs.getString("order_name"),
                rs.getObject("created_at", OffsetDateTime.class), rs.getString("state"), rs.getString("loop_state"),
                rmaId, legacyId, status, action(decisionKey), counts.expected(), counts.received(),
                processedAt != null, processedAt, rs.getLong("flags") > 0, rs.getInt("removed_line_items"), closed,
                rmaClosedAt);
    }

    /** A decision key is {@code ACTION:status:received/expected} (bridge.Decision). */
    private static String action(String decisionKey) {
        if (decisionKey == null || decisionKey.indexOf(':') < 0) {
            return null;
        }
        return decisionKey.substring(0, decisionKey.indexOf(':')).toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * Units expected and received: the counts of the last decision (the RMA as the warehouse last reported it);
     * before any decision, the units of the Loop return and none received.
     */
    private record Counts(int expected, int received) {

        static Counts of(String decisionKey, String storedLoopReturn) {
            if (decisionKey != null) {
                int slash = decisionKey.lastIndexOf('/');
                int colon = decisionKey.lastIndexOf(':');
                if (slash > colon && colon >= 0) {
                    try {
                        return new Counts(Integer.parseInt(decisionKey.substring(slash + 1)),
                                Integer.parseInt(decisionKey.substring(colon + 1, slash)));
                    } catch (NumberFormatException e) {
                        // an older key without counts: fall back to the Loop return below
                    }
                }
            }
            if (storedLoopReturn == null) {
                return new Counts(0, 0);
            }
            try {
                return new Counts(StoredLoopReturn.read(storedLoopReturn).units().size(), 0);
            } catch (RuntimeException e) {
                return new Counts(0, 0);
            }
        }
    }
}
