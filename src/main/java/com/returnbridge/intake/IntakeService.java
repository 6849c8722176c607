package com.returnbridge.intake;

import com.returnbridge.bridge.InvalidPayloadException;
import com.returnbridge.bridge.LoopEvent;
import com.returnbridge.bridge.LoopReturn;
import com.returnbridge.bridge.RacingTransactions;
import com.returnbridge.bridge.StoredLoopReturn;
import com.returnbridge.bridge.WarehouseEvent;
import com.returnbridge.connection.Connection;
import com.returnbridge.vendor.Signatures;
import com.returnbridge.vendor.WebhookPeek;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Verify, read, store, answer: a webhook is read (to tell what it is about, and whether it can be read at all),
 * appended to the inbox with its dedupe key ({@link InboxWriter}, one insert, committed with the deliveries that
 * arrive with it) and answered once that commit is done; no vendor call, no other statement. What it means is done
 * after the answer by the {@link InboxRouter}, through {@link Dispatch}. A return read back from Loop's API
 * (backfill) is stored and handled in one transaction, since the backfill counts what it did.
 */
@Service
public class IntakeService {

    private static final Logger log = LoggerFactory.getLogger(IntakeService.class);

    public enum Outcome { ACCEPTED, DUPLICATE, IGNORED, UNREADABLE }

    private final Deliveries deliveries;
    private final Dispatch dispatch;
    private final Rejections rejections;
    private final TransactionTemplate tx;
    private final JsonMapper json;
    private final MeterRegistry meters;
    private final InboxWriter writer;

    IntakeService(Deliveries deliveries, Dispatch dispatch, Rejections rejections,
                  TransactionTemplate tx, JsonMapper json, MeterRegistry meters, InboxWriter writer) {
        this.deliveries = deliveries;
        this.dispatch = dispatch;
        this.rejections = rejections;
        this.tx = tx;
        this.json = json;
        this.meters = meters;
        this.writer = writer;
    }

    // ---------------------------------------------------------------- Loop

    public Outcome acceptLoop(Connection connection, byte[] body, String signature) {
        String secret = connection.loop().webhookSecret() == null ? null : connection.loop().webhookSecret().reveal();
        if (!Signatures.verify(secret, body, signature)) {
            throw rejections.reject(Deliveries.Source.LOOP, connection.id(), new IntakeRejection(
                    HttpStatus.UNAUTHORIZED, "bad_signature",
                    signature == null ? "missing X-Loop-Signature" : "X-Loop-Signature does not match"));
        }
        LoopEvent event;
        try {
            event = dispatch.readLoop(body);
        } catch (InvalidPayloadException e) {
            return storeUnreadable(connection, Deliveries.Source.LOOP, "unreadable:" + Signatures.sha256Hex(body), body,
                    null, e.getMessage());
        }
        // Loop sends no delivery id: the body hash tells retries from new events, the rest makes keys readable.
        String key = abbreviateKey(Signatures.sha256Hex(body).substring(0, 32) + ":" + event.trigger() + ":"
                + event.returnId() + ":" + (event.editedAt() != null ? event.editedAt() : event.state()));
        return append(connection, Deliveries.Source.LOOP, new InboxWriter.Entry(connection.id(),
                Deliveries.Source.LOOP, key, Dispatch.topic(event), event.returnId(), null,
                new String(body, StandardCharsets.UTF_8), null, Dispatch.outcome(event).name(), null));
    }

    /**
     * A Loop return read from Loop's API (backfill): stored as a delivery (its stored form as the body) and handled
     * exactly like its return webhook, so a return already known is a duplicate or an update, never a second RMA.
     */
    public Outcome acceptReadBack(Connection connection, LoopReturn found) {
        byte[] body = StoredLoopReturn.write(found).getBytes(StandardCharsets.UTF_8);
        String key = abbreviateKey(Signatures.sha256Hex(body).substring(0, 32) + Dispatch.READ_BACK + found.id() + ":"
                + (found.editedAt() != null ? found.editedAt() : found.state()));
        return storeLoop(connection, Dispatch.readBackEvent(found), key, body);
    }

