package com.returnbridge.loop;

import com.returnbridge.bridge.LoopApi;
import com.returnbridge.connection.Connection;
import com.returnbridge.vendor.VendorException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.springframework.http.HttpMethod;
import org.springframework.stereotype.Component;

/**
 * Loop's Return Action endpoints. Loop may refuse with HTTP 200 and an error body, so only the body
 * {@code "true"} (or the bare JSON {@code true}) counts as success. Calls stay under Loop's 300 requests a minute
 * per API key.
 */
@Component
public class LoopClient implements LoopApi {

    /** Loop's documented limit per API key. */
    public static final int REQUESTS_PER_MINUTE = 300;

    private final LoopHttp http;

    LoopClient(LoopHttp http) {
        this.http = http;
    }

    @Override
    public LoopAnswer process(Connection connection, String returnId, ProcessDetails details) {
        return action(connection, returnId, "process", http.write(processDetails(details)));
    }

    /** Process's body: free-form details Loop keeps with the return, under the keys the incumbent used. */
    static Map<String, String> processDetails(ProcessDetails details) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("rma_id", details.rmaId());
        if (details.rmaNumber() != null) {
            body.put("rma_number", String.valueOf(details.rmaNumber()));
        }
        body.put("warehouse", details.warehouseId());
        body.put("received", details.received() + " of " + details.expected());
        return body;
    }

    @Override
    public LoopAnswer flag(Connection connection, String returnId) {
        return action(connection, returnId, "flag", null);
    }

    @Override
    public LoopAnswer note(Connection connection, String returnId, String content) {
        return action(connection, returnId, "note", http.write(Map.of("content", content)));
    }

    /**
     * Remove Line Items (loop.md §7.6): the ids comma-separated in {@code line_item_id}, no body. Loop refuses with a
     * 422 ("Not all line items qualify for removal", "Return cannot be modified.", …), handed back as a refusal.
     */
    @Override
    public LoopAnswer removeLineItems(Connection connection, String returnId, java.util.List<String> lineItemIds) {
        return action(connection, returnId, "remove?line_item_id=" + String.join(",", lineItemIds), "remove", null);
    }

    /** Process, Flag and Note are writes: an answer lost or a 5xx leaves Loop's action uncertain. */
    private LoopAnswer action(Connection connection, String returnId, String action, String body) {
        return action(connection, returnId, action, action, body);
    }

    private LoopAnswer action(Connection connection, String returnId, String path, String action, String body) {
        URI url = URI.create(connection.loop().baseUrl() + "/warehouse/return/" + returnId + "/" + path);
        LoopHttp.Reply reply = http.send(connection, action, HttpMethod.POST, url, body, true);
        if (reply.status() == 404) {
            throw VendorException.permanent("Loop does not know return " + returnId + " (404)");
        }
        if (reply.accepted()) {
            return new LoopAnswer(LoopAnswer.Outcome.ACCEPTED, "true");
        }
        String message = http.refusalMessage(reply.body());
        if (message.toLowerCase(Locale.ROOT).contains("closed")) {
            return new LoopAnswer(LoopAnswer.Outcome.ALREADY_CLOSED, message);
        }
        return new LoopAnswer(LoopAnswer.Outcome.REFUSED, "HTTP " + reply.status() + ": " + message);
    }
}
