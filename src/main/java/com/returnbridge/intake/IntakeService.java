package com.returnbridge.intake;

import com.returnbridge.bridge.InvalidPayloadException;
import com.returnbridge.bridge.BridgeJobs;
import com.returnbridge.bridge.LinkState;
import com.returnbridge.bridge.LoopEvent;
import com.returnbridge.bridge.LoopReturn;
import com.returnbridge.bridge.ReturnLink;
import com.returnbridge.bridge.ReturnLinks;
import com.returnbridge.bridge.Timeline;
import com.returnbridge.bridge.WarehouseEvent;
import com.returnbridge.connection.Connection;
import com.returnbridge.connection.Connections;
import com.returnbridge.loop.LoopWebhookReader;
import com.returnbridge.shiphero.ShipHeroWebhookReader;
import com.returnbridge.vendor.Signatures;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Verify, store, enqueue, answer: one short transaction per delivery, no vendor call. What the delivery means is
 * worked out later by jobs that re-read the vendors.
 */
@Service
public class IntakeService {

    private static final Logger log = LoggerFactory.getLogger(IntakeService.class);
    private static final Set<LinkState> OPEN = EnumSet.of(LinkState.RECEIVED, LinkState.RMA_CREATED, LinkState.FLAGGED);

    public enum Outcome { ACCEPTED, DUPLICATE, IGNORED, UNREADABLE }

    /** Timeline kind of a signed delivery stored as UNREADABLE (connection level; the alert hook sends it). */
    public static final String KIND_UNREADABLE = "DELIVERY_UNREADABLE";

    private final Connections connections;
    private final Deliveries deliveries;
    private final ReturnLinks links;
    private final Timeline timeline;
    private final BridgeJobs jobs;
    private final LoopWebhookReader loopReader;
    private final ShipHeroWebhookReader shipheroReader;
    private final TransactionTemplate tx;
    private final JsonMapper json;
    private final MeterRegistry meters;
    private final DeliveryRejections rejections;

    public IntakeService(Connections connections, Deliveries deliveries, ReturnLinks links, Timeline timeline,
                         BridgeJobs jobs, LoopWebhookReader loopReader, ShipHeroWebhookReader shipheroReader,
                         TransactionTemplate tx, JsonMapper json, MeterRegistry meters,
                         DeliveryRejections rejections) {
        this.connections = connections;
        this.deliveries = deliveries;
        this.links = links;
        this.timeline = timeline;
        this.jobs = jobs;
        this.loopReader = loopReader;
        this.shipheroReader = shipheroReader;
        this.tx = tx;
        this.json = json;
        this.meters = meters;
        this.rejections = rejections;
    }

    public Connection connection(String connectionId, Deliveries.Source source) {
        return connections.find(connectionId).orElseThrow(() -> reject(source, connectionId,
                new IntakeRejection(HttpStatus.NOT_FOUND, "unknown_connection", "unknown connection '"
                        + abbreviate(connectionId) + "'")));
    }

    /** A delivery refused: counted in the metric, logged, and counted per connection when the connection exists. */
    public IntakeRejection reject(Deliveries.Source source, String connectionId, IntakeRejection rejection) {
        return reject(source, connectionId, rejection, true);
    }

    private IntakeRejection reject(Deliveries.Source source, String connectionId, IntakeRejection rejection,
                                   boolean vendorDelivery) {
        meters.counter("returnbridge.deliveries", "source", source.name().toLowerCase(), "outcome",
                rejection.outcome()).increment();
        log.warn("{} delivery for connection '{}' rejected ({}): {}", source, abbreviate(connectionId),
                rejection.status().value(), rejection.getMessage());
        if (vendorDelivery) {
            countForConnection(source, connectionId, rejection);
        }
        return rejection;
    }

    /**
     * Per connection, for the console: only a connection that exists (an unknown id has nothing to attribute to, and
     * a flood of made-up ids must not create rows). Its own short transaction; a failure here never changes the
     * answer the sender gets.
     */
    private void countForConnection(Deliveries.Source source, String connectionId, IntakeRejection rejection) {
        if ("unknown_connection".equals(rejection.outcome()) || connectionId == null
                || connections.find(connectionId).isEmpty()) {
            return;
        }
        try {
            rejections.record(connectionId, source, rejection.outcome(), rejection.getMessage());
        } catch (RuntimeException e) {
            log.warn("could not count the rejected {} delivery for connection '{}': {}", source,
                    abbreviate(connectionId), e.toString());
        }
    }

