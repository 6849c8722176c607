package com.returnbridge.loop;

import com.returnbridge.connection.Connection;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.HttpMethod;
import org.springframework.stereotype.Component;
import org.springframework.web.util.UriComponentsBuilder;
import tools.jackson.databind.JsonNode;

/**
 * Loop calls used by onboarding and backfill (not by the bridge's jobs): a cheap authenticated call to check the key,
 * the programmatic Webhooks API ({@code developer_tools} scope), and the Detailed Returns List / Return Details.
 */
@Component
public class LoopAdminClient {

    public record Subscription(String id, String topic, String trigger, String url, String status) {
    }

    /** One page of the Detailed Returns List and Loop's link to the next one (null on the last page). */
    public record Page(List<LoopReturnMapper.Mapped> returns, String nextPageUrl) {
    }

    private final LoopHttp http;

    LoopAdminClient(LoopHttp http) {
        this.http = http;
    }

    /** The Detailed Returns List over the last minute: answers 200 only for a key with the {@code returns} scope. */
    public void checkKey(Connection connection) {
        Instant now = Instant.now();
        URI url = UriComponentsBuilder.fromUriString(connection.loop().baseUrl() + "/warehouse/return/list")
                .queryParam("from", LoopHttp.TIME.format(now.minusSeconds(60)))
                .queryParam("to", LoopHttp.TIME.format(now))
                .encode().build().toUri();
        http.json(http.get(connection, "list", url), "checking the API key (returns scope)");
    }

    public List<Subscription> webhooks(Connection connection) {
        JsonNode root = http.json(http.get(connection, "webhooks", webhooksUrl(connection, "")),
                "listing webhooks (developer_tools scope)");
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
        LoopHttp.Reply reply = http.send(connection, "webhooks", HttpMethod.POST, webhooksUrl(connection, ""),
                http.write(body), true);
        return subscription(http.json(reply, "creating the " + trigger + " webhook"));
    }

    public void activateWebhook(Connection connection, Subscription existing) {
        Map<String, String> body = Map.of("topic", existing.topic(), "trigger", existing.trigger(), "url",
                existing.url(), "status", "active");
        LoopHttp.Reply reply = http.send(connection, "webhooks", HttpMethod.PUT,
                webhooksUrl(connection, "/" + existing.id()), http.write(body), true);
        http.json(reply, "activating the " + existing.trigger() + " webhook");
    }

    /**
     * The first page of returns created (or updated) in the window; Loop allows at most 120 days per call. Counted
     * against the key's budget of 300 requests a minute ({@link LoopQuota}): a long wait comes back as throttling.
     */
    public Page returnsPage(Connection connection, Instant from, Instant to, String filter, String state,
                            int pageSize) {
        UriComponentsBuilder uri = UriComponentsBuilder.fromUriString(connection.loop().baseUrl() + "/warehouse/return/list")
                .queryParam("from", LoopHttp.TIME.format(from)).queryParam("to", LoopHttp.TIME.format(to))
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
        return http.returnsPage(connection, URI.create(url));
    }

    /** Return Details, or empty when Loop does not know the id (404). */
    public Optional<LoopReturnMapper.Mapped> findReturn(Connection connection, String returnId) {
        URI url = UriComponentsBuilder.fromUriString(connection.loop().baseUrl() + "/warehouse/return/details")
                .queryParam("return_id", returnId).encode().build().toUri();
        LoopHttp.Reply reply = http.get(connection, "details", url);
        if (reply.status() == 404) {
            return Optional.empty();
        }
        return Optional.of(LoopReturnMapper.mapListed(http.json(reply, "reading return " + returnId)));
    }

    private static URI webhooksUrl(Connection connection, String rest) {
        return URI.create(connection.loop().baseUrl() + "/webhooks" + rest);
    }

    private static Subscription subscription(JsonNode w) {
        return new Subscription(w.path("id").asString(null), w.path("topic").asString(null),
                w.path("trigger").asString(null), w.path("url").asString(null), w.path("status").asString(null));
    }
}
