package com.returnbridge.monitor;

import com.returnbridge.connection.Sla;
import com.returnbridge.connection.Slas;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The aging queue: returns that wait for someone, with how long each has left under its connection's SLA. Three
 * queues — delivered and not received in the warehouse, received and not decided, flagged (or in NEEDS_ATTENTION)
 * and not resolved. The SLA clock of each starts at the carrier's delivery, else at the warehouse's receipt, else
 * (a return stuck before either) at its creation; it is due {@code sla.process-within} business time later.
 */
@Component
public class AgingQueue {

    /** Which wait a return is in; the API's {@code queue} field. */
    public enum Queue { DELIVERED_NOT_RECEIVED, RECEIVED_NOT_DECIDED, FLAGGED_NOT_RESOLVED }

    /**
     * One waiting return. {@code timeLeft}: wall-clock time until due (negative: overdue by that much);
     * {@code businessTimeLeft}: the same in business time, which is what the SLA counts.
     */
    public record Item(String connectionId, String loopReturnId, long linkId, String orderName, String state,
                       Queue queue, String reason, OffsetDateTime startedAt, Instant dueAt, Duration timeLeft,
                       Duration businessTimeLeft, boolean breached, String link) {
    }

    record Row(long id, String connectionId, String loopReturnId, String orderName, String state,
               String attentionReason, OffsetDateTime createdAt, OffsetDateTime deliveredAt,
               OffsetDateTime receivedAt) {
    }

    private static final int LIMIT = 5000;

    private final JdbcClient jdbc;
    private final Slas slas;
    private final Clock clock;

    public AgingQueue(JdbcClient jdbc, Slas slas, Clock clock) {
        this.jdbc = jdbc;
        this.slas = slas;
        this.clock = clock;
    }

    /** Every waiting return of these connections (null: of all), soonest due first. */
    public List<Item> list(Collection<String> connectionIds) {
        return list(connectionIds, clock.instant());
    }

    public List<Item> list(Collection<String> connectionIds, Instant now) {
        if (connectionIds != null && connectionIds.isEmpty()) {
            return List.of();
        }
        String sql = """
                SELECT id, connection_id, loop_return_id, order_name, state, attention_reason, created_at,
                       delivered_at, received_at
                  FROM return_link
                 WHERE ((state IN ('RECEIVED', 'RMA_CREATED') AND delivered_at IS NOT NULL AND received_at IS NULL)
                        OR (state = 'RMA_CREATED' AND received_at IS NOT NULL)
                        OR state IN ('FLAGGED', 'NEEDS_ATTENTION'))
                """ + (connectionIds == null ? "" : "   AND connection_id IN (:ids)\n") + """
                 ORDER BY id FETCH FIRST %d ROWS ONLY""".formatted(LIMIT);
        var statement = jdbc.sql(sql);
        if (connectionIds != null) {
            statement = statement.param("ids", List.copyOf(connectionIds));
        }
        List<Row> rows = statement.query((rs, n) -> new Row(rs.getLong(1), rs.getString(2), rs.getString(3),
                rs.getString(4), rs.getString(5), rs.getString(6), rs.getObject(7, OffsetDateTime.class),
                rs.getObject(8, OffsetDateTime.class), rs.getObject(9, OffsetDateTime.class))).list();
        Map<String, Sla> byConnection = new HashMap<>();
        List<Item> items = new ArrayList<>();
        for (Row r : rows) {
            Sla sla = byConnection.computeIfAbsent(r.connectionId(), slas::of);
            Queue queue = switch (r.state()) {
                case "FLAGGED", "NEEDS_ATTENTION" -> Queue.FLAGGED_NOT_RESOLVED;
                default -> r.receivedAt() == null ? Queue.DELIVERED_NOT_RECEIVED : Queue.RECEIVED_NOT_DECIDED;
            };
            OffsetDateTime start = r.deliveredAt() != null ? r.deliveredAt() : r.receivedAt() != null ? r.receivedAt()
                    : r.createdAt();
            Instant due = sla.due(start.toInstant());
            items.add(new Item(r.connectionId(), r.loopReturnId(), r.id(), r.orderName(), r.state(), queue,
                    r.attentionReason(), start, due, Duration.between(now, due), sla.clock().between(now, due),
                    !now.isBefore(due), "/returns/" + r.id()));
        }
        items.sort(Comparator.comparing(Item::dueAt).thenComparing(Item::linkId));
        return items;
    }
}
