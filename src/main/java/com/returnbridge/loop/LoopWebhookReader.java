package com.returnbridge.loop;

import com.returnbridge.bridge.InvalidPayloadException;
import com.returnbridge.bridge.LoopEvent;
import com.returnbridge.bridge.LoopReturn;
import com.returnbridge.vendor.WebhookPeek;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads Loop's return, label and processing webhooks into the bridge's events; the return itself is read by
 * {@link LoopReturnMapper}, as for the list and details endpoints.
 */
@Component
public class LoopWebhookReader {

    private final JsonMapper json;

    public LoopWebhookReader(JsonMapper json) {
        this.json = json;
    }

    /** The topic/trigger and return id of a body {@link #read} refused, when it is a JSON object naming them. */
    public WebhookPeek peek(byte[] body) {
        return WebhookPeek.of(json, body, root -> {
            String topic = WebhookPeek.scalar(root, "topic");
            String trigger = WebhookPeek.scalar(root, "trigger");
            String shown = topic == null && trigger == null ? null
                    : (topic == null ? "?" : topic) + "/" + (trigger == null ? "?" : trigger);
            String id = WebhookPeek.scalar(root, "id");
            return WebhookPeek.of(shown, id != null ? id : WebhookPeek.scalar(root, "return_id"));
        });
    }

    public LoopEvent read(byte[] body) {
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (JacksonException e) {
            throw new InvalidPayloadException("body is not JSON: " + firstLine(e.getOriginalMessage()));
        }
        if (root == null || !root.isObject()) {
            throw new InvalidPayloadException("body is not a JSON object");
        }
        if (isProcessing(root)) {
            return readProcessing(root);
        }
        String topic = required(root, "topic");
        String trigger = required(root, "trigger");
        if (topic.equals("restock")) {
            return readRestock(root, trigger);
        }
        String id = topic.equals("return") || topic.equals("label") ? LoopReturnMapper.returnId(root, "id")
                : required(root, "id");
        return switch (topic) {
            case "return" -> {
                LoopReturn loopReturn = LoopReturnMapper.map(root, id);
                yield new LoopEvent(LoopEvent.Topic.RETURN, trigger, id, loopReturn.state(), loopReturn.editedAt(),
                        loopReturn, loopReturn.label()).withCarrier(delivered(root));
            }
            case "label" -> new LoopEvent(LoopEvent.Topic.LABEL, trigger, id, null, null, null,
                    LoopReturnMapper.label(root)).withCarrier(delivered(root));
            default -> new LoopEvent(LoopEvent.Topic.OTHER, trigger, id, null, null, null, null);
        };
    }

    /**
     * Loop's "Return processing" webhook: topic {@code return.processing}, trigger {@code return.processing.failed}
     * (the only one Loop emits), body {@code return_id}, {@code return_state}, {@code message}, {@code source} and no
     * {@code id}. Read by its topic, or by that documented body when a copy comes without topic and trigger.
     */
    private static boolean isProcessing(JsonNode root) {
        JsonNode topic = root.get("topic");
        if (topic != null && topic.isString()) {
            return "return.processing".equals(topic.asString().trim());
        }
        return (topic == null || topic.isNull()) && root.get("id") == null && root.has("return_id")
                && root.has("return_state");
    }

    private LoopEvent readProcessing(JsonNode root) {
        JsonNode triggerNode = root.get("trigger");
        String trigger = triggerNode == null || triggerNode.isNull() ? "return.processing.failed"
                : required(root, "trigger");
        String returnId = LoopReturnMapper.returnId(root, "return_id");
        String rawState = optionalText(root, "return_state", LoopReturnMapper.MAX_STATE);
        String state = rawState == null ? null : LoopReturnMapper.state(rawState);
        String message = optionalText(root, "message", 1000);
        String source = optionalText(root, "source", 50);
        if (!"return.processing.failed".equals(trigger)) {
            return new LoopEvent(LoopEvent.Topic.OTHER, trigger, returnId, state, null, null, null);
        }
        return new LoopEvent(LoopEvent.Topic.PROCESSING, trigger, returnId, state, null, null, null,
                new LoopEvent.Processing(message, source));
    }

    /**
     * Loop's label status {@code delivered} (label payload, or the trailing label fields of a return payload): the
     * carrier delivered the parcel, at {@code label_updated_at} when that reads as a time. Any other status, or none,
     * is null. An unreadable time never makes the delivery unreadable: the SLA clock then starts when it arrived.
     */
    static LoopEvent.Delivered delivered(JsonNode root) {
        JsonNode status = root.get("label_status");
        if (status == null || !status.isString() || !"delivered".equalsIgnoreCase(status.asString().trim())) {
            return null;
        }
        JsonNode at = root.get("label_updated_at");
        if (at != null && at.isString()) {
            try {
                return new LoopEvent.Delivered(java.time.OffsetDateTime.parse(at.asString().trim()).toInstant());
            } catch (java.time.format.DateTimeParseException e) {
                return new LoopEvent.Delivered(null);
            }
        }
        return new LoopEvent.Delivered(null);
    }

    /**
     * Loop's restock webhook (topic {@code restock}, trigger {@code restock.requested}). Its payload is not published
     * beyond "the return's items to restock"; the return is named by {@code id} as in the return webhook, or by
     * {@code return_id}.
     */
    private static LoopEvent readRestock(JsonNode root, String trigger) {
        String id = root.has("id") ? LoopReturnMapper.returnId(root, "id") : LoopReturnMapper.returnId(root, "return_id");
        LoopEvent.Topic topic = "restock.requested".equals(trigger) ? LoopEvent.Topic.RESTOCK : LoopEvent.Topic.OTHER;
        return new LoopEvent(topic, trigger, id, null, null, null, null);
    }

    /** A string or null: another type means Loop changed the shape, which must not pass unnoticed. */
    private static String optionalText(JsonNode root, String field, int max) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isString()) {
            throw new InvalidPayloadException("field '" + field + "' must be a string or null");
        }
        String value = node.asString().trim();
        if (value.isEmpty()) {
            return null;
        }
        return value.length() <= max ? value : value.substring(0, max);
    }

    private static String required(JsonNode root, String field) {
        return LoopReturnMapper.required(root, field);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
