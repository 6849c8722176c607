package com.returnbridge.bridge;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** SQL for {@code line_decision}: the verdict on each Loop line item of a return's latest decision. */
@Repository
public class LineDecisions {

    /** One line as the return API shows it. */
    public record Line(String lineItemId, String sku, int expected, int received, int restocked, String condition,
                       String verdict, String outcome, String reason, String decisionKey, OffsetDateTime decidedAt) {
    }

    private final JdbcClient jdbc;
    private final Clock clock;

    public LineDecisions(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** Replaces the link's lines with those of this decision (nothing when it has none). */
    void save(long linkId, Decision decision) {
        if (decision.lines().isEmpty()) {
            return;
        }
        jdbc.sql("DELETE FROM line_decision WHERE link_id = ?").param(linkId).update();
        OffsetDateTime now = OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
        int n = 0;
        for (LineDecision line : decision.lines()) {
            LineReceipt r = line.receipt();
            jdbc.sql("""
                    INSERT INTO line_decision (link_id, decision_key, line_no, line_item_id, sku, expected, received,
                           restocked, condition_text, verdict, outcome, reason, decided_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                    .params(linkId, decision.key(), n++, cut(r.loopLineItemId(), 50), cut(r.sku(), 255), r.expected(),
                            r.received(), r.restocked(), cut(r.condition(), 255), line.verdict().word(),
                            line.outcome() == null ? null : line.outcome().word(), cut(line.why(), 300), now)
                    .update();
        }
    }

    public List<Line> forLink(long linkId) {
        return jdbc.sql("""
                SELECT line_item_id, sku, expected, received, restocked, condition_text AS condition, verdict, outcome,
                       reason, decision_key, decided_at
                FROM line_decision WHERE link_id = ? ORDER BY line_no""")
                .param(linkId).query(Line.class).list();
    }

    private static String cut(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max);
    }
}
