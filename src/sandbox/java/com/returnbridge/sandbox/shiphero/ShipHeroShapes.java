package com.returnbridge.sandbox.shiphero;

import com.returnbridge.sandbox.shiphero.ShipHeroStore.StoredLine;
import com.returnbridge.sandbox.shiphero.ShipHeroStore.StoredOrder;
import com.returnbridge.sandbox.shiphero.ShipHeroStore.StoredReturn;
import com.returnbridge.sandbox.shiphero.ShipHeroStore.StoredReturnLine;
import com.returnbridge.sandbox.shiphero.ShipHeroStore.StoredWebhook;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Entities as maps keyed by the schema's field names, so graphql-java's default fetchers resolve them. Keys starting
 * with "_" hold the raw list behind a connection field, which a paging fetcher slices (see ShipHeroGraphQl).
 */
final class ShipHeroShapes {

    static final String LINE_ITEMS = "_line_items";
    static final String CUSTOMERS = "_customers";

    /** ISODateTime the way ShipHero prints it: seconds precision, explicit UTC offset. */
    private static final DateTimeFormatter ISO = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssxxx")
            .withZone(ZoneOffset.UTC);

    private ShipHeroShapes() {
    }

    static String iso(Instant instant) {
        return instant == null ? null : ISO.format(instant.truncatedTo(ChronoUnit.SECONDS));
    }

    static Map<String, Object> warehouse(long legacyId, String accountId, String identifier) {
        Map<String, Object> address = address("Returnbridge Sandbox Fulfilment", "1200 Harbor Way", "Dock 4",
                "Oakland", "CA", "US", "94607", "+1 510 555 0100");
        Map<String, Object> returnAddress = address("Returns — Returnbridge Sandbox Fulfilment", "1200 Harbor Way",
                "Returns Bay", "Oakland", "CA", "US", "94607", "+1 510 555 0101");
        Map<String, Object> w = new LinkedHashMap<>();
        w.put("id", ShipHeroIds.encode("Warehouse", legacyId));
        w.put("legacy_id", legacyId);
        w.put("account_id", accountId);
        w.put("identifier", identifier);
        w.put("profile", "default");
        w.put("address", address);
        w.put("return_address", returnAddress);
        w.put("company_name", "Returnbridge Sandbox Fulfilment");
        return Map.copyOf(w);
    }