    // ---------------------------------------------------------------- Loop

    public Outcome acceptLoop(Connection connection, byte[] body, String signature) {
        String secret = connection.loop().webhookSecret() == null ? null : connection.loop().webhookSecret().reveal();
        if (!Signatures.verify(secret, body, signature)) {
            throw reject(Deliveries.Source.LOOP, connection.id(), new IntakeRejection(HttpStatus.UNAUTHORIZED,
                    "bad_signature", signature == null ? "missing X-Loop-Signature" : "X-Loop-Signature does not match"));
        }
        LoopEvent event;
        try {
            event = readLoop(body);
        } catch (InvalidPayloadException e) {
            return storeUnreadable(connection, Deliveries.Source.LOOP, "unreadable:" + Signatures.sha256Hex(body), body,
                    null, e.getMessage());
        }
        // Loop sends no delivery id: the body hash tells retries from new events, the rest makes keys readable.
        String key = abbreviateKey(Signatures.sha256Hex(body).substring(0, 32) + ":" + event.trigger() + ":"
                + event.returnId() + ":" + (event.editedAt() != null ? event.editedAt() : event.state()));
        Outcome outcome = inTransaction(() -> storeLoop(connection, event, key, body));
        count(Deliveries.Source.LOOP, outcome);
        return outcome;
    }

    private Outcome storeLoop(Connection connection, LoopEvent event, String key, byte[] body) {
        Optional<Long> seen = deliveries.find(connection.id(), Deliveries.Source.LOOP, key);
        if (seen.isPresent()) {
            deliveries.countDuplicate(seen.get());
            return Outcome.DUPLICATE;
        }
        boolean relevant = event.topic() != LoopEvent.Topic.OTHER;
        deliveries.insert(connection.id(), Deliveries.Source.LOOP, key,
                event.topic().name().toLowerCase() + "/" + event.trigger(), event.returnId(), null,
                new String(body, StandardCharsets.UTF_8), relevant ? Outcome.ACCEPTED.name() : Outcome.IGNORED.name());
        if (!relevant) {
            return Outcome.IGNORED;
        }
        Optional<ReturnLink> existing = links.findByLoopId(connection.id(), event.returnId());
        if (event.topic() == LoopEvent.Topic.PROCESSING) {
            onProcessingFailed(connection, event, existing);
        } else if (event.topic() == LoopEvent.Topic.LABEL) {
            onLabel(connection, event, existing);
        } else {
            onReturn(connection, event, existing);
        }
        return Outcome.ACCEPTED;
    }

