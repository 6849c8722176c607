package com.returnbridge.grading;

import com.returnbridge.bridge.LineReceipt;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/** SQL for {@code connection_grading}, {@code warehouse_receipt} and {@code grading_sent}. */
@Repository
class GradingStore {

    /** What was sent for one line and step ({@code grade} or {@code assess}), and how it went. */
    record Sent(String lineItemId, String step, String sentValue, String state, String detail, OffsetDateTime at) {
    }

    static final String SENDING = "SENDING";
    static final String SENT = "SENT";
    static final String REFUSED = "REFUSED";
    static final String UNCERTAIN = "UNCERTAIN";

    private final JdbcClient jdbc;
    private final Clock clock;
    private final TransactionTemplate own;

    GradingStore(JdbcClient jdbc, Clock clock, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.own = new TransactionTemplate(transactions);
        this.own.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    private OffsetDateTime now() {
        return OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
    }

    // ---------------------------------------------------------------- settings

    Optional<GradingSettings> settings(String connectionId) {
        return jdbc.sql("""
                SELECT enabled, conditions, unmapped_condition, disposition_restocked, disposition_not_restocked,
                       disposition_missing FROM connection_grading WHERE connection_id = ?""")
                .param(connectionId)
                .query((rs, n) -> GradingSettings.parse(rs.getBoolean(1), GradingSettings.parseLines(rs.getString(2)),
                        rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6)))
                .optional();
    }

    void save(String connectionId, GradingSettings s, String by) {
        StringBuilder conditions = new StringBuilder();
        s.conditions().forEach((c, category) -> conditions.append(c).append('=').append(category.word()).append('\n'));
        Object[] values = {s.enabled(), conditions.toString(), s.unmappedCondition() == null ? null
                : s.unmappedCondition().word(), s.restocked().word(), s.notRestocked().word(), s.missing().word(),
                now(), by, connectionId};
        int updated = jdbc.sql("""
                UPDATE connection_grading SET enabled = ?, conditions = ?, unmapped_condition = ?,
                       disposition_restocked = ?, disposition_not_restocked = ?, disposition_missing = ?,
                       updated_at = ?, updated_by = ?
                 WHERE connection_id = ?""").params(values).update();
        if (updated == 0) {
            jdbc.sql("""
                    INSERT INTO connection_grading (enabled, conditions, unmapped_condition, disposition_restocked,
                           disposition_not_restocked, disposition_missing, updated_at, updated_by, connection_id)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""").params(values).update();
        }
    }

    // ---------------------------------------------------------------- what the warehouse recorded

    /**
     * The latest counts per line replace earlier ones: a later decision saw the RMA later. In a transaction of its own,
     * so that two announcements racing on a new line (one insert loses) cost a retry, not the caller's transaction.
     */
    void recordReceipts(String connectionId, String loopReturnId, List<LineReceipt> lines) {
        try {
            own.executeWithoutResult(s -> upsertReceipts(connectionId, loopReturnId, lines));
        } catch (org.springframework.dao.DuplicateKeyException e) {
            own.executeWithoutResult(s -> upsertReceipts(connectionId, loopReturnId, lines));
        }
    }

    private void upsertReceipts(String connectionId, String loopReturnId, List<LineReceipt> lines) {
        for (LineReceipt line : lines) {
            Object[] values = {line.sku(), line.expected(), line.received(), line.restocked(), line.condition(), now(),
                    connectionId, loopReturnId, line.loopLineItemId()};
            int updated = jdbc.sql("""
                    UPDATE warehouse_receipt SET sku = ?, expected = ?, received = ?, restocked = ?, condition_word = ?,
                           recorded_at = ?
                     WHERE connection_id = ? AND loop_return_id = ? AND line_item_id = ?""").params(values).update();
            if (updated == 0) {
                jdbc.sql("""
                        INSERT INTO warehouse_receipt (sku, expected, received, restocked, condition_word, recorded_at,
                               connection_id, loop_return_id, line_item_id)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""").params(values).update();
            }
        }
    }

