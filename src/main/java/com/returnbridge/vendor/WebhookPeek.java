package com.returnbridge.vendor;

import java.util.function.Function;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a webhook body that could not be read still names, for the console: its topic (or type) and its subject's
 * id, each null when the body gives none. Each vendor's webhook reader knows where its bodies keep them.
 */
public record WebhookPeek(String topic, String subjectId) {

    public static final WebhookPeek NOTHING = new WebhookPeek(null, null);

    /** Bounded to what a delivery row keeps. */
    public static WebhookPeek of(String topic, String subjectId) {
        return new WebhookPeek(bounded(topic, 100), bounded(subjectId, 200));
    }

    /**
     * What a body names, by the vendor's {@code names} of a JSON object; {@link #NOTHING} when the body is not a JSON
     * object at all (the delivery is kept whatever it is, so nothing here may throw).
     */
    public static WebhookPeek of(JsonMapper json, byte[] body, Function<JsonNode, WebhookPeek> names) {
        try {
            JsonNode root = json.readTree(body);
            return root == null || !root.isObject() ? NOTHING : names.apply(root);
        } catch (RuntimeException e) {
            return NOTHING;
        }
    }

    /** A scalar field as one line of text (the body is not trusted); null when absent, blank or not a scalar. */
    public static String scalar(JsonNode root, String field) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull() || node.isContainer()) {
            return null;
        }
        String value = node.asString();
        return value == null || value.isBlank() ? null : value.trim().replaceAll("[\\p{Cntrl}]", " ");
    }

    private static String bounded(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max);
    }
}
