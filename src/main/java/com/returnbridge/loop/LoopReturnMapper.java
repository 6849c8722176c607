package com.returnbridge.loop;

import com.returnbridge.bridge.InvalidPayloadException;
import com.returnbridge.bridge.LoopReturn;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * The one mapping of Loop's return JSON to the bridge's {@link LoopReturn}: the return webhook, an entry of the
 * Detailed Returns List and Return Details carry a return in the same shape. Loop's types are loose (ids come as
 * strings or numbers), so every id is read as text; unknown fields are ignored because Loop adds fields without
 * notice; a shape that is wrong (an array where an object belongs) is refused, never guessed at.
 */
public final class LoopReturnMapper {

    /** The longest state kept: {@code return_link.loop_state} holds 30. */
    static final int MAX_STATE = 30;
    private static final String NOT_APPLICABLE = "N/A";

    /** A return read from Loop's API: the return, or why it could not be read (then {@code id} as Loop gave it). */
    public record Mapped(String id, LoopReturn loopReturn, String problem) {
    }

    private LoopReturnMapper() {
    }

    /** A return from the list or details endpoint; a return that cannot be read is reported, not thrown. */
    public static Mapped mapListed(JsonNode entry) {
        try {
            String id = returnId(entry, "id");
            return new Mapped(id, map(entry, id), null);
        } catch (InvalidPayloadException e) {
            return new Mapped(entry.path("id").asString("?"), null, e.getMessage());
        }
    }

    /** The return in {@code root} (a return webhook's body or a list entry), its id already read. */
    static LoopReturn map(JsonNode root, String id) {
        String state = state(required(root, "state"));
        String orderName = text(root, "order_name");
        if (orderName != null && orderName.length() > 100) {
            throw new InvalidPayloadException("field 'order_name' is longer than 100 characters");
        }
        JsonNode items = root.path("line_items");
        if (!items.isMissingNode() && !items.isNull() && !items.isArray()) {
            throw new InvalidPayloadException("line_items must be an array");
        }
        List<LoopReturn.Unit> units = new ArrayList<>();
        for (JsonNode item : items.isArray() ? items.values() : List.<JsonNode>of()) {
            if (!item.isObject()) {
                throw new InvalidPayloadException("line_items entries must be objects");
            }
            units.add(new LoopReturn.Unit(text(item, "sku"), text(item, "return_reason"),
                    text(item, "provider_line_item_id"), lineItemId(item), outcome(item)));
        }
        JsonNode address = root.path("address");
        if (!address.isMissingNode() && !address.isNull() && !address.isObject()) {
            throw new InvalidPayloadException("address must be an object");
        }
        JsonNode customer = root.path("customer_detail");
        String name = text(address, "name");
        if (name == null && customer.isObject()) {
            name = join(text(customer, "first_name"), text(customer, "last_name"));
        }
        LoopReturn.Address addr = new LoopReturn.Address(name, text(address, "address1"), text(address, "address2"),
                text(address, "city"), text(address, "state"), text(address, "zip"),
                firstNonNull(text(address, "country_code"), text(address, "country")), text(address, "phone"));
        return new LoopReturn(id, state, text(root, "edited_at"), orderName, text(root, "provider_order_id"),
                text(root, "customer"), addr, units, label(root));
    }

    /** Loop's return line item id (what Remove Line Items takes): an integer, else not known. */
    private static String lineItemId(JsonNode item) {
        String id = text(item, "line_item_id");
        return id != null && id.matches("\\d{1,18}") ? id : null;
    }

    /**
     * What Loop gives the shopper for the item (loop.md §0): an item with a non-empty {@code exchange_variant} is an
     * exchange whatever its {@code outcome} says (often {@code "default"}); an outcome naming store credit or a gift
     * card is store credit; the rest is a refund. Loop has the last word: Remove Line Items refuses an item that does
     * not qualify, and the bridge then flags.
     */
    static LoopReturn.Outcome outcome(JsonNode item) {
        String outcome = text(item, "outcome");
        String word = outcome == null ? "" : outcome.toLowerCase(java.util.Locale.ROOT);
        if (text(item, "exchange_variant") != null || word.contains("exchange")) {
            return LoopReturn.Outcome.EXCHANGE;
        }
        if (word.contains("credit") || word.contains("gift")) {
            return LoopReturn.Outcome.STORE_CREDIT;
        }
        return LoopReturn.Outcome.REFUND;
    }

    /** A Loop return id: an integer (every action takes one in its path), so anything else would only fail later. */
    static String returnId(JsonNode root, String field) {
        String id = required(root, field);
        if (!id.matches("\\d{1,18}")) {
            throw new InvalidPayloadException("field '" + field + "' must be a Loop return id (an integer)");
        }
        return id;
    }

    /**
     * The return webhook documents "needs review" where the list API's filter says {@code review}: one state. Any other
     * state is kept as it came (shown, and the return goes on): Loop may add states, and refusing the delivery would
     * lose the event.
     */
    static String state(String raw) {
        String squeezed = raw.trim().replaceAll("[\\s_]+", " ");
        if (squeezed.equalsIgnoreCase("needs review") || squeezed.equalsIgnoreCase("review")) {
            return LoopStateWords.REVIEW;
        }
        if (raw.length() > MAX_STATE) {
            throw new InvalidPayloadException("field 'state' is longer than " + MAX_STATE + " characters");
        }
        return raw;
    }

    /** The label fields trail the return payload and make up the label payload; {@code labels[]} may hold more. */
    static LoopReturn.Label label(JsonNode root) {
        String carrier = notApplicable(text(root, "carrier"));
        String tracking = notApplicable(text(root, "tracking_number"));
        String status = text(root, "label_status");
        JsonNode labels = root.path("labels");
        if (tracking == null && labels.isArray() && !labels.isEmpty()) {
            JsonNode first = labels.get(0);
            carrier = notApplicable(text(first, "carrier"));
            tracking = notApplicable(text(first, "tracking_number"));
            status = text(first, "status");
        }
        LoopReturn.Label label = new LoopReturn.Label(carrier, tracking, status);
        return label.hasTracking() ? label : null;
    }

    /** Loop writes "N/A" where a label has no carrier or tracking yet: to the bridge that is none. */
    private static String notApplicable(String raw) {
        return raw == null || NOT_APPLICABLE.equalsIgnoreCase(raw) ? null : raw;
    }

    static String required(JsonNode root, String field) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            throw new InvalidPayloadException("missing required field '" + field + "'");
        }
        if (!node.isString() && !node.isNumber()) {
            throw new InvalidPayloadException("field '" + field + "' must be a string or a number");
        }
        String value = node.asString().trim();
        if (value.isEmpty()) {
            throw new InvalidPayloadException("field '" + field + "' is empty");
        }
        if (value.length() > 50) {
            throw new InvalidPayloadException("field '" + field + "' is longer than 50 characters");
        }
        return value;
    }

    /** A scalar as text; null when absent or not a scalar (Loop sends ids as numbers or strings). */
    static String text(JsonNode parent, String field) {
        JsonNode node = parent == null ? null : parent.get(field);
        if (node == null || node.isNull() || node.isContainer()) {
            return null;
        }
        String value = node.asString();
        return value == null || value.isBlank() ? null : value;
    }

    private static String join(String a, String b) {
        String joined = ((a == null ? "" : a) + " " + (b == null ? "" : b)).trim();
        return joined.isEmpty() ? null : joined;
    }

    private static String firstNonNull(String a, String b) {
        return a != null ? a : b;
    }
}