    private void onReturn(Connection connection, LoopEvent event, Optional<ReturnLink> existing) {
        LoopReturn incoming = event.loopReturn();
        String what = "Loop " + event.trigger() + " (state " + event.state() + ")";
        if (existing.isEmpty()) {
            LinkState initial = incoming.isFinished() ? LinkState.CANCELLED_IN_LOOP : LinkState.RECEIVED;
            long id = links.insert(connection.id(), incoming.id(), incoming.state(), json.writeValueAsString(incoming),
                    incoming.orderName());
            if (initial == LinkState.CANCELLED_IN_LOOP) {
                links.transition(id, LinkState.RECEIVED, LinkState.CANCELLED_IN_LOOP);
                timeline.record(id, connection.id(), incoming.id(), "LOOP_EVENT", what
                        + " before any RMA: no RMA will be created");
            } else {
                timeline.record(id, connection.id(), incoming.id(), "LOOP_EVENT", what + " for order "
                        + incoming.orderName() + ", " + incoming.units().size() + " unit(s)");
                jobs.createRma(id);
            }
            return;
        }
        ReturnLink link = existing.get();
        links.bumpHint(link.id());
        if (incoming.isFinished()) {
            // "closed" after the RMA exists is usually our own Process (or Loop auto-processing): the warehouse
            // decision still runs, and Loop's "already closed" answer then completes it.
            boolean stopsWaiting = !"closed".equals(incoming.state()) || link.state() == LinkState.RECEIVED;
            if (stopsWaiting && OPEN.contains(link.state())) {
                links.transition(link.id(), link.state(), LinkState.CANCELLED_IN_LOOP);
                links.updateLoopReturn(link.id(), incoming.state(), null, null);
                timeline.record(link, "LOOP_EVENT", what + ": the return is " + incoming.state()
                        + " in Loop, the link stops waiting" + (link.shipheroReturnId() == null
                        ? "; no RMA will be created" : " (RMA " + link.shipheroLegacyId() + " stays in ShipHero)"));
            } else {
                links.updateLoopReturn(link.id(), incoming.state(), null, null);
                timeline.record(link, "LOOP_EVENT", what + " (link is " + link.state() + ")");
                if (link.state() == LinkState.PROCESSED && "closed".equals(incoming.state())) {
                    jobs.applyStatus(link.id()); // Loop has finished our Process: the RMA can be closed now
                }
            }
            return;
        }
        if (link.state() == LinkState.RECEIVED) {
            LoopReturn stored = link.loopReturnJson() == null ? null
                    : json.readValue(link.loopReturnJson(), LoopReturn.class);
            LoopReturn merged = incoming.label() == null && stored != null && stored.label() != null
                    ? incoming.withLabel(stored.label()) : incoming;
            links.updateLoopReturn(link.id(), incoming.state(), json.writeValueAsString(merged), incoming.orderName());
            timeline.record(link, "LOOP_EVENT", what);
            jobs.createRma(link.id());
        } else {
            timeline.record(link, "LOOP_EVENT", what + " (link is " + link.state() + ")");
        }
    }

    private void onLabel(Connection connection, LoopEvent event, Optional<ReturnLink> existing) {
        LoopReturn.Label label = event.label();
        String what = "Loop " + event.trigger() + ": " + (label == null ? "no tracking yet"
                : label.carrier() + " " + label.trackingNumber() + " (" + label.status() + ")");
        if (existing.isEmpty()) {
            // The label beat the return: keep it on a placeholder until return.created brings the rest.
            LoopReturn placeholder = new LoopReturn(event.returnId(), null, null, null, null, null, null, null, label);
            long id = links.insert(connection.id(), event.returnId(), null, json.writeValueAsString(placeholder), null);
            timeline.record(id, connection.id(), event.returnId(), "LOOP_LABEL", what + "; kept until the return arrives");
            return;
        }
        ReturnLink link = existing.get();
        links.bumpHint(link.id());
        if (link.state() == LinkState.RECEIVED && label != null && link.loopReturnJson() != null) {
            LoopReturn stored = json.readValue(link.loopReturnJson(), LoopReturn.class);
            links.updateLoopReturn(link.id(), link.loopState(), json.writeValueAsString(stored.withLabel(label)), null);
            timeline.record(link, "LOOP_LABEL", what + "; the RMA will carry this tracking");
        } else {
            timeline.record(link, "LOOP_LABEL", what);
        }
    }

    /**
     * Loop could not finish a Process it had accepted. The link's job turns this into NEEDS_ATTENTION (a job that is
     * asking Process right now sees the hint move and runs again); the RMA stays open.
     */
    private void onProcessingFailed(Connection connection, LoopEvent event, Optional<ReturnLink> existing) {
        String reason = com.returnbridge.bridge.LoopProcessing.failureReason(event.processing().message());
        String what = "Loop " + event.trigger() + ": " + reason + " (return " + event.state() + " in Loop, source "
                + event.processing().source() + ")";
        if (existing.isEmpty()) {
            timeline.record(null, connection.id(), event.returnId(), "LOOP_PROCESSING_FAILED", what
                    + "; no return of ours has this id");
            return;
        }
        ReturnLink link = existing.get();
        links.bumpHint(link.id());
        timeline.record(link, "LOOP_PROCESSING_FAILED", what + " (link is " + link.state() + ")");
        if (EnumSet.of(LinkState.RMA_CREATED, LinkState.FLAGGED, LinkState.PROCESSED).contains(link.state())) {
            links.processingFailed(link.id(), reason);
            if (link.state() == LinkState.PROCESSED) {
                jobs.applyStatus(link.id());
            }
        }
    }

