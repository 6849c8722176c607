package com.returnbridge.shiphero;

import com.returnbridge.bridge.LoopReturn;
import com.returnbridge.bridge.WarehouseApi;
import com.returnbridge.connection.Connection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * ShipHero's GraphQL API in the bridge's terms: our documents' answers mapped to the bridge's records. How an
 * answer that is not one (errors in a 200, 429, 5xx, no answer) is classified is {@link ShipHeroHttp}'s.
 */
@Component
public class ShipHeroClient implements WarehouseApi, com.returnbridge.bridge.WarehouseReads {

    private final ShipHeroHttp http;

    ShipHeroClient(ShipHeroHttp http) {
        this.http = http;
    }

    // ---------------------------------------------------------------- WarehouseApi

    @Override
    public Orders findOrders(Connection connection, String providerOrderId, String orderName) {
        String account = connection.shiphero().customerAccountId();
        if (providerOrderId != null && !providerOrderId.isBlank()) {
            Map<String, Object> vars = new LinkedHashMap<>();
            vars.put("partnerOrderId", providerOrderId);
            vars.put("customerAccountId", account);
            Orders found = orders(http.execute(connection, GraphQlDocuments.FIND_ORDERS_BY_PARTNER_ORDER_ID,
                    vars, "orders"), "partner_order_id " + providerOrderId);
            if (!found.found().isEmpty()) {
                return found;
            }
        }
        if (orderName != null && !orderName.isBlank()) {
            String shop = connection.shiphero().shopName();
            String bare = orderName.startsWith("#") ? orderName.substring(1) : orderName;
            for (String candidate : new LinkedHashSet<>(List.of(orderName, bare, "#" + bare))) {
                Map<String, Object> vars = new LinkedHashMap<>();
                vars.put("orderNumber", candidate);
                vars.put("customerAccountId", account);
                if (shop != null) {
                    vars.put("shopName", shop); // omitted, not null, when unknown: every store's orders
                }
                Orders found = orders(http.execute(connection, GraphQlDocuments.FIND_ORDERS_BY_ORDER_NUMBER,
                        vars, "orders"), "order_number " + candidate + (shop != null ? " in shop " + shop : ""));
                if (!found.found().isEmpty()) {
                    return found;
                }
            }
        }
        return Orders.NONE;
    }

    private static Orders orders(JsonNode orders, String matchedBy) {
        List<OrderMatch> out = new ArrayList<>();
        for (JsonNode edge : orders.path("data").path("edges").values()) {
            out.add(order(edge.path("node"), matchedBy));
        }
        return new Orders(out, orders.path("data").path("pageInfo").path("hasNextPage").asBoolean(false));
    }

    private static OrderMatch order(JsonNode order, String matchedBy) {
        Set<String> skus = new LinkedHashSet<>();
        for (JsonNode line : order.path("line_items").path("edges").values()) {
            String sku = line.path("node").path("sku").asString(null);
            if (sku != null) {
                skus.add(sku);
            }
        }
        List<RmaRef> returns = new ArrayList<>();
        for (JsonNode r : order.path("returns").values()) {
            returns.add(rmaRef(r));
        }
        JsonNode shipTo = order.path("shipping_address");
        String email = order.path("email").asString(null);
        if (email == null || email.isBlank()) {
            email = shipTo.path("email").asString(null);
        }
        String name = String.join(" ", java.util.stream.Stream.of(shipTo.path("first_name").asString(null),
                shipTo.path("last_name").asString(null)).filter(s -> s != null && !s.isBlank()).toList());
        return new OrderMatch(order.path("id").asString(null), longOrNull(order.path("legacy_id")),
                order.path("order_number").asString(null), skus, returns, matchedBy,
                order.path("shop_name").asString(null), email, name.isEmpty() ? null : name);
    }

    @Override
    public RmaRef createRma(Connection connection, RmaRequest request) {
        JsonNode created = http.execute(connection, GraphQlDocuments.CREATE_RETURN,
                Map.of("data", createReturnInput(connection, request)), "return_create");
        return rmaRef(created.path("return"));
    }

