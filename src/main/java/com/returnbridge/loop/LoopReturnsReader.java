package com.returnbridge.loop;

import com.returnbridge.bridge.LoopReads;
import com.returnbridge.bridge.LoopReturn;
import com.returnbridge.connection.Connection;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.springframework.stereotype.Component;
import org.springframework.web.util.UriComponentsBuilder;
import tools.jackson.databind.JsonNode;

/**
 * Loop's return data endpoints: Get Return Details (state), Get Return Notes, and the Detailed Returns List that the
 * reconciliation sweep pages through. Same API key budget as the actions ({@link LoopQuota}).
 */
@Component
public class LoopReturnsReader implements LoopReads {

    /** Loop's list leaves cancelled and review returns out unless asked for by name; the default covers the rest. */
    private static final List<String> STATE_QUERIES = Arrays.asList(null, LoopStateWords.CANCELLED,
            LoopStateWords.REVIEW);
    private static final int PAGE_SIZE = 100;
    private static final int MAX_PAGES = 1000;

    private final LoopHttp http;

    LoopReturnsReader(LoopHttp http) {
        this.http = http;
    }

    @Override
    public Optional<String> state(Connection connection, String returnId) {
        LoopHttp.Reply reply = http.get(connection, "details", URI.create(connection.loop().baseUrl()
                + "/warehouse/return/details?return_id=" + returnId));
        if (reply.status() == 404) {
            return Optional.empty();
        }
        JsonNode root = http.json(reply, "reading return " + returnId);
        String state = root.path("state").asString(null);
        return Optional.ofNullable(state);
    }

    /** The ids of the return's line items in Return Details, and its state; empty when Loop does not know it. */
    Optional<Details> lineItems(Connection connection, String returnId) {
        LoopHttp.Reply reply = http.get(connection, "details", URI.create(connection.loop().baseUrl()
                + "/warehouse/return/details?return_id=" + returnId));
        if (reply.status() == 404) {
            return Optional.empty();
        }
        JsonNode root = http.json(reply, "reading return " + returnId);
        java.util.Set<String> ids = new java.util.HashSet<>();
        root.path("line_items").values().forEach(item -> ids.add(item.path("line_item_id").asString("")));
        return Optional.of(new Details(root.path("state").asString(null), ids));
    }

    record Details(String state, java.util.Set<String> lineItemIds) {
    }

    @Override
    public List<String> notes(Connection connection, String returnId) {
        LoopHttp.Reply reply = http.get(connection, "notes", URI.create(connection.loop().baseUrl()
                + "/warehouse/return/" + returnId + "/notes"));
        if (reply.status() == 422 || reply.status() == 404) {
            return List.of(); // Loop answers 422 when a return has no notes
        }
        List<String> out = new ArrayList<>();
        for (JsonNode note : http.json(reply, "reading the notes of return " + returnId).path("notes").values()) {
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
                    .queryParam("from", LoopHttp.TIME.format(from))
                    .queryParam("to", LoopHttp.TIME.format(to))
                    .queryParam("filter", "updated_at")
                    .queryParam("paginate", "true")
                    .queryParam("pageSize", PAGE_SIZE);
            if (state != null) {
                uri.queryParam("state", state);
            }
            URI next = uri.encode().build().toUri();
            for (int page = 0; next != null && page < MAX_PAGES; page++) {
                LoopAdminClient.Page found = http.returnsPage(connection, next);
                for (LoopReturnMapper.Mapped entry : found.returns()) {
                    LoopReturn r = entry.loopReturn();
                    if (r != null) {
                        each.accept(r);
                    }
                }
                next = found.nextPageUrl() == null ? null : URI.create(found.nextPageUrl());
            }
        }
    }

    /** A list entry in the bridge's terms; one that cannot be read is left to the next sweep (null). */
    static LoopReturn read(JsonNode entry) {
        return LoopReturnMapper.mapListed(entry).loopReturn();
    }
}
