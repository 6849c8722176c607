package com.returnbridge.bridge;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The Loop return as kept on its link ({@code return_link.loop_return}): an explicit, versioned JSON form whose field
 * names are written here, so renaming a field of {@link LoopReturn} cannot change what is stored or break old rows.
 * Writes version 1 only; reads version 1 and the form stored before it had a version (Jackson's serialisation of the
 * {@code LoopReturn} record, camelCase field names, no {@code "v"}), which existing databases still hold.
 */
public final class StoredLoopReturn {

    static final int VERSION = 1;

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private StoredLoopReturn() {
    }

    public static String write(LoopReturn r) {
        ObjectNode root = NODES.objectNode();
        root.put("v", VERSION);
        root.put("id", r.id());
        root.put("state", r.state());
        root.put("edited_at", r.editedAt());
        root.put("order_name", r.orderName());
        root.put("provider_order_id", r.providerOrderId());
        root.put("customer_email", r.customerEmail());
        if (r.address() == null) {
            root.putNull("address");
        } else {
            LoopReturn.Address a = r.address();
            ObjectNode address = root.putObject("address");
            address.put("name", a.name());
            address.put("address1", a.address1());
            address.put("address2", a.address2());
            address.put("city", a.city());
            address.put("state", a.state());
            address.put("zip", a.zip());
            address.put("country", a.country());
            address.put("phone", a.phone());
        }
        ArrayNode units = root.putArray("units");
        for (LoopReturn.Unit u : r.units()) {
            ObjectNode unit = units.addObject();
            unit.put("sku", u.sku());
            unit.put("reason", u.reason());
            unit.put("provider_line_item_id", u.providerLineItemId());
            if (u.lineItemId() != null) {
                unit.put("line_item_id", u.lineItemId());
            }
            if (u.outcome() != null) {
                unit.put("outcome", u.outcome().word());
            }
        }
        if (r.label() == null) {
            root.putNull("label");
        } else {
            ObjectNode label = root.putObject("label");
            label.put("carrier", r.label().carrier());
            label.put("tracking_number", r.label().trackingNumber());
            label.put("status", r.label().status());
        }
        return JSON.writeValueAsString(root);
    }

    /** Whether {@code json} is in a versioned stored form (rather than, say, a Loop payload). */
    public static boolean isStoredForm(byte[] json) {
        try {
            JsonNode root = JSON.readTree(json);
            return root != null && root.isObject() && root.path("v").isInt() && !root.has("topic");
        } catch (tools.jackson.core.JacksonException e) {
            return false;
        }
    }

    public static LoopReturn read(String stored) {
        JsonNode root = JSON.readTree(stored);
        if (!root.has("v")) {
            return read(root, UNVERSIONED);
        }
        int version = root.path("v").asInt();
        if (version != VERSION) {
            throw new IllegalStateException("stored Loop return has version " + version + "; this code reads "
                    + VERSION);
        }
        return read(root, V1);
    }

    /** The names that differ between the forms (the rest, such as {@code id} or {@code sku}, are the same in both). */
    private record Names(String editedAt, String orderName, String providerOrderId, String customerEmail,
                         String providerLineItemId, String trackingNumber) {
    }

    private static final Names V1 = new Names("edited_at", "order_name", "provider_order_id", "customer_email",
            "provider_line_item_id", "tracking_number");
    /** The record-shaped JSON written before version 1: the names LoopReturn's fields had then. */
    private static final Names UNVERSIONED = new Names("editedAt", "orderName", "providerOrderId", "customerEmail",
            "providerLineItemId", "trackingNumber");

    private static LoopReturn read(JsonNode root, Names names) {
        JsonNode a = root.path("address");
        LoopReturn.Address address = a.isObject() ? new LoopReturn.Address(text(a, "name"), text(a, "address1"),
                text(a, "address2"), text(a, "city"), text(a, "state"), text(a, "zip"), text(a, "country"),
                text(a, "phone")) : null;
        List<LoopReturn.Unit> units = new ArrayList<>();
        for (JsonNode u : root.path("units").values()) {
            // line_item_id and outcome were added to version 1 later: rows without them read as not known
            units.add(new LoopReturn.Unit(text(u, "sku"), text(u, "reason"), text(u, names.providerLineItemId()),
                    text(u, "line_item_id"), LoopReturn.Outcome.of(text(u, "outcome"))));
        }
        JsonNode l = root.path("label");
        LoopReturn.Label label = l.isObject()
                ? new LoopReturn.Label(text(l, "carrier"), text(l, names.trackingNumber()), text(l, "status")) : null;
        return new LoopReturn(text(root, "id"), text(root, "state"), text(root, names.editedAt()),
                text(root, names.orderName()), text(root, names.providerOrderId()), text(root, names.customerEmail()),
                address, units, label);
    }

    private static String text(JsonNode parent, String field) {
        JsonNode node = parent.get(field);
        return node == null || node.isNull() ? null : node.asString();
    }
}