    /**
     * The reconciliation sweep found a Loop return the webhooks did not bring (or a state they missed): handled
     * exactly as that webhook would have been, in one transaction.
     */
    public void reconcileLoopReturn(Connection connection, LoopReturn found) {
        LoopEvent event = new LoopEvent(LoopEvent.Topic.RETURN, "reconciliation", found.id(), found.state(),
                found.editedAt(), found, found.label());
        inTransaction(() -> {
            onReturn(connection, event, links.findByLoopId(connection.id(), found.id()));
            return Outcome.ACCEPTED;
        });
    }

    // ---------------------------------------------------------------- ShipHero

    public Outcome acceptShipHero(Connection connection, byte[] body, String signature, String messageId) {
        String secret = connection.shiphero().webhookSecret() == null ? null
                : connection.shiphero().webhookSecret().reveal();
        if (!Signatures.verify(secret, body, signature)) {
            throw reject(Deliveries.Source.SHIPHERO, connection.id(), new IntakeRejection(HttpStatus.UNAUTHORIZED,
                    "bad_signature", signature == null ? "missing x-shiphero-hmac-sha256"
                    : "x-shiphero-hmac-sha256 does not match"));
        }
        String key = messageId != null && !messageId.isBlank() && messageId.length() <= 150
                ? "msg:" + messageId.trim() : "sha256:" + Signatures.sha256Hex(body);
        WarehouseEvent event;
        try {
            event = readShipHero(body);
        } catch (InvalidPayloadException e) {
            return storeUnreadable(connection, Deliveries.Source.SHIPHERO, key, body, shipheroHeaders(messageId),
                    e.getMessage());
        }
        Outcome outcome = inTransaction(() -> storeShipHero(connection, event, key, body, messageId));
        count(Deliveries.Source.SHIPHERO, outcome);
        return outcome;
    }

    private Outcome storeShipHero(Connection connection, WarehouseEvent event, String key, byte[] body,
                                  String messageId) {
        Optional<Long> seen = deliveries.find(connection.id(), Deliveries.Source.SHIPHERO, key);
        if (seen.isPresent()) {
            deliveries.countDuplicate(seen.get());
            return Outcome.DUPLICATE;
        }
        boolean relevant = event.isReturnUpdate() && !event.test();
        deliveries.insert(connection.id(), Deliveries.Source.SHIPHERO, key, event.webhookType(), event.returnUuid(),
                shipheroHeaders(messageId), new String(body, StandardCharsets.UTF_8),
                relevant ? Outcome.ACCEPTED.name() : Outcome.IGNORED.name());
        if (!relevant) {
            return Outcome.IGNORED;
        }
        Optional<ReturnLink> link = links.findByRmaId(connection.id(), event.returnUuid());
        if (link.isPresent()) {
            links.bumpHint(link.get().id());
            timeline.record(link.get(), "SHIPHERO_EVENT", "ShipHero Return Update: status '" + event.status() + "'");
            jobs.applyStatus(link.get().id());
        } else {
            jobs.resolveRma(connection.id(), event.returnUuid());
        }
        return Outcome.ACCEPTED;
    }

    // ---------------------------------------------------------------- operator: replay and backfill