    private Outcome storeLoop(Connection connection, LoopEvent event, String key, byte[] body) {
        Outcome outcome = inTransaction(() -> {
            Optional<Long> seen = deliveries.find(connection.id(), Deliveries.Source.LOOP, key);
            if (seen.isPresent()) {
                deliveries.countDuplicate(seen.get());
                return Outcome.DUPLICATE;
            }
            deliveries.insert(connection.id(), Deliveries.Source.LOOP, key, Dispatch.topic(event), event.returnId(),
                    null, new String(body, StandardCharsets.UTF_8), Dispatch.outcome(event).name());
            return dispatch.loop(connection, event);
        });
        count(Deliveries.Source.LOOP, outcome);
        return outcome;
    }

    // ---------------------------------------------------------------- ShipHero

    public Outcome acceptShipHero(Connection connection, byte[] body, String signature, String messageId) {
        String secret = connection.shiphero().webhookSecret() == null ? null
                : connection.shiphero().webhookSecret().reveal();
        if (!Signatures.verify(secret, body, signature)) {
            throw rejections.reject(Deliveries.Source.SHIPHERO, connection.id(), new IntakeRejection(
                    HttpStatus.UNAUTHORIZED, "bad_signature", signature == null ? "missing x-shiphero-hmac-sha256"
                    : "x-shiphero-hmac-sha256 does not match"));
        }
        String key = messageId != null && !messageId.isBlank() && messageId.length() <= 150
                ? "msg:" + messageId.trim() : "sha256:" + Signatures.sha256Hex(body);
        WarehouseEvent event;
        try {
            event = dispatch.readShipHero(body);
        } catch (InvalidPayloadException e) {
            return storeUnreadable(connection, Deliveries.Source.SHIPHERO, key, body, shipheroHeaders(messageId),
                    e.getMessage());
        }
        return append(connection, Deliveries.Source.SHIPHERO, new InboxWriter.Entry(connection.id(),
                Deliveries.Source.SHIPHERO, key, event.webhookType(), event.returnUuid(), shipheroHeaders(messageId),
                new String(body, StandardCharsets.UTF_8), null, Dispatch.outcome(event).name(), null));
    }

    private String shipheroHeaders(String messageId) {
        return messageId == null ? null : json.writeValueAsString(Map.of("X-Shiphero-Message-ID", messageId));
    }

    // ---------------------------------------------------------------- unreadable deliveries

    /**
     * A signed delivery we cannot read: stored as it came with the reason, answered 2xx (Loop drops a 4xx for good and
     * ShipHero counts it toward disabling the webhook) and counted; the router writes it to the connection's
     * timeline, which the alert hook reads. A retry of the same body is a duplicate, as for any delivery.
     */
    private Outcome storeUnreadable(Connection connection, Deliveries.Source source, String key, byte[] body,
                                    String headers, String reason) {
        WebhookPeek peek = dispatch.peek(source, body);
        String text = UnreadableBody.asText(body);
        Outcome outcome = append(connection, source, new InboxWriter.Entry(connection.id(), source, abbreviateKey(key),
                abbreviateTo(peek.topic(), 100), abbreviateTo(peek.subjectId(), 200), headers,
                text != null ? text : java.util.Base64.getEncoder().encodeToString(body),
                text != null ? null : Deliveries.BASE64, Deliveries.UNREADABLE, Deliveries.oneLine(reason)));
        if (outcome == Outcome.UNREADABLE) {
            log.warn("{} delivery for connection '{}' stored as UNREADABLE: {}", source,
                    Rejections.abbreviate(connection.id()), Deliveries.oneLine(reason));
        }
        return outcome;
    }

    /**
     * The delivery appended to the inbox, answered once committed; the router does the rest. A copy of one already
     * stored is a duplicate (counted on the one stored).
     */
    private Outcome append(Connection connection, Deliveries.Source source, InboxWriter.Entry entry) {
        Outcome outcome = writer.append(entry) ? Outcome.valueOf(entry.outcome()) : Outcome.DUPLICATE;
        count(source, outcome);
        return outcome;
    }

    // ---------------------------------------------------------------- plumbing

    private Outcome inTransaction(Supplier<Outcome> work) {
        return RacingTransactions.run(tx, work);
    }

    void count(Deliveries.Source source, Outcome outcome) {
        meters.counter("returnbridge.deliveries", "source", source.name().toLowerCase(), "outcome",
                outcome.name().toLowerCase()).increment();
    }

    private static String abbreviateTo(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max);
    }

    private static String abbreviateKey(String key) {
        return key.length() <= 200 ? key : key.substring(0, 200);
    }
}
