package com.returnbridge.loop;

import com.returnbridge.bridge.InvalidPayloadException;
import com.returnbridge.bridge.LoopEvent;
import com.returnbridge.bridge.LoopReturn;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads Loop's return and label webhooks into the bridge's records. Loop's types are loose (ids come as strings
 * or numbers), so every id is read as text; unknown fields are ignored because Loop adds fields without notice.
 */
@Component
public class LoopWebhookReader {

    /** The longest state kept: {@code return_link.loop_state} holds 30. */
    static final int MAX_STATE = 30;

    private final JsonMapper json;

    public LoopWebhookReader(JsonMapper json) {
        this.json = json;
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
        String id = required(root, "id");
        if ((topic.equals("return") || topic.equals("label")) && !id.matches("\\d{1,18}")) {
            // Loop return ids are integers (every action takes one in its path): anything else would only fail later
            throw new InvalidPayloadException("field 'id' must be a Loop return id (an integer)");
        }
        return switch (topic) {
            case "return" -> readReturn(root, trigger, id);
            case "label" -> new LoopEvent(LoopEvent.Topic.LABEL, trigger, id, null, null, null, label(root));
            default -> new LoopEvent(LoopEvent.Topic.OTHER, trigger, id, null, null, null, null);
        };
    }

    private LoopEvent readReturn(JsonNode root, String trigger, String id) {
        String state = state(required(root, "state"));
        String orderName = text(root, "order_name");
        if (orderName != null && orderName.length() > 100) {
            throw new InvalidPayloadException("field 'order_name' is longer than 100 characters");
        }
        String editedAt = text(root, "edited_at");
        JsonNode items = root.path("line_items");
        if (!items.isMissingNode() && !items.isNull() && !items.isArray()) {
            throw new InvalidPayloadException("line_items must be an array");
        }
        List<LoopReturn.Unit> units = new ArrayList<>();
        for (JsonNode item : items.isArray() ? items.values() : List.<JsonNode>of()) {
            if (!item.isObject()) {
                throw new InvalidPayloadException("line_items entries must be objects");
            }
            units.add(new LoopReturn.Unit(text(item, "sku"), text(item, "return_reason"),
                    text(item, "provider_line_item_id")));
        }
        JsonNode address = root.path("address");
        if (!address.isMissingNode() && !address.isNull() && !address.isObject()) {
            throw new InvalidPayloadException("address must be an object");
        }
        JsonNode customer = root.path("customer_detail");
        String name = text(address, "name");
        if (name == null && customer.isObject()) {
            name = join(text(customer, "first_name"), text(customer, "last_name"));
        }
        LoopReturn.Address addr = new LoopReturn.Address(name, text(address, "address1"), text(address, "address2"),
                text(address, "city"), text(address, "state"), text(address, "zip"),
                firstNonNull(text(address, "country_code"), text(address, "country")), text(address, "phone"));
        LoopReturn loopReturn = new LoopReturn(id, state, editedAt, text(root, "order_name"),
                text(root, "provider_order_id"), text(root, "customer"), addr, units, label(root));
        return new LoopEvent(LoopEvent.Topic.RETURN, trigger, id, state, editedAt, loopReturn, loopReturn.label());
    }

    /**
     * The return webhook documents "needs review" where the list API's filter says {@code review}: one state. Any other
     * state is kept as it came (shown, and the return goes on): Loop may add states, and refusing the delivery would
     * lose the event.
     */
    static String state(String raw) {
        String squeezed = raw.trim().replaceAll("[\\s_]+", " ");
        if (squeezed.equalsIgnoreCase("needs review") || squeezed.equalsIgnoreCase("review")) {
            return "review";
        }
        if (raw.length() > MAX_STATE) {
            throw new InvalidPayloadException("field 'state' is longer than " + MAX_STATE + " characters");
        }
        return raw;
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
        String returnId = required(root, "return_id");
        if (!returnId.matches("\\d{1,18}")) {
            throw new InvalidPayloadException("field 'return_id' must be a Loop return id (an integer)");
        }
        String rawState = optionalText(root, "return_state", MAX_STATE);
        String state = rawState == null ? null : state(rawState);
        String message = optionalText(root, "message", 1000);
        String source = optionalText(root, "source", 50);
        if (!"return.processing.failed".equals(trigger)) {
            return new LoopEvent(LoopEvent.Topic.OTHER, trigger, returnId, state, null, null, null);
        }
        return new LoopEvent(LoopEvent.Topic.PROCESSING, trigger, returnId, state, null, null, null,
                new LoopEvent.Processing(message, source));
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

    /** The label fields trail the return payload and make up the label payload; {@code labels[]} may hold more. */
    private static LoopReturn.Label label(JsonNode root) {
        String carrier = text(root, "carrier");
        String tracking = text(root, "tracking_number");
        String status = text(root, "label_status");
        JsonNode labels = root.path("labels");
        if ((tracking == null || "N/A".equalsIgnoreCase(tracking)) && labels.isArray() && !labels.isEmpty()) {
            JsonNode first = labels.get(0);
            carrier = text(first, "carrier");
            tracking = text(first, "tracking_number");
            status = text(first, "status");
        }
        LoopReturn.Label label = new LoopReturn.Label(carrier, tracking, status);
        return label.hasTracking() ? label : null;
    }

    private static String required(JsonNode root, String field) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            throw new InvalidPayloadException("missing required field '" + field + "'");
        }
        if (!node.isString() && !node.isNumber()) {
            throw new InvalidPayloadException("field '" + field + "' must be a string or a number");
        }
        String value = node.asString().trim();
        if (value.isEmpty()) {
            throw new InvalidPayloadException("field '" + field + "' is empty");
        }
        if (value.length() > 50) {
            throw new InvalidPayloadException("field '" + field + "' is longer than 50 characters");
        }
        return value;
    }

    /** A scalar as text; null when absent or not a scalar (Loop sends ids as numbers or strings). */
    static String text(JsonNode parent, String field) {
        JsonNode node = parent == null ? null : parent.get(field);
        if (node == null || node.isNull() || node.isContainer()) {
            return null;
        }
        String value = node.asString();
        return value == null || value.isBlank() ? null : value;
    }

    private static String join(String a, String b) {
        String joined = ((a == null ? "" : a) + " " + (b == null ? "" : b)).trim();
        return joined.isEmpty() ? null : joined;
    }

    private static String firstNonNull(String a, String b) {
        return a != null ? a : b;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
