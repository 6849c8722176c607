package com.returnbridge.loop;

import com.returnbridge.vendor.VendorHttp;
import com.returnbridge.vendor.VendorException;
import com.returnbridge.connection.Connection;
import java.net.URI;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;
import org.springframework.web.util.UriComponentsBuilder;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Loop calls used by onboarding and backfill (not by the bridge's jobs): a cheap authenticated call to check the key,
 * the programmatic Webhooks API ({@code developer_tools} scope), and the Detailed Returns List / Return Details.
 */
@Component
public class LoopAdminClient {

    static final DateTimeFormatter LOOP_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    public record Subscription(String id, String topic, String trigger, String url, String status) {
    }

    /** One page of the Detailed Returns List and Loop's link to the next one (null on the last page). */
    public record Page(List<JsonNode> returns, String nextPageUrl) {
    }

    private final RestClient http;
    private final JsonMapper json;
    private final VendorHttp vendorHttp;
    private final LoopQuota quota;

    public LoopAdminClient(com.returnbridge.vendor.VendorTimeouts timeouts, JsonMapper json, VendorHttp vendorHttp,
                           LoopQuota quota) {
        this.http = RestClient.builder().requestFactory(timeouts.requestFactory()).build();
        this.json = json;
        this.vendorHttp = vendorHttp;
        this.quota = quota;
    }

    /** The Detailed Returns List over the last minute: answers 200 only for a key with the {@code returns} scope. */
    public void checkKey(Connection connection) {
        Instant now = Instant.now();
        String url = UriComponentsBuilder.fromUriString(connection.loop().baseUrl() + "/warehouse/return/list")
                .queryParam("from", LOOP_TIME.format(now.minusSeconds(60))).queryParam("to", LOOP_TIME.format(now))
                .encode().toUriString();
        VendorHttp.Answer raw = call(connection, HttpMethod.GET, url, null, "list");
        ok(raw, "checking the API key (returns scope)");
    }

    public List<Subscription> webhooks(Connection connection) {
        VendorHttp.Answer raw = call(connection, HttpMethod.GET, connection.loop().baseUrl() + "/webhooks", null, "webhooks");
        JsonNode root = ok(raw, "listing webhooks (developer_tools scope)");
        JsonNode list = root.isArray() ? root : root.path("webhooks");
        List<Subscription> out = new ArrayList<>();
        for (JsonNode w : list.values()) {
            out.add(subscription(w));
        }
        return out;
    }

    /** Creates an active subscription (Loop leaves one created without a status inactive). */
    public Subscription createWebhook(Connection connection, String topic, String trigger, String url) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("topic", topic);
        body.put("trigger", trigger);
        body.put("url", url);
        body.put("status", "active");
        VendorHttp.Answer raw = call(connection, HttpMethod.POST, connection.loop().baseUrl() + "/webhooks",
                json.writeValueAsString(body), "webhooks");
        return subscription(ok(raw, "creating the " + trigger + " webhook"));
    }

    public void activateWebhook(Connection connection, Subscription existing) {
        Map<String, String> body = Map.of("topic", existing.topic(), "trigger", existing.trigger(), "url",
                existing.url(), "status", "active");
        VendorHttp.Answer raw = call(connection, HttpMethod.PUT, connection.loop().baseUrl() + "/webhooks/" + existing.id(),
                json.writeValueAsString(body), "webhooks");
        if (raw.status() != 204) {
            ok(raw, "activating the " + existing.trigger() + " webhook");
        }
    }

    /**
     * The first page of returns created (or updated) in the window; Loop allows at most 120 days per call. Counted
     * against the key's budget of 300 requests a minute ({@link LoopQuota}): a long wait comes back as throttling.
     */
    public Page returnsPage(Connection connection, Instant from, Instant to, String filter, String state,
                            int pageSize) {
        UriComponentsBuilder uri = UriComponentsBuilder.fromUriString(connection.loop().baseUrl() + "/warehouse/return/list")
                .queryParam("from", LOOP_TIME.format(from)).queryParam("to", LOOP_TIME.format(to))
                .queryParam("filter", filter == null ? "created_at" : filter);
        if (state != null) {
            uri.queryParam("state", state);
        }
        String url = uri.queryParam("paginate", "true").queryParam("pageSize", String.valueOf(pageSize)).encode()
                .toUriString();
        return returnsPage(connection, url);
    }

    /** A page by the URL Loop gave as {@code nextPageUrl} (it carries Loop's opaque cursor). */
    public Page returnsPage(Connection connection, String url) {
        awaitQuota(connection);
        JsonNode root = ok(call(connection, HttpMethod.GET, url, null, "list"), "listing returns");
        JsonNode items = root.isArray() ? root : root.path("returns");
        List<JsonNode> out = new ArrayList<>();
        items.values().forEach(out::add);
        String next = root.isArray() ? null : root.path("nextPageUrl").asString(null);
        return new Page(out, next == null || next.isBlank() ? null : next);
    }

    /** Return Details, or empty when Loop does not know the id (404). */
    public java.util.Optional<JsonNode> findReturn(Connection connection, String returnId) {
        awaitQuota(connection);
        String url = UriComponentsBuilder.fromUriString(connection.loop().baseUrl() + "/warehouse/return/details")
                .queryParam("return_id", returnId).encode().toUriString();
        VendorHttp.Answer raw = call(connection, HttpMethod.GET, url, null, "details");
        if (raw.status() == 404) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(ok(raw, "reading return " + returnId));
    }

    private void awaitQuota(Connection connection) {
        if (connection.loop().apiKey() == null) {
            throw VendorException.permanent("no Loop API key configured for connection " + connection.id());
        }
        quota.await(connection);
    }

    // ---------------------------------------------------------------- transport

    private JsonNode ok(VendorHttp.Answer raw, String what) {
        if (raw.status() == 401 || raw.status() == 403) {
            throw VendorException.permanent("Loop refused the API key while " + what + " (HTTP " + raw.status() + ")");
        }
        if (raw.status() == 429) {
            throw VendorException.throttled("Loop rate limit reached while " + what, java.time.Duration.ofSeconds(5));
        }
        if (raw.status() >= 500) {
            throw VendorException.transientFailure("Loop answered HTTP " + raw.status() + " while " + what, null);
        }
        if (raw.status() / 100 != 2) {
            // any 2xx: Loop's current reference answers 201 Created to POST /webhooks, older copies say 200
            throw VendorException.permanent("Loop answered HTTP " + raw.status() + " while " + what + ": "
                    + abbreviate(raw.body()));
        }
        try {
            return json.readTree(raw.body() == null || raw.body().isBlank() ? "{}" : raw.body());
        } catch (JacksonException e) {
            throw VendorException.transientFailure("Loop answered with something that is not JSON while " + what, e);
        }
    }

    private VendorHttp.Answer call(Connection connection, HttpMethod method, String url, String body, String operation) {
        if (connection.loop().apiKey() == null) {
            throw VendorException.permanent("no Loop API key configured for connection " + connection.id());
        }
        RestClient.RequestBodySpec request = http.method(method).uri(URI.create(url))
                .header("X-Authorization", connection.loop().apiKey().reveal())
                .accept(MediaType.APPLICATION_JSON);
        if (body != null) {
            request.contentType(MediaType.APPLICATION_JSON).body(body);
        }
        return vendorHttp.exchange(new VendorHttp.Call(connection.id(), "loop", operation, false, method.name(), url,
                body), request);
    }

    private static Subscription subscription(JsonNode w) {
        return new Subscription(w.path("id").asString(null), w.path("topic").asString(null),
                w.path("trigger").asString(null), w.path("url").asString(null), w.path("status").asString(null));
    }

    private static String abbreviate(String body) {
        if (body == null) {
            return "";
        }
        return body.length() <= 200 ? body : body.substring(0, 200) + "…";
    }
}
