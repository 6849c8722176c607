package com.returnbridge.loop;

import com.returnbridge.connection.Connection;
import com.returnbridge.vendor.RetryAfter;
import com.returnbridge.vendor.VendorException;
import com.returnbridge.vendor.VendorHttp;
import com.returnbridge.vendor.VendorTimeouts;
import java.net.URI;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one way Returnbridge talks HTTP to Loop, for the jobs' actions and reads, the sweep, backfill and Connect
 * alike: the API key, the key's request budget ({@link LoopQuota}), the vendor call log, and one mapping of every
 * answer:
 * <ul>
 *   <li>2xx: success (Loop's current reference answers 201 to some POSTs, older copies 200);</li>
 *   <li>401, 403: the key is wrong or lacks a scope: permanent, a person must fix it;</li>
 *   <li>429: throttled, for Loop's {@code Retry-After} or 5 s;</li>
 *   <li>5xx: transient; for a write, answered-but-uncertain (Loop may have acted before failing, and its effect is
 *       visible within seconds);</li>
 *   <li>no answer (timeout, reset): transient, uncertain for a write ({@link VendorHttp});</li>
 *   <li>any other 4xx (404, 422, …): a refusal handed back with Loop's message, because what it means depends on
 *       the call (an unknown return, a return without notes, a bad request).</li>
 * </ul>
 * Loop's own quirks live here too: a Return Action refuses with HTTP 200 and an error body, and its success body is
 * {@code "true"} or {@code true}.
 */
@Component
class LoopHttp {

    static final String VENDOR = "loop";
    /** How Loop's list takes its {@code from} and {@code to}: UTC, to the second. */
    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);
    private static final Duration THROTTLED_WITHOUT_RETRY_AFTER = Duration.ofSeconds(5);

    /** An answer from Loop that is not an error: a success (2xx) or a refusal (4xx) with Loop's message. */
    record Reply(int status, String body) {

        boolean succeeded() {
            return status / 100 == 2;
        }

        /** A Return Action's success: only the body {@code "true"} (or the bare JSON {@code true}) counts. */
        boolean accepted() {
            return status == 200 && isTrue(body);
        }
    }

    private final RestClient http;
    private final JsonMapper json;
    private final VendorHttp vendorHttp;
    private final LoopQuota quota;

    LoopHttp(VendorTimeouts timeouts, JsonMapper json, VendorHttp vendorHttp, LoopQuota quota) {
        this.http = RestClient.builder().requestFactory(timeouts.requestFactory()).build();
        this.json = json;
        this.vendorHttp = vendorHttp;
        this.quota = quota;
    }

    Reply get(Connection connection, String operation, URI uri) {
        return send(connection, operation, HttpMethod.GET, uri, null, false);
    }

    /**
     * Sends one request under the key's budget. {@code write}: the call changes something in Loop, so an answer
     * lost or a 5xx leaves it uncertain whether Loop acted. Throws for the answers no caller can use.
     */
    Reply send(Connection connection, String operation, HttpMethod method, URI uri, String body, boolean write) {
        if (connection.loop().apiKey() == null) {
            throw VendorException.permanent("no Loop API key configured for connection " + connection.id());
        }
        quota.await(connection);
        RestClient.RequestBodySpec request = http.method(method).uri(uri)
                .header("X-Authorization", connection.loop().apiKey().reveal())
                .accept(MediaType.APPLICATION_JSON);
        if (body != null) {
            request.contentType(MediaType.APPLICATION_JSON).body(body);
        }
        VendorHttp.Answer raw = vendorHttp.exchange(new VendorHttp.Call(connection.id(), VENDOR, operation, write,
                method.name(), uri.toString(), body), request);
        int status = raw.status();
        if (status == 401 || status == 403) {
            throw VendorException.permanent("Loop rejected the API key for " + operation + " (HTTP " + status
                    + "); it needs the 'returns' scope (the Webhooks API: 'developer_tools')");
        }
        if (status == 429) {
            throw VendorException.throttled("Loop rate limit reached (429)",
                    RetryAfter.seconds(raw.retryAfter(), THROTTLED_WITHOUT_RETRY_AFTER));
        }
        if (status >= 500) {
            String message = "Loop " + operation + " answered HTTP " + status;
            throw write ? VendorException.answeredWithServerError(message)
                    : VendorException.transientFailure(message, null);
        }
        if (status / 100 != 2 && status / 100 != 4) {
            // 1xx/3xx: nothing Loop documents; try again rather than guess
            throw VendorException.transientFailure("Loop " + operation + " answered HTTP " + status, null);
        }
        return new Reply(status, raw.body());
    }

    /**
     * The JSON of a successful reply; a refusal is permanent (with Loop's message, and {@code what} for the
     * operator), a body that is not JSON transient. An empty body reads as an empty object.
     */
    JsonNode json(Reply reply, String what) {
        if (!reply.succeeded()) {
            throw VendorException.permanent("Loop answered HTTP " + reply.status() + " while " + what + ": "
                    + refusalMessage(reply.body()));
        }
        String body = reply.body();
        try {
            return json.readTree(body == null || body.isBlank() ? "{}" : body);
        } catch (JacksonException e) {
            throw VendorException.transientFailure("Loop answered something that is not JSON while " + what, e);
        }
    }

    /**
     * One page of the Detailed Returns List. Loop answers a bare array when it does not paginate, else
     * {@code {returns, nextPageUrl}} (the URL carries Loop's opaque cursor; null or blank on the last page).
     */
    LoopAdminClient.Page returnsPage(Connection connection, URI uri) {
        JsonNode root = json(get(connection, "list", uri), "listing returns");
        JsonNode items = root.isArray() ? root : root.path("returns");
        List<LoopReturnMapper.Mapped> returns = new ArrayList<>();
        items.values().forEach(entry -> returns.add(LoopReturnMapper.mapListed(entry)));
        String next = root.isArray() ? null : root.path("nextPageUrl").asString(null);
        return new LoopAdminClient.Page(returns, next == null || next.isBlank() ? null : next);
    }

    String write(Object body) {
        return json.writeValueAsString(body);
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
}