    /**
     * ShipHero's {@code CreateReturnInput}: the request, the connection's warehouse and account, and its RMA
     * defaults where Loop says nothing (the carrier too when the label names none).
     */
    static Map<String, Object> createReturnInput(Connection connection, RmaRequest request) {
        Connection.RmaDefaults defaults = connection.rmaDefaults();
        LoopReturn.Label label = request.label();
        boolean tracked = label != null && label.hasTracking();
        String carrier = tracked && label.carrier() != null ? label.carrier() : defaults.shippingCarrier();
        Map<String, Object> data = new LinkedHashMap<>();
        putIfPresent(data, "customer_account_id", connection.shiphero().customerAccountId());
        data.put("order_id", request.orderId());
        data.put("warehouse_id", connection.shiphero().warehouseId());
        data.put("return_reason", request.reason());
        data.put("label_type", defaults.labelType());
        data.put("label_cost", defaults.labelCost());
        data.put("address", address(request.address()));
        Map<String, Object> dimensions = new LinkedHashMap<>();
        putIfPresent(dimensions, "weight", defaults.weight());
        putIfPresent(dimensions, "length", defaults.length());
        putIfPresent(dimensions, "width", defaults.width());
        putIfPresent(dimensions, "height", defaults.height());
        data.put("dimensions", dimensions);
        data.put("shipping_carrier", carrier);
        data.put("shipping_method", defaults.shippingMethod());
        List<Map<String, Object>> lines = new ArrayList<>();
        for (Line line : request.lines()) {
            lines.add(Map.of("sku", line.sku(), "quantity", line.quantity(), "return_reason", line.reason()));
        }
        data.put("line_items", lines);
        putIfPresent(data, "tracking_number", tracked ? label.trackingNumber() : null);
        data.put("create_label", false);
        data.put("partner_id", request.partnerId());
        return data;
    }

