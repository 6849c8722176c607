package com.returnbridge.intake;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** What can be said about a body we could not read, for the console; never throws. */
final class UnreadableBody {

    /** Best-effort topic and subject of an unreadable delivery (null when the body gives none). */
    record Peek(String topic, String subjectId) {
    }

    private UnreadableBody() {
    }

    /** The body as UTF-8 text, or null when it is not valid UTF-8 or holds a NUL (PostgreSQL text cannot). */
    static String asText(byte[] body) {
        try {
            String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body)).toString();
            return text.indexOf('\0') >= 0 ? null : text;
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /** The topic / trigger (Loop) or webhook type (ShipHero) and the id, when the body is a JSON object that has them. */
    static Peek peek(JsonMapper json, Deliveries.Source source, byte[] body) {
        try {
            JsonNode root = json.readTree(body);
            if (root == null || !root.isObject()) {
                return new Peek(null, null);
            }
            if (source == Deliveries.Source.LOOP) {
                String topic = scalar(root, "topic");
                String trigger = scalar(root, "trigger");
                String shown = topic == null && trigger == null ? null
                        : (topic == null ? "?" : topic) + "/" + (trigger == null ? "?" : trigger);
                String id = scalar(root, "id");
                return new Peek(bounded(shown, 100), bounded(id != null ? id : scalar(root, "return_id"), 200));
            }
            return new Peek(bounded(scalar(root, "webhook_type"), 100), bounded(scalar(root, "return_uuid"), 200));
        } catch (RuntimeException e) {
            return new Peek(null, null);
        }
    }

    private static String scalar(JsonNode root, String field) {
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