    /**
     * Applies a stored delivery again, as if it had just arrived but without the duplicate check (an operator's
     * replay), read by the current code. Jobs stay idempotent, so a replay never makes a second RMA or a second Loop
     * action. An UNREADABLE delivery that reads now is handled as normal and stops being unreadable; one that still
     * cannot be read stays UNREADABLE with the current reason.
     */
    public Outcome replay(long deliveryId) {
        Deliveries.Delivery delivery = deliveries.get(deliveryId)
                .orElseThrow(() -> new IllegalArgumentException("no delivery " + deliveryId));
        Connection connection = connections.find(delivery.connectionId())
                .orElseThrow(() -> new IllegalArgumentException("no connection " + delivery.connectionId()));
        byte[] body = deliveries.bodyBytes(delivery);
        boolean wasUnreadable = Deliveries.UNREADABLE.equals(delivery.outcome());
        Deliveries.Source source = Deliveries.Source.valueOf(delivery.source());
        if (source == Deliveries.Source.LOOP) {
            LoopEvent event;
            try {
                event = readLoop(body);
            } catch (InvalidPayloadException e) {
                return stillUnreadable(delivery, source, e.getMessage());
            }
            String topic = event.topic().name().toLowerCase() + "/" + event.trigger();
            if (event.topic() == LoopEvent.Topic.OTHER) {
                return tx.execute(s -> readNow(delivery, wasUnreadable, Outcome.IGNORED, topic, event.returnId()));
            }
            return tx.execute(s -> {
                Optional<ReturnLink> existing = links.findByLoopId(connection.id(), event.returnId());
                if (event.topic() == LoopEvent.Topic.PROCESSING) {
                    onProcessingFailed(connection, event, existing);
                } else if (event.topic() == LoopEvent.Topic.LABEL) {
                    onLabel(connection, event, existing);
                } else {
                    onReturn(connection, event, existing);
                }
                return readNow(delivery, wasUnreadable, Outcome.ACCEPTED, topic, event.returnId());
            });
        }
        WarehouseEvent event;
        try {
            event = readShipHero(body);
        } catch (InvalidPayloadException e) {
            return stillUnreadable(delivery, source, e.getMessage());
        }
        if (!event.isReturnUpdate() || event.test()) {
            return tx.execute(s -> readNow(delivery, wasUnreadable, Outcome.IGNORED, event.webhookType(),
                    event.returnUuid()));
        }
        return tx.execute(s -> {
            Optional<ReturnLink> link = links.findByRmaId(connection.id(), event.returnUuid());
            if (link.isPresent()) {
                links.bumpHint(link.get().id());
                timeline.record(link.get(), "SHIPHERO_EVENT", "ShipHero Return Update (replayed): status '"
                        + event.status() + "'");
                jobs.applyStatus(link.get().id());
            } else {
                jobs.resolveRma(connection.id(), event.returnUuid());
            }
            return readNow(delivery, wasUnreadable, Outcome.ACCEPTED, event.webhookType(), event.returnUuid());
        });
    }

