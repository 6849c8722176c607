package com.returnbridge.loop;

import com.returnbridge.vendor.VendorHttp;
import com.returnbridge.bridge.LoopReads;
import com.returnbridge.bridge.LoopReturn;
import com.returnbridge.vendor.VendorException;
import com.returnbridge.connection.Connection;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;
import org.springframework.web.util.UriComponentsBuilder;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Loop's return data endpoints: Get Return Details (state), Get Return Notes, and the Detailed Returns List that the
 * reconciliation sweep pages through. Same API key budget as the actions ({@link LoopQuota}).
 */
@Component
public class LoopReturnsReader implements LoopReads {

    /** Loop's list leaves cancelled and review returns out unless asked for by name; the default covers the rest. */
    private static final List<String> STATE_QUERIES = Arrays.asList(null, "cancelled", "review");
    private static final DateTimeFormatter LOOP_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneOffset.UTC);
    private static final int PAGE_SIZE = 100;
    private static final int MAX_PAGES = 1000;

    private final RestClient http;
    private final JsonMapper json;
    private final VendorHttp vendorHttp;
    private final LoopQuota quota;

    public LoopReturnsReader(com.returnbridge.vendor.VendorTimeouts timeouts, JsonMapper json, VendorHttp vendorHttp,
                             LoopQuota quota) {
        this.http = RestClient.builder().requestFactory(timeouts.requestFactory()).build();
        this.json = json;
        this.vendorHttp = vendorHttp;
        this.quota = quota;
    }

    @Override
    public Optional<String> state(Connection connection, String returnId) {
        VendorHttp.Answer raw = get(connection, URI.create(connection.loop().baseUrl() + "/warehouse/return/details?return_id="
                + returnId), "details");
        if (raw.status() == 404) {
            return Optional.empty();
        }
        JsonNode root = ok(raw, "details");
        String state = root.path("state").asString(null);
        return Optional.ofNullable(state);
    }

    @Override
    public List<String> notes(Connection connection, String returnId) {
        VendorHttp.Answer raw = get(connection, URI.create(connection.loop().baseUrl() + "/warehouse/return/" + returnId + "/notes"),
                "notes");
        if (raw.status() == 422 || raw.status() == 404) {
            return List.of(); // Loop answers 422 when a return has no notes
        }
        List<String> out = new ArrayList<>();
        for (JsonNode note : ok(raw, "notes").path("notes").values()) {
            String content = note.path("content").asString(null);
            if (content != null) {
                out.add(content);
            }
        }
        return out;
    }

    @Override
    public void updatedBetween(Connection connection, Instant from, Instant to, Consumer<LoopReturn> each) {
        for (String state : STATE_QUERIES) {
            UriComponentsBuilder uri = UriComponentsBuilder.fromUriString(connection.loop().baseUrl()
                            + "/warehouse/return/list")
                    .queryParam("from", LOOP_TIME.format(from))
                    .queryParam("to", LOOP_TIME.format(to))
                    .queryParam("filter", "updated_at")
                    .queryParam("paginate", "true")
                    .queryParam("pageSize", PAGE_SIZE);
            if (state != null) {
                uri.queryParam("state", state);
            }
            URI next = uri.encode().build().toUri();
            for (int page = 0; next != null && page < MAX_PAGES; page++) {
                JsonNode root = ok(get(connection, next, "list"), "list");
                JsonNode returns = root.isArray() ? root : root.path("returns");
                for (JsonNode entry : returns.values()) {
                    LoopReturn r = read(entry);
                    if (r != null) {
                        each.accept(r);
                    }
                }
                String nextUrl = root.isArray() ? null : root.path("nextPageUrl").asString(null);
                next = nextUrl == null || nextUrl.isBlank() ? null : URI.create(nextUrl);
            }
        }
    }

    /** A list entry in the bridge's terms (the list has no address; the RMA then goes without one). */
    static LoopReturn read(JsonNode entry) {
        String id = LoopWebhookReader.text(entry, "id");
        String state = LoopWebhookReader.text(entry, "state");
        if (id == null || state == null || !id.matches("\\d{1,18}")) {
            return null;
        }
        List<LoopReturn.Unit> units = new ArrayList<>();
        for (JsonNode item : entry.path("line_items").values()) {
            units.add(new LoopReturn.Unit(LoopWebhookReader.text(item, "sku"),
                    LoopWebhookReader.text(item, "return_reason"), LoopWebhookReader.text(item, "provider_line_item_id")));
        }
        LoopReturn.Label label = new LoopReturn.Label(LoopWebhookReader.text(entry, "carrier"),
                LoopWebhookReader.text(entry, "tracking_number"), LoopWebhookReader.text(entry, "label_status"));
        return new LoopReturn(id, state, LoopWebhookReader.text(entry, "edited_at"),
                LoopWebhookReader.text(entry, "order_name"), LoopWebhookReader.text(entry, "provider_order_id"),
                LoopWebhookReader.text(entry, "customer"), null, units, label.hasTracking() ? label : null);
    }


    private JsonNode ok(VendorHttp.Answer raw, String operation) {
        if (raw.status() == 401 || raw.status() == 403) {
            throw VendorException.permanent("Loop rejected the API key (HTTP " + raw.status()
                    + "); it needs the 'returns' scope");
        }
        if (raw.status() == 429) {
            throw VendorException.throttled("Loop rate limit reached (429)", Duration.ofSeconds(5));
        }
        if (raw.status() != 200) {
            throw VendorException.transientFailure("Loop " + operation + " answered HTTP " + raw.status(), null);
        }
        try {
            return json.readTree(raw.body());
        } catch (JacksonException e) {
            throw VendorException.transientFailure("Loop " + operation + " answered something that is not JSON", e);
        }
    }

    private VendorHttp.Answer get(Connection connection, URI uri, String operation) {
        if (connection.loop().apiKey() == null) {
            throw VendorException.permanent("no Loop API key configured for connection " + connection.id());
        }
        quota.await(connection);
        return vendorHttp.exchange(new VendorHttp.Call(connection.id(), "loop", operation, false, "GET",
                uri.toString(), null), http.get().uri(uri)
                .header("X-Authorization", connection.loop().apiKey().reveal())
                .accept(MediaType.APPLICATION_JSON));
    }
}
