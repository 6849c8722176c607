package com.returnbridge.shiphero;

import com.returnbridge.bridge.InvalidPayloadException;
import com.returnbridge.bridge.WarehouseEvent;
import com.returnbridge.vendor.WebhookPeek;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Reads ShipHero webhooks: dispatch on {@code webhook_type}; a Return Update must name the RMA by its API id. */
@Component
public class ShipHeroWebhookReader {

    private final JsonMapper json;

    public ShipHeroWebhookReader(JsonMapper json) {
        this.json = json;
    }

    /** The webhook type and return id of a body {@link #read} refused, when it is a JSON object naming them. */
    public WebhookPeek peek(byte[] body) {
        return WebhookPeek.of(json, body, root -> WebhookPeek.of(WebhookPeek.scalar(root, "webhook_type"),
                WebhookPeek.scalar(root, "return_uuid")));
    }

    public WarehouseEvent read(byte[] body) {
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (JacksonException e) {
            throw new InvalidPayloadException("body is not JSON: " + e.getOriginalMessage().lines().findFirst().orElse(""));
        }
        if (root == null || !root.isObject()) {
            throw new InvalidPayloadException("body is not a JSON object");
        }
        String type = scalar(root, "webhook_type");
        if (type == null) {
            throw new InvalidPayloadException("missing required field 'webhook_type'");
        }
        if (type.length() > 100) {
            throw new InvalidPayloadException("'webhook_type' is longer than 100 characters");
        }
        boolean test = "1".equals(scalar(root, "test")) || "true".equalsIgnoreCase(scalar(root, "test"));
        String uuid = scalar(root, "return_uuid");
        WarehouseEvent event = new WarehouseEvent(type, isReturnUpdate(type), test, uuid, legacyId(root),
                scalar(root, "status"));
        if (event.isReturnUpdate() && !test) {
            if (event.returnUuid() == null) {
                throw new InvalidPayloadException("Return Update without 'return_uuid'");
            }
            if (event.returnUuid().length() > 100) {
                throw new InvalidPayloadException("'return_uuid' is longer than 100 characters");
            }
            if (root.has("status") && !root.get("status").isNull() && !root.get("status").isString()) {
                throw new InvalidPayloadException("'status' must be a string");
            }
        }
        if (uuid != null && uuid.length() > 100) {
            // another webhook type (stored, ignored): keep its subject readable and within the column
            return new WarehouseEvent(type, event.isReturnUpdate(), test, null, event.returnLegacyId(), event.status());
        }
        return event;
    }

    private static Long legacyId(JsonNode root) {
        JsonNode node = root.get("return_id");
        if (node == null || !(node.isNumber() || node.isString())) {
            return null;
        }
        try {
            return Long.parseLong(node.asString().trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String scalar(JsonNode parent, String field) {
        JsonNode node = parent.get(field);
        if (node == null || node.isNull() || node.isContainer()) {
            return null;
        }
        String value = node.asString();
        return value == null || value.isBlank() ? null : value.trim();
    }

    static boolean isReturnUpdate(String webhookType) {
        return ShipHeroAdminClient.RETURN_UPDATE.equalsIgnoreCase(webhookType == null ? "" : webhookType.trim());
    }
}
