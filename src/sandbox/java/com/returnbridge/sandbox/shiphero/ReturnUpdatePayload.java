package com.returnbridge.sandbox.shiphero;

import com.returnbridge.sandbox.shiphero.ShipHeroStore.StoredReturn;
import com.returnbridge.sandbox.shiphero.ShipHeroStore.StoredReturnLine;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/** The "Return Update" webhook body, field for field as shiphero.md §14.2 documents it. */
final class ReturnUpdatePayload {

    private static final DateTimeFormatter CREATED_AT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneOffset.UTC);

    private ReturnUpdatePayload() {
    }

    static Map<String, Object> of(StoredReturn r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("test", "0");
        m.put("webhook_type", ShipHeroStore.RETURN_UPDATE);
        m.put("return_id", r.legacyId);
        m.put("return_uuid", r.id);
        m.put("status", r.status);
        m.put("reason", r.reason == null ? "" : r.reason);
        m.put("items", r.lines.stream().map(l -> item(r, l)).toList());
        m.put("order_id", r.order.legacyId);
        m.put("order_uuid", r.order.id);
        m.put("partner_order_id", r.order.partnerOrderId);
        m.put("order_number", r.order.orderNumber);
        m.put("shop_name", r.order.shopName);
        m.put("created_at", CREATED_AT.format(r.createdAt));
        m.put("label_type", displayName(r.labelType));
        m.put("label_cost", r.labelCost == null ? "0.00" : r.labelCost);
        m.put("picked_up", false);
        m.put("tracking_number", r.trackingNumber);
        m.put("date_used", null);
        return m;
    }

    private static Map<String, Object> item(StoredReturn r, StoredReturnLine l) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", l.legacyId);
        m.put("uuid", l.id);
        m.put("quantity", l.quantity);
        m.put("quantity_received", l.quantityReceived);
        m.put("sku", l.orderLine.sku());
        m.put("item_reason", l.reason);
        m.put("restock", l.restock);
        m.put("partner_line_item_id", l.orderLine.partnerLineItemId());
        m.put("warehouse_id", r.warehouse.get("legacy_id"));
        return m;
    }

    /** The webhook carries the label type as shown in the UI, not the GraphQL enum: SELF_RETURN → "Self Return". */
    static String displayName(String labelType) {
        if (labelType == null) {
            return null;
        }
        StringBuilder name = new StringBuilder();
        for (String word : labelType.toLowerCase().split("_")) {
            if (!name.isEmpty()) {
                name.append(' ');
            }
            name.append(Character.toUpperCase(word.charAt(0))).append(word.substring(1));
        }
        return name.toString();
    }
}
