package com.returnbridge.sandbox.shiphero;

import com.returnbridge.sandbox.SandboxWebhookSender;
import com.returnbridge.sandbox.shiphero.ShipHeroStore.ReturnChange;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.json.JsonMapper;

/**
 * Sends a "Return Update" to every matching subscription. The body is serialised once and each subscription's
 * copy is signed over exactly those bytes; the message id is fixed per event so retries and duplicates share it.
 */
final class ReturnUpdateNotifier {

    static final String SIGNATURE_HEADER = "x-shiphero-hmac-sha256";
    static final String MESSAGE_ID_HEADER = "X-Shiphero-Message-ID";

    /** Per webhook id: an attempt's outcome, answered with whether the webhook is still enabled. */
    interface Health {
        boolean afterAttempt(String webhookId, boolean delivered);
    }

    private final SandboxWebhookSender sender;
    private final JsonMapper json;
    private final Health health;

    ReturnUpdateNotifier(SandboxWebhookSender sender, JsonMapper json, Health health) {
        this.sender = sender;
        this.json = json;
        this.health = health;
    }

    void publish(ReturnChange change) {
        if (change.targets().isEmpty()) {
            return;
        }
        byte[] body = json.writeValueAsBytes(change.payload());
        Map<String, String> headers = Map.of(MESSAGE_ID_HEADER, UUID.randomUUID().toString());
        change.targets().forEach(t -> sender.send(t.url(), SIGNATURE_HEADER, t.secret(), body, headers,
                delivered -> health.afterAttempt(t.webhookId(), delivered)));
    }
}