    private static Map<String, Object> address(LoopReturn.Address a) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (a != null) {
            putIfPresent(out, "name", a.name());
            putIfPresent(out, "address1", a.address1());
            putIfPresent(out, "address2", a.address2());
            putIfPresent(out, "city", a.city());
            putIfPresent(out, "state", a.state());
            putIfPresent(out, "country", a.country());
            putIfPresent(out, "zip", a.zip());
            putIfPresent(out, "phone", a.phone());
        }
        return out;
    }

    @Override
    public Optional<RmaSnapshot> readRma(Connection connection, String rmaId) {
        JsonNode result;
        try {
            result = http.execute(connection, GraphQlDocuments.GET_RETURN, Map.of("id", rmaId), "return");
        } catch (ShipHeroHttp.NotFound e) {
            return Optional.empty();
        }
        JsonNode r = result.path("data");
        if (r.isMissingNode() || r.isNull()) {
            return Optional.empty();
        }
        List<LineState> lines = new ArrayList<>();
        for (JsonNode line : r.path("line_items").values()) {
            lines.add(lineState(line));
        }
        return Optional.of(new RmaSnapshot(r.path("id").asString(null), longOrNull(r.path("legacy_id")),
                r.path("partner_id").asString(null), r.path("status").asString(null),
                r.path("total_items_expected").asInt(0), r.path("total_items_received").asInt(0), lines));
    }

    @Override
    public void rmasCreatedSince(Connection connection, java.time.Instant from, java.util.function.Consumer<RmaSnapshot> each) {
        String after = null;
        for (int page = 0; page < 1000; page++) {
            Map<String, Object> vars = new LinkedHashMap<>();
            vars.put("dateFrom", from.toString());
            vars.put("warehouseId", connection.shiphero().warehouseId());
            vars.put("customerAccountId", connection.shiphero().customerAccountId());
            vars.put("first", 50);
            vars.put("after", after);
            JsonNode data = page(connection, GraphQlDocuments.RETURNS_SINCE, vars, "returns").path("data");
            for (JsonNode edge : data.path("edges").values()) {
                each.accept(snapshot(edge.path("node")));
            }
            JsonNode info = data.path("pageInfo");
            after = info.path("endCursor").asString(null);
            if (!info.path("hasNextPage").asBoolean(false) || after == null) {
                return;
            }
        }
    }

    /**
     * Not filtered by warehouse: an order's warehouse is where it shipped from, not where its returns go; the
     * caller keeps the RMAs it waits for.
     */
    @Override
    public void rmasOnOrdersUpdated(Connection connection, java.time.Instant from, java.time.Instant to,
                                    java.util.function.Consumer<RmaSnapshot> each) {
        String after = null;
        for (int page = 0; page < 10_000; page++) {
            Map<String, Object> vars = new LinkedHashMap<>();
            vars.put("updatedFrom", from.toString());
            vars.put("updatedTo", to.toString());
            vars.put("customerAccountId", connection.shiphero().customerAccountId());
            vars.put("first", 50);
            vars.put("after", after);
            JsonNode data = page(connection, GraphQlDocuments.ORDER_RETURNS_UPDATED, vars, "orders").path("data");
            for (JsonNode edge : data.path("edges").values()) {
                for (JsonNode r : edge.path("node").path("returns").values()) {
                    each.accept(snapshot(r));
                }
            }
            JsonNode info = data.path("pageInfo");
            after = info.path("endCursor").asString(null);
            if (!info.path("hasNextPage").asBoolean(false) || after == null) {
                return;
            }
        }
        // Not complete: the caller keeps its watermark and the next sweep reads the window again.
        throw new com.returnbridge.vendor.VendorException(com.returnbridge.vendor.VendorException.Kind.TRANSIENT,
                "more than 500,000 orders updated since " + from + ": not read to the end", null, null);
    }

    /** The longest a sweep's page waits for the credit budget at a time; longer, the sweep stops and says so. */
    private static final java.time.Duration MAX_PAGE_WAIT = java.time.Duration.ofMinutes(1);

    /**
     * One page of a sweep's read. A page the credit budget cannot serve yet waits until it can (a sweep is background
     * work; a full pass of 10,000 RMAs needs ten budgets' worth), so a long read completes instead of failing at the
     * same page every time.
     */
    private JsonNode page(Connection connection, GraphQlDocuments document, Map<String, Object> vars, String field) {
        for (int waits = 0; ; waits++) {
            try {
                return http.execute(connection, document, vars, field);
            } catch (com.returnbridge.vendor.VendorException e) {
                if (e.kind() != com.returnbridge.vendor.VendorException.Kind.THROTTLED || e.retryAfter() == null
                        || e.retryAfter().compareTo(MAX_PAGE_WAIT) > 0 || waits >= 1_000) {
                    throw e;
                }
                try {
                    Thread.sleep(Math.max(1, e.retryAfter().toMillis()));
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    private static RmaSnapshot snapshot(JsonNode r) {
        List<LineState> lines = new ArrayList<>();
        for (JsonNode line : r.path("line_items").values()) {
            lines.add(lineState(line));
        }
        return new RmaSnapshot(r.path("id").asString(null), longOrNull(r.path("legacy_id")),
                r.path("partner_id").asString(null), r.path("status").asString(null),
                r.path("total_items_expected").asInt(0), r.path("total_items_received").asInt(0), lines);
    }

    /** A ReturnLineItem: counts, ShipHero's free-text condition and whether it is a kit's component. */
    private static LineState lineState(JsonNode line) {
        String condition = line.path("condition").asString(null);
        return new LineState(line.path("line_item").path("sku").asString(null), line.path("quantity").asInt(0),
                line.path("quantity_received").asInt(0), line.path("restock").asInt(0),
                condition == null || condition.isBlank() ? null : condition, line.path("is_component").asBoolean(false));
    }

    @Override
    public void setRmaStatus(Connection connection, String rmaId, String status) {
        http.execute(connection, GraphQlDocuments.UPDATE_RETURN_STATUS,
                Map.of("data", Map.of("return_id", rmaId, "status", status)), "return_update_status");
    }

    private static RmaRef rmaRef(JsonNode r) {
        return new RmaRef(r.path("id").asString(null), longOrNull(r.path("legacy_id")),
                r.path("partner_id").asString(null), r.path("status").asString(null));
    }

    private static Long longOrNull(JsonNode node) {
        return node == null || node.isMissingNode() || node.isNull() ? null : node.asLong();
    }

    private static void putIfPresent(Map<String, Object> map, String key, String value) {
        if (value != null && !value.isBlank()) {
            map.put(key, value);
        }
    }
}