    static Map<String, Object> account(String id, long legacyId, List<String> customerIds,
            List<Map<String, Object>> warehouses) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("id", id);
        a.put("legacy_id", legacyId);
        a.put("email", "sandbox@returnbridge.invalid");
        a.put("username", "returnbridge-sandbox");
        a.put("is_multi_warehouse", warehouses.size() > 1);
        a.put("is_3pl", !customerIds.isEmpty());
        a.put("warehouses", warehouses);
        List<Map<String, Object>> customers = new ArrayList<>();
        for (String customerId : customerIds) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("id", customerId);
            c.put("legacy_id", ShipHeroIds.legacyIdOf(customerId, "Account").orElse(null));
            c.put("email", null);
            c.put("username", null);
            c.put("is_multi_warehouse", false);
            c.put("is_3pl", false);
            c.put("warehouses", warehouses);
            c.put(CUSTOMERS, List.of());
            customers.add(c);
        }
        a.put(CUSTOMERS, customers);
        return a;
    }

    static Map<String, Object> order(StoredOrder o, String accountId) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", o.id);
        m.put("legacy_id", o.legacyId);
        m.put("order_number", o.orderNumber);
        m.put("partner_order_id", o.partnerOrderId);
        m.put("shop_name", o.shopName);
        m.put("email", o.customer == null ? null : o.customer.email());
        Map<String, Object> shipTo = new LinkedHashMap<>();
        shipTo.put("first_name", o.customer == null ? null : o.customer.firstName());
        shipTo.put("last_name", o.customer == null ? null : o.customer.lastName());
        shipTo.put("email", o.customer == null ? null : o.customer.email());
        m.put("shipping_address", shipTo);
        m.put("fulfillment_status", "fulfilled");
        m.put("order_date", iso(o.orderDate));
        m.put("updated_at", iso(o.updatedAt));
        m.put("account_id", accountId);
        m.put(LINE_ITEMS, o.lines.stream().map(l -> lineItem(l, o.id)).toList());
        m.put("returns", o.returns.stream().map(ShipHeroShapes::returnShape).toList());
        return m;
    }

    static Map<String, Object> lineItem(StoredLine l, String orderId) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", l.id());
        m.put("legacy_id", l.legacyId());
        m.put("sku", l.sku());
        m.put("partner_line_item_id", l.partnerLineItemId());
        m.put("quantity", l.quantity());
        m.put("quantity_shipped", l.quantity());
        m.put("eligible_for_return", true);
        m.put("order_id", orderId);
        return m;
    }

    static Map<String, Object> returnShape(StoredReturn r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.id);
        m.put("legacy_id", r.legacyId);
        m.put("account_id", r.accountId());
        m.put("order_id", r.order.id);
        m.put("partner_id", r.partnerId);
        m.put("reason", r.reason);
        m.put("status", r.status);
        m.put("label_type", r.labelType);
        m.put("label_cost", r.labelCost);
        m.put("labels", r.labelLegacyId == null ? List.of() : List.of(label(r)));
        m.put("shipping_carrier", r.shippingCarrier);
        m.put("shipping_method", r.shippingMethod);
        m.put("dimensions", new LinkedHashMap<>(r.dimensions));
        m.put("address", new LinkedHashMap<>(r.address));
        m.put("line_items", r.lines.stream().map(l -> returnLine(r, l)).toList());
        m.put("total_items_expected", r.totalExpected());
        m.put("total_items_received", r.totalReceived());
        m.put("total_items_restocked", r.totalRestocked());
        m.put("created_at", iso(r.createdAt));
        m.put("display_issue_refund", r.displayIssueRefund);
        return m;
    }

    private static Map<String, Object> returnLine(StoredReturn r, StoredReturnLine l) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", l.id);
        m.put("legacy_id", l.legacyId);
        m.put("account_id", r.accountId());
        m.put("line_item_id", l.orderLine.id());
        m.put("warehouse_id", r.warehouse.get("id"));
        m.put("return_id", r.id);
        m.put("quantity", l.quantity);
        m.put("quantity_received", l.quantityReceived);
        m.put("restock", l.restock);
        m.put("condition", l.condition);
        m.put("is_component", l.isComponent);
        m.put("reason", l.reason);
        m.put("created_at", iso(l.createdAt));
        m.put("updated_at", iso(l.updatedAt));
        m.put("line_item", lineItem(l.orderLine, r.order.id));
        m.put("warehouse", r.warehouse);
        return m;
    }

    /** The label ShipHero attaches when the caller brings a tracking number (or asks for a label). */
    private static Map<String, Object> label(StoredReturn r) {
        @SuppressWarnings("unchecked")
        Map<String, Object> to = (Map<String, Object>) r.warehouse.get("return_address");
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", ShipHeroIds.encode("RMALabel", r.labelLegacyId));
        m.put("legacy_id", r.labelLegacyId);
        m.put("tracking_number", r.trackingNumber);
        m.put("status", "valid");
        m.put("created_date", iso(r.createdAt));
        m.put("carrier", r.shippingCarrier);
        m.put("shipping_method", r.shippingMethod);
        m.put("cost", r.labelCost);
        m.put("dimensions", new LinkedHashMap<>(r.dimensions));
        m.put("to_name", to.get("name"));
        m.put("address1", to.get("address1"));
        m.put("address2", to.get("address2"));
        m.put("address_city", to.get("city"));
        m.put("address_state", to.get("state"));
        m.put("address_zip", to.get("zip"));
        m.put("address_country", to.get("country"));
        m.put("pdf_location", null);
        return m;
    }

    static Map<String, Object> webhook(StoredWebhook w, String accountId, boolean withSecret) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", w.id());
        m.put("legacy_id", w.legacyId());
        m.put("account_id", accountId);
        m.put("shop_name", w.shopName());
        m.put("name", w.name());
        m.put("url", w.url());
        m.put("source", "api");
        m.put("shared_signature_secret", withSecret ? w.secret() : null);
        return m;
    }

    private static Map<String, Object> address(String name, String address1, String address2, String city,
            String state, String country, String zip, String phone) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("address1", address1);
        m.put("address2", address2);
        m.put("city", city);
        m.put("state", state);
        m.put("country", country);
        m.put("zip", zip);
        m.put("phone", phone);
        return m;
    }
}