    /** The result of replaying every UNREADABLE delivery of a connection with the current code. */
    public record BulkReplay(int replayed, int read, int stillUnreadable, boolean more) {
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
            Outcome outcome;
            try {
                outcome = replay(id);
            } catch (RuntimeException e) {
                log.warn("replay of unreadable delivery #{} for connection '{}' failed: {}", id,
                        abbreviate(connectionId), e.toString());
                outcome = Outcome.UNREADABLE;
            }
            if (outcome == Outcome.UNREADABLE) {
                still++;
            } else {
                read++;
            }
        }
        return new BulkReplay(read + still, read, still, more);
    }

    private Outcome readNow(Deliveries.Delivery delivery, boolean wasUnreadable, Outcome outcome, String topic,
                            String subjectId) {
        if (wasUnreadable) {
            deliveries.markRead(delivery.id(), outcome.name(), abbreviateTo(topic, 100), abbreviateTo(subjectId, 200));
            timeline.record(null, delivery.connectionId(), null, "DELIVERY_READ", delivery.source().toLowerCase()
                    + " delivery #" + delivery.id() + " was unreadable and reads now (" + topic + "): "
                    + outcome.name().toLowerCase());
            count(Deliveries.Source.valueOf(delivery.source()), outcome);
        }
        return outcome;
    }

    private Outcome stillUnreadable(Deliveries.Delivery delivery, Deliveries.Source source, String reason) {
        deliveries.markUnreadable(delivery.id(), reason);
        log.info("{} delivery #{} for connection '{}' still cannot be read: {}", source, delivery.id(),
                abbreviate(delivery.connectionId()), reason);
        return Outcome.UNREADABLE;
    }

    // ---------------------------------------------------------------- unreadable deliveries

    private LoopEvent readLoop(byte[] body) {
        if (body.length == 0) {
            throw new InvalidPayloadException("empty body");
        }
        return loopReader.read(body);
    }

    private WarehouseEvent readShipHero(byte[] body) {
        if (body.length == 0) {
            throw new InvalidPayloadException("empty body");
        }
        return shipheroReader.read(body);
    }

    private String shipheroHeaders(String messageId) {
        return messageId == null ? null : json.writeValueAsString(Map.of("X-Shiphero-Message-ID", messageId));
    }

    /**
     * A signed delivery we cannot read: stored as it came with the reason, answered 2xx (Loop drops a 4xx for good and
     * ShipHero counts it toward disabling the webhook), counted, and written to the connection's timeline, which the
     * alert hook reads. A retry of the same body is a duplicate, as for any delivery.
     */
    private Outcome storeUnreadable(Connection connection, Deliveries.Source source, String key, byte[] body,
                                    String headers, String reason) {
        String dedupeKey = abbreviateKey(key);
        Outcome outcome = inTransaction(() -> {
            Optional<Long> seen = deliveries.find(connection.id(), source, dedupeKey);
            if (seen.isPresent()) {
                deliveries.countDuplicate(seen.get());
                return Outcome.DUPLICATE;
            }
            UnreadableBody.Peek peek = UnreadableBody.peek(json, source, body);
            long id = deliveries.insertUnreadable(connection.id(), source, dedupeKey, peek.topic(), peek.subjectId(),
                    headers, body, reason);
            timeline.record(null, connection.id(), null, KIND_UNREADABLE, (source == Deliveries.Source.LOOP ? "Loop"
                    : "ShipHero") + " delivery #" + id + " could not be read: " + Deliveries.oneLine(reason)
                    + "; stored, replay it once a fix or an upgrade can read it");
            return Outcome.UNREADABLE;
        });
        count(source, outcome);
        if (outcome == Outcome.UNREADABLE) {
            log.warn("{} delivery for connection '{}' stored as UNREADABLE: {}", source, abbreviate(connection.id()),
                    Deliveries.oneLine(reason));
        }
        return outcome;
    }

    /**
     * A Loop return fetched from Loop's API (backfill), in the return webhook's shape: stored and handled exactly like
     * a webhook delivery, so a return already known is a duplicate or an update, never a second RMA.
     */
    public Outcome acceptBackfill(Connection connection, byte[] body) {
        LoopEvent event = parse(Deliveries.Source.LOOP, connection.id(), () -> loopReader.read(body), false);
        String key = abbreviateKey(Signatures.sha256Hex(body).substring(0, 32) + ":backfill:" + event.returnId() + ":"
                + (event.editedAt() != null ? event.editedAt() : event.state()));
        Outcome outcome = inTransaction(() -> storeLoop(connection, event, key, body));
        count(Deliveries.Source.LOOP, outcome);
        return outcome;
    }

    // ---------------------------------------------------------------- plumbing

    /** {@code vendorDelivery} false: a return read back from Loop's API by backfill, not a delivery a vendor sent. */
    private <T> T parse(Deliveries.Source source, String connectionId, java.util.function.Supplier<T> reader,
                        boolean vendorDelivery) {
        try {
            return reader.get();
        } catch (InvalidPayloadException e) {
            throw reject(source, connectionId, new IntakeRejection(HttpStatus.BAD_REQUEST, "malformed", e.getMessage()),
                    vendorDelivery);
        }
    }

    /**
     * Two copies of one delivery racing each other: the loser hits the unique key (or a lock) and runs again,
     * now finding the winner's row.
     */
    private Outcome inTransaction(java.util.function.Supplier<Outcome> work) {
        for (int attempt = 1; ; attempt++) {
            try {
                return tx.execute(s -> work.get());
            } catch (DuplicateKeyException | PessimisticLockingFailureException e) {
                if (attempt >= 5) {
                    throw e;
                }
            }
        }
    }

    private void count(Deliveries.Source source, Outcome outcome) {
        meters.counter("returnbridge.deliveries", "source", source.name().toLowerCase(), "outcome",
                outcome.name().toLowerCase()).increment();
    }

    private static String abbreviateKey(String key) {
        return key.length() <= 200 ? key : key.substring(0, 200);
    }

    private static String abbreviateTo(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max);
    }

    private static String abbreviate(String value) {
        if (value == null) {
            return "";
        }
        String clean = value.replaceAll("[^A-Za-z0-9._-]", "?");
        return clean.length() <= 60 ? clean : clean.substring(0, 60) + "…";
    }
}
