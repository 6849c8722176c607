package com.returnbridge.sandbox.loop;

import java.util.List;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Loop's programmatic Webhooks API (loop.md §9.2). */
final class WebhookApi {

    static final List<String> TOPICS = List.of("return", "label", "restock", "return.processing");
    static final List<String> TRIGGERS = List.of("return.created", "return.updated", "return.closed",
            "label.created", "label.updated", "restock.requested", "return.processing.failed");
    static final List<String> STATUSES = List.of("active", "inactive");

    private final SandboxLoop loop;

    WebhookApi(SandboxLoop loop) {
        this.loop = loop;
    }

    LoopAnswer list() {
        ObjectNode body = LoopJson.object();
        ArrayNode array = body.putArray("webhooks");
        loop.webhooks().forEach(w -> array.add(LoopJson.webhookSubscription(w)));
        return LoopAnswer.json(200, body);
    }

    LoopAnswer create(String apiKey, String body) {
        ObjectNode fields = parse(body);
        LoopAnswer invalid = validate(fields, true);
        if (invalid != null) {
            return invalid;
        }
        // Loop leaves a webhook created without a status inactive: a classic "why do I get nothing" trap.
        LoopWebhook created = loop.addWebhook(text(fields, "topic"), text(fields, "trigger"), text(fields, "url"),
                Optional.ofNullable(text(fields, "status")).orElse("inactive"), apiKey);
        // 201 Created in Loop's current reference, 200 in older copies: the sandbox plays either (default 201).
        return LoopAnswer.json(loop.webhookCreateStatus(), LoopJson.webhookSubscription(created));
    }

    LoopAnswer update(long id, String body) {
        ObjectNode fields = parse(body);
        LoopAnswer invalid = validate(fields, false);
        if (invalid != null) {
            return invalid;
        }
        Optional<LoopWebhook> updated = loop.replaceWebhook(id, w -> w.with(
                Optional.ofNullable(text(fields, "topic")).orElse(w.topic()),
                Optional.ofNullable(text(fields, "trigger")).orElse(w.trigger()),
                Optional.ofNullable(text(fields, "url")).orElse(w.url()),
                Optional.ofNullable(text(fields, "status")).orElse(w.status())));
        return updated.isPresent() ? LoopAnswer.NO_CONTENT : LoopAnswer.NOT_FOUND;
    }

    LoopAnswer delete(long id) {
        return loop.removeWebhook(id) ? LoopAnswer.NO_CONTENT : LoopAnswer.NOT_FOUND;
    }

    /** On create topic, trigger and url are required; on update only the fields given are checked. */
    private static LoopAnswer validate(ObjectNode fields, boolean creating) {
        LoopAnswer problem = oneOf(fields, "topic", TOPICS, creating);
        if (problem == null) {
            problem = oneOf(fields, "trigger", TRIGGERS, creating);
        }
        if (problem == null) {
            problem = oneOf(fields, "status", STATUSES, false);
        }
        if (problem == null) {
            String url = text(fields, "url");
            if (url == null && creating) {
                problem = LoopAnswer.invalid("url", "The url field is required.");
            } else if (url != null && !url.startsWith("http://") && !url.startsWith("https://")) {
                problem = LoopAnswer.invalid("url", "The url format is invalid.");
            }
        }
        return problem;
    }

    private static LoopAnswer oneOf(ObjectNode fields, String field, List<String> allowed, boolean required) {
        String value = text(fields, field);
        if (value == null && !required) {
            return null;
        }
        if (value == null || !allowed.contains(value)) {
            return LoopAnswer.invalid(field, "Must be one of the following values:" + String.join(",", allowed));
        }
        return null;
    }

    private static ObjectNode parse(String body) {
        if (body == null || body.isBlank()) {
            return LoopJson.object();
        }
        try {
            JsonNode node = LoopJson.parse(body);
            return node.isObject() ? (ObjectNode) node : LoopJson.object();
        } catch (JacksonException e) {
            return LoopJson.object();
        }
    }

    private static String text(ObjectNode fields, String name) {
        JsonNode value = fields.get(name);
        return value != null && value.isString() ? value.stringValue() : null;
    }
}