    List<LineReceipt> receipts(String connectionId, String loopReturnId) {
        return jdbc.sql("""
                SELECT line_item_id, sku, expected, received, restocked, condition_word FROM warehouse_receipt
                 WHERE connection_id = ? AND loop_return_id = ? ORDER BY line_item_id""")
                .params(connectionId, loopReturnId)
                .query((rs, n) -> new LineReceipt(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getInt(4),
                        rs.getInt(5), rs.getString(6)))
                .list();
    }

    /** When the latest counts of the return were recorded (now when none are). */
    java.time.Instant receiptsRecordedAt(String connectionId, String loopReturnId) {
        OffsetDateTime at = jdbc.sql("""
                SELECT MAX(recorded_at) FROM warehouse_receipt WHERE connection_id = ? AND loop_return_id = ?""")
                .params(connectionId, loopReturnId).query(OffsetDateTime.class).optional().orElse(null);
        return at == null ? clock.instant() : at.toInstant();
    }

    /** Units of the return ShipHero put back to stock, as last recorded. */
    int restocked(String connectionId, String loopReturnId) {
        Integer n = jdbc.sql("""
                SELECT SUM(restocked) FROM warehouse_receipt WHERE connection_id = ? AND loop_return_id = ?""")
                .params(connectionId, loopReturnId).query(Integer.class).optional().orElse(null);
        return n == null ? 0 : n;
    }

    // ---------------------------------------------------------------- what was sent

    List<Sent> sent(String connectionId, String loopReturnId) {
        return jdbc.sql("""
                SELECT line_item_id, step, sent_value, state, detail, at FROM grading_sent
                 WHERE connection_id = ? AND loop_return_id = ? ORDER BY line_item_id, step""")
                .params(connectionId, loopReturnId).query(Sent.class).list();
    }

    /** Written and committed before the items are sent, whatever transaction the caller is in. */
    void sending(String connectionId, String loopReturnId, String step, Map<String, String> valueByLine) {
        own.executeWithoutResult(s -> valueByLine.forEach((line, value) -> jdbc.sql("""
                INSERT INTO grading_sent (connection_id, loop_return_id, line_item_id, step, sent_value, state, at)
                VALUES (?, ?, ?, ?, ?, ?, ?)""")
                .params(connectionId, loopReturnId, line, step, value, SENDING, now()).update()));
    }

    void finish(String connectionId, String loopReturnId, String step, Iterable<String> lines, String state,
                String detail) {
        String text = detail == null ? null : detail.length() <= 500 ? detail : detail.substring(0, 500);
        own.executeWithoutResult(s -> lines.forEach(line -> jdbc.sql("""
                UPDATE grading_sent SET state = ?, detail = ?, at = ?
                 WHERE connection_id = ? AND loop_return_id = ? AND line_item_id = ? AND step = ? AND state = ?""")
                .params(state, text, now(), connectionId, loopReturnId, line, step, SENDING).update()));
    }

    /** Loop certainly did not act (throttled before the call, or no connection made): the lines may be sent later. */
    void forget(String connectionId, String loopReturnId, String step, Iterable<String> lines) {
        own.executeWithoutResult(s -> lines.forEach(line -> jdbc.sql("""
                DELETE FROM grading_sent
                 WHERE connection_id = ? AND loop_return_id = ? AND line_item_id = ? AND step = ? AND state = ?""")
                .params(connectionId, loopReturnId, line, step, SENDING).update()));
    }

    /**
     * Rows still SENDING from an earlier run: it stopped between writing them down and hearing Loop's answer, so
     * Loop may have them. They become UNCERTAIN (never sent again); the lines are returned for the timeline.
     */
    Map<String, String> unfinishedToUncertain(String connectionId, String loopReturnId) {
        Map<String, String> found = new LinkedHashMap<>();
        for (Sent row : sent(connectionId, loopReturnId)) {
            if (SENDING.equals(row.state())) {
                found.put(row.lineItemId() + " " + row.step(), row.sentValue());
                finish(connectionId, loopReturnId, row.step(), List.of(row.lineItemId()), UNCERTAIN,
                        "still being sent when the bridge stopped; not sent again");
            }
        }
        return found;
    }
}
