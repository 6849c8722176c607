package com.returnbridge.sandbox.loop;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** An HTTP answer of the simulated Loop: status plus exact JSON body (null for 204). */
public record LoopAnswer(int status, String body) {

    /** Loop's action success: the JSON string "true", quotes included. */
    public static final String TRUE_BODY = "\"true\"";

    /** The same success as the bare JSON boolean, as a public client reads it (loop.md §0): a sandbox switch. */
    public static final String TRUE_BOOLEAN_BODY = "true";

    static final LoopAnswer TRUE = new LoopAnswer(200, TRUE_BODY);
    static final LoopAnswer TRUE_BOOLEAN = new LoopAnswer(200, TRUE_BOOLEAN_BODY);
    /** Success answered to a Process whose processing is already queued: nothing more is done (compared by identity). */
    static final LoopAnswer TRUE_AGAIN = new LoopAnswer(200, TRUE_BODY);
    static final LoopAnswer TRUE_BOOLEAN_AGAIN = new LoopAnswer(200, TRUE_BOOLEAN_BODY);
    static final LoopAnswer NO_CONTENT = new LoopAnswer(204, null);
    static final LoopAnswer NOT_FOUND = new LoopAnswer(404, "{\"errors\":{\"code\":\"NOT_FOUND\"}}");
    static final LoopAnswer UNAUTHORIZED = new LoopAnswer(401,
            "{\"error\":{\"code\":\"401\",\"http_code\":\"GEN-UNAUTHORIZED\",\"message\":\"Unauthorized.\"}}");
    static final LoopAnswer TOO_MANY_REQUESTS = new LoopAnswer(429, "{\"message\":\"Too Many Attempts.\"}");
    static final LoopAnswer SERVER_ERROR = new LoopAnswer(500, "{\"message\":\"Server Error\"}");

    static LoopAnswer json(int status, JsonNode body) {
        return new LoopAnswer(status, LoopJson.write(body));
    }

    /** State refusal, HTTP 200: {"errors":{"message","code"}}. */
    static LoopAnswer refusal(String message, String code) {
        ObjectNode errors = LoopJson.object();
        errors.putObject("errors").put("message", message).put("code", code);
        return json(200, errors);
    }

    /** The top-level {"message"} shape some refusals use. */
    static LoopAnswer message(int status, String message) {
        ObjectNode body = LoopJson.object();
        body.put("message", message);
        return json(status, body);
    }

    /** The {"content"} shape of Cancel's refusals. */
    static LoopAnswer content(String message) {
        ObjectNode body = LoopJson.object();
        body.put("content", message);
        return json(200, body);
    }

    /** Laravel-style 422: {"message":m,"errors":{field:[m]}}. */
    static LoopAnswer invalid(String field, String message) {
        ObjectNode body = LoopJson.object();
        body.put("message", message);
        body.putObject("errors").putArray(field).add(message);
        return json(422, body);
    }

    public boolean isTrue() {
        return status == 200 && (TRUE_BODY.equals(body) || TRUE_BOOLEAN_BODY.equals(body));
    }

    /** A success that did nothing new (a second Process while the first is still queued). */
    boolean isRepeat() {
        return this == TRUE_AGAIN || this == TRUE_BOOLEAN_AGAIN;
    }
}
