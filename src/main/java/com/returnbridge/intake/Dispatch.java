package com.returnbridge.intake;

import com.returnbridge.bridge.InvalidPayloadException;
import com.returnbridge.bridge.LoopEvent;
import com.returnbridge.bridge.LoopSide;
import com.returnbridge.bridge.LoopStage;
import com.returnbridge.bridge.StoredLoopReturn;
import com.returnbridge.bridge.WarehouseEvent;
import com.returnbridge.bridge.WarehouseSide;
import com.returnbridge.connection.Connection;
import com.returnbridge.grading.RestockGuard;
import com.returnbridge.loop.LoopStateWords;
import com.returnbridge.loop.LoopWebhookReader;
import com.returnbridge.shiphero.ShipHeroWebhookReader;
import com.returnbridge.vendor.WebhookPeek;
import java.nio.charset.StandardCharsets;
import org.springframework.stereotype.Component;

/**
 * From a stored body to what it does: read it, tell whether it matters, and hand it to the bridge. A fresh delivery
 * and an operator's replay go through here alike.
 */
@Component
class Dispatch {

    /** In the dedupe key of a return read back from Loop's API (backfill); its body is the return's stored form. */
    static final String READ_BACK = ":backfill:";

    private final LoopWebhookReader loopReader;
    private final ShipHeroWebhookReader shipheroReader;
    private final LoopSide loopSide;
    private final WarehouseSide warehouseSide;
    private final RestockGuard restockGuard;

    Dispatch(LoopWebhookReader loopReader, ShipHeroWebhookReader shipheroReader, LoopSide loopSide,
             WarehouseSide warehouseSide, RestockGuard restockGuard) {
        this.loopReader = loopReader;
        this.shipheroReader = shipheroReader;
        this.loopSide = loopSide;
        this.warehouseSide = warehouseSide;
        this.restockGuard = restockGuard;
    }

    /** What an unreadable body still names (topic or type, and subject), as its vendor's reader finds it. */
    WebhookPeek peek(Deliveries.Source source, byte[] body) {
        return source == Deliveries.Source.LOOP ? loopReader.peek(body) : shipheroReader.peek(body);
    }

    LoopEvent readLoop(byte[] body) {
        if (body.length == 0) {
            throw new InvalidPayloadException("empty body");
        }
        return loopReader.read(body);
    }

    /**
     * A stored Loop delivery, read again: a return read back from Loop's API is stored in its stored form (older
     * backfills stored it in the return webhook's shape, which the webhook reader reads).
     */
    LoopEvent readStoredLoop(Deliveries.Delivery delivery, byte[] body) {
        if (delivery.dedupeKey().contains(READ_BACK) && StoredLoopReturn.isStoredForm(body)) {
            return readBackEvent(StoredLoopReturn.read(new String(body, StandardCharsets.UTF_8)));
        }
        return readLoop(body);
    }

    static LoopEvent readBackEvent(com.returnbridge.bridge.LoopReturn found) {
        String trigger = LoopStateWords.of(found.state()) == LoopStage.OPEN ? "return.created" : "return.updated";
        return new LoopEvent(LoopEvent.Topic.RETURN, trigger, found.id(), found.state(), found.editedAt(), found,
                found.label());
    }

    WarehouseEvent readShipHero(byte[] body) {
        if (body.length == 0) {
            throw new InvalidPayloadException("empty body");
        }
        return shipheroReader.read(body);
    }

    static IntakeService.Outcome outcome(LoopEvent event) {
        return event.topic() == LoopEvent.Topic.OTHER ? IntakeService.Outcome.IGNORED : IntakeService.Outcome.ACCEPTED;
    }

    static IntakeService.Outcome outcome(WarehouseEvent event) {
        return event.isReturnUpdate() && !event.test() ? IntakeService.Outcome.ACCEPTED
                : IntakeService.Outcome.IGNORED;
    }

    static String topic(LoopEvent event) {
        return event.topic().name().toLowerCase() + "/" + event.trigger();
    }

    /** Does what the event means, in the caller's transaction; returns whether it meant anything. */
    IntakeService.Outcome loop(Connection connection, LoopEvent event) {
        IntakeService.Outcome outcome = outcome(event);
        if (outcome == IntakeService.Outcome.ACCEPTED && event.topic() == LoopEvent.Topic.RESTOCK) {
            restockGuard.requested(connection.id(), event.returnId());
        } else if (outcome == IntakeService.Outcome.ACCEPTED) {
            loopSide.apply(connection, event);
        }
        return outcome;
    }

    IntakeService.Outcome shipHero(Connection connection, WarehouseEvent event, boolean replayed) {
        IntakeService.Outcome outcome = outcome(event);
        if (outcome == IntakeService.Outcome.ACCEPTED) {
            warehouseSide.returnUpdate(connection, event, replayed);
        }
        return outcome;
    }
}
