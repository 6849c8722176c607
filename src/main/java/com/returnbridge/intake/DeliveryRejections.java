package com.returnbridge.intake;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * SQL for {@code delivery_rejection}: refused deliveries of a known connection, counted per source and reason. One row
 * per (connection, source, reason), so a flood of bad deliveries moves counters and never grows the table. Never a
 * body, a header or a signature: {@code last_detail} is the one-line reason the sender was answered.
 */
@Repository
public class DeliveryRejections {

    /** Longest {@code last_detail} kept (the column holds 200). */
    static final int MAX_DETAIL = 200;

    public record Rejection(String connectionId, String source, String reason, long count, OffsetDateTime firstAt,
                            OffsetDateTime lastAt, String lastDetail) {
    }

    private final JdbcClient jdbc;
    private final Clock clock;
    private final TransactionTemplate own;

    public DeliveryRejections(JdbcClient jdbc, Clock clock, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.own = new TransactionTemplate(transactions);
        this.own.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.own.setTimeout(5);
    }

    /**
     * Counts one rejection, in its own short transaction: UPDATE, else INSERT; two first rejections racing each other
     * make the loser's INSERT hit the primary key, and it runs the UPDATE again (a new transaction each time, since a
     * failed statement spoils a PostgreSQL transaction).
     */
    public void record(String connectionId, Deliveries.Source source, String reason, String detail) {
        OffsetDateTime now = OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
        String line = oneLine(detail);
        for (int attempt = 1; ; attempt++) {
            try {
                own.executeWithoutResult(s -> {
                    int updated = jdbc.sql("""
                            UPDATE delivery_rejection
                               SET rejected_count = rejected_count + 1, last_at = ?, last_detail = ?
                             WHERE connection_id = ? AND source = ? AND reason = ?""")
                            .params(now, line, connectionId, source.name(), reason).update();
                    if (updated == 0) {
                        jdbc.sql("""
                                INSERT INTO delivery_rejection (connection_id, source, reason, rejected_count, first_at,
                                                                last_at, last_detail)
                                VALUES (?, ?, ?, 1, ?, ?, ?)""")
                                .params(connectionId, source.name(), reason, now, now, line).update();
                    }
                });
                return;
            } catch (DuplicateKeyException e) {
                if (attempt >= 3) {
                    throw e;
                }
            }
        }
    }

    /** This connection's rejections, most recent first. */
    public List<Rejection> forConnection(String connectionId) {
        return jdbc.sql("""
                SELECT connection_id, source, reason, rejected_count, first_at, last_at, last_detail
                  FROM delivery_rejection WHERE connection_id = ? ORDER BY last_at DESC, source, reason""")
                .param(connectionId).query((rs, n) -> new Rejection(rs.getString(1), rs.getString(2), rs.getString(3),
                        rs.getLong(4), rs.getObject(5, OffsetDateTime.class), rs.getObject(6, OffsetDateTime.class),
                        rs.getString(7))).list();
    }

    /** Printable, one line, bounded: what we answered, never more. */
    static String oneLine(String detail) {
        if (detail == null) {
            return null;
        }
        String clean = detail.replaceAll("[\\p{Cntrl}]", " ").strip();
        return clean.length() <= MAX_DETAIL ? clean : clean.substring(0, MAX_DETAIL - 1) + "…";
    }
}
