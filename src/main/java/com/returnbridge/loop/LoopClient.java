package com.returnbridge.loop;

import com.returnbridge.vendor.VendorHttp;
import com.returnbridge.bridge.LoopApi;
import com.returnbridge.vendor.VendorException;
import com.returnbridge.connection.Connection;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Loop's Return Action endpoints. Loop may refuse with HTTP 200 and an error body, so only the body
 * {@code "true"} (or the bare JSON {@code true}) counts as success. Calls stay under Loop's 300 requests a minute
 * per API key.
 */
@Component
public class LoopClient implements LoopApi {

    /** Loop's documented limit per API key. */
    public static final int REQUESTS_PER_MINUTE = 300;

    private final RestClient http;
    private final JsonMapper json;
    private final VendorHttp vendorHttp;
    private final LoopQuota quota;

    public LoopClient(com.returnbridge.vendor.VendorTimeouts timeouts, JsonMapper json,
                      VendorHttp vendorHttp, LoopQuota quota) {
        this.http = RestClient.builder().requestFactory(timeouts.requestFactory()).build();
        this.json = json;
        this.vendorHttp = vendorHttp;
        this.quota = quota;
    }

    @Override
    public LoopAnswer process(Connection connection, String returnId, Map<String, String> details) {
        return action(connection, returnId, "process", json.writeValueAsString(details));
    }

    @Override
    public LoopAnswer flag(Connection connection, String returnId) {
        return action(connection, returnId, "flag", null);
    }

    @Override
    public LoopAnswer note(Connection connection, String returnId, String content) {
        return action(connection, returnId, "note", json.writeValueAsString(Map.of("content", content)));
    }


    private LoopAnswer action(Connection connection, String returnId, String action, String body) {
        if (connection.loop().apiKey() == null) {
            throw VendorException.permanent("no Loop API key configured for connection " + connection.id());
        }
        awaitQuota(connection);
        String url = connection.loop().baseUrl() + "/warehouse/return/" + returnId + "/" + action;
        VendorHttp.Answer raw = post(connection, url, action, body);
        if (raw.status() == 401 || raw.status() == 403) {
            throw VendorException.permanent("Loop rejected the API key (HTTP " + raw.status()
                    + "); it needs the 'returns' scope");
        }
        if (raw.status() == 429) {
            throw VendorException.throttled("Loop rate limit reached (429)", Duration.ofSeconds(5));
        }
        if (raw.status() >= 500) {
            // Process, Flag and Note are writes: Loop may have acted before failing, so look before writing again
            throw VendorException.answeredWithServerError("Loop " + action + " answered HTTP " + raw.status());
        }
        if (raw.status() == 404) {
            throw VendorException.permanent("Loop does not know return " + returnId + " (404)");
        }
        if (raw.status() == 200 && isTrue(raw.body())) {
            return new LoopAnswer(LoopAnswer.Outcome.ACCEPTED, "true");
        }
        String message = refusalMessage(raw.body());
        if (message.toLowerCase(Locale.ROOT).contains("closed")) {
            return new LoopAnswer(LoopAnswer.Outcome.ALREADY_CLOSED, message);
        }
        return new LoopAnswer(LoopAnswer.Outcome.REFUSED, "HTTP " + raw.status() + ": " + message);
    }

    private VendorHttp.Answer post(Connection connection, String url, String action, String body) {
        RestClient.RequestBodySpec request = http.post().uri(url)
                .header("X-Authorization", connection.loop().apiKey().reveal())
                .accept(MediaType.APPLICATION_JSON);
        if (body != null) {
            request.contentType(MediaType.APPLICATION_JSON).body(body);
        }
        return vendorHttp.exchange(new VendorHttp.Call(connection.id(), "loop", action, true, "POST", url, body),
                request);
    }

    /**
     * Loop's reference types the success body as a string with example {@code true}; public clients parse the JSON
     * and test for the boolean. Both are success: {@code "true"} and {@code true}.
     */
    static boolean isTrue(String body) {
        String text = body == null ? "" : body.trim();
        return text.equals("\"true\"") || text.equals("true");
    }

    /** Loop's refusal bodies differ by endpoint; find the message wherever it is. */
    String refusalMessage(String body) {
        try {
            JsonNode root = json.readTree(body);
            for (JsonNode candidate : new JsonNode[] {root.path("errors").path("message"), root.path("message"),
                    root.path("content"), root.path("error").path("message")}) {
                if (candidate.isString() && !candidate.asString().isBlank()) {
                    String code = root.path("errors").path("code").asString("");
                    return candidate.asString() + (code.isEmpty() ? "" : " (" + code + ")");
                }
            }
        } catch (JacksonException e) {
            // not JSON: fall through to the raw text
        }
        String text = body == null ? "" : body.trim();
        return text.length() <= 200 ? text : text.substring(0, 200) + "…";
    }

    private void awaitQuota(Connection connection) {
        quota.await(connection);
    }
}
