package com.returnbridge.intake;

import static com.returnbridge.bridge.TimelineKind.DELIVERY_READ;

import com.returnbridge.bridge.InvalidPayloadException;
import com.returnbridge.bridge.LoopEvent;
import com.returnbridge.bridge.Timeline;
import com.returnbridge.bridge.WarehouseEvent;
import com.returnbridge.connection.Connection;
import com.returnbridge.connection.Connections;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * An operator's replay: a stored delivery applied again, as if it had just arrived but without the duplicate check,
 * read by the current code and handed to the same {@link Dispatch} as a fresh delivery. Jobs stay idempotent, so a
 * replay never makes a second RMA or a second Loop action. An UNREADABLE delivery that reads now is handled as normal
 * and stops being unreadable; one that still cannot be read stays UNREADABLE with the current reason.
 */
@Service
public class Replays {

    private static final Logger log = LoggerFactory.getLogger(Replays.class);

    /** The result of replaying every UNREADABLE delivery of a connection with the current code. */
    public record BulkReplay(int replayed, int read, int stillUnreadable, boolean more) {
    }

    private final Connections connections;
    private final Deliveries deliveries;
    private final Timeline timeline;
    private final Dispatch dispatch;
    private final IntakeService intake;
    private final TransactionTemplate tx;

    Replays(Connections connections, Deliveries deliveries, Timeline timeline, Dispatch dispatch,
            IntakeService intake, TransactionTemplate tx) {
        this.connections = connections;
        this.deliveries = deliveries;
        this.timeline = timeline;
        this.dispatch = dispatch;
        this.intake = intake;
        this.tx = tx;
    }

    public IntakeService.Outcome replay(long deliveryId) {
        Deliveries.Delivery delivery = deliveries.get(deliveryId)
                .orElseThrow(() -> new IllegalArgumentException("no delivery " + deliveryId));
        Connection connection = connections.find(delivery.connectionId())
                .orElseThrow(() -> new IllegalArgumentException("no connection " + delivery.connectionId()));
        byte[] body = deliveries.bodyBytes(delivery);
        Deliveries.Source source = Deliveries.Source.valueOf(delivery.source());
        if (source == Deliveries.Source.LOOP) {
            LoopEvent event;
            try {
                event = dispatch.readStoredLoop(delivery, body);
            } catch (InvalidPayloadException e) {
                return stillUnreadable(delivery, source, e.getMessage());
            }
            return tx.execute(s -> readNow(delivery, dispatch.loop(connection, event), Dispatch.topic(event),
                    event.returnId()));
        }
        WarehouseEvent event;
        try {
            event = dispatch.readShipHero(body);
        } catch (InvalidPayloadException e) {
            return stillUnreadable(delivery, source, e.getMessage());
        }
        return tx.execute(s -> readNow(delivery, dispatch.shipHero(connection, event, true), event.webhookType(),
                event.returnUuid()));
    }

    /**
     * Replays this connection's UNREADABLE deliveries, oldest first, at most {@code max} of them (one at a time, each
     * in its own transaction, so one that fails does not stop the others). {@code more}: some were left for the next
     * call.
     */
    public BulkReplay replayUnreadable(String connectionId, int max) {
        connections.find(connectionId).orElseThrow(() -> new IllegalArgumentException("no connection " + connectionId));
        List<Long> ids = deliveries.unreadableIds(connectionId, 0, max + 1);
        boolean more = ids.size() > max;
        int read = 0;
        int still = 0;
        for (long id : more ? ids.subList(0, max) : ids) {
            IntakeService.Outcome outcome;
            try {
                outcome = replay(id);
            } catch (RuntimeException e) {
                log.warn("replay of unreadable delivery #{} for connection '{}' failed: {}", id,
                        Rejections.abbreviate(connectionId), e.toString());
                outcome = IntakeService.Outcome.UNREADABLE;
            }
            if (outcome == IntakeService.Outcome.UNREADABLE) {
                still++;
            } else {
                read++;
            }
        }
        return new BulkReplay(read + still, read, still, more);
    }

    private IntakeService.Outcome readNow(Deliveries.Delivery delivery, IntakeService.Outcome outcome, String topic,
                                          String subjectId) {
        if (Deliveries.UNREADABLE.equals(delivery.outcome())) {
            deliveries.markRead(delivery.id(), outcome.name(), abbreviateTo(topic, 100), abbreviateTo(subjectId, 200));
            timeline.record(null, delivery.connectionId(), null, DELIVERY_READ, delivery.source().toLowerCase()
                    + " delivery #" + delivery.id() + " was unreadable and reads now (" + topic + "): "
                    + outcome.name().toLowerCase());
            intake.count(Deliveries.Source.valueOf(delivery.source()), outcome);
        }
        return outcome;
    }

    private IntakeService.Outcome stillUnreadable(Deliveries.Delivery delivery, Deliveries.Source source,
                                                  String reason) {
        deliveries.markUnreadable(delivery.id(), reason);
        log.info("{} delivery #{} for connection '{}' still cannot be read: {}", source, delivery.id(),
                Rejections.abbreviate(delivery.connectionId()), reason);
        return IntakeService.Outcome.UNREADABLE;
    }

    private static String abbreviateTo(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max);
    }
}
