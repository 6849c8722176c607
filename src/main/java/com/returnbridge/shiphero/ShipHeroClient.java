package com.returnbridge.shiphero;

import com.returnbridge.vendor.VendorHttp;
import com.returnbridge.bridge.LoopReturn;
import com.returnbridge.vendor.VendorException;
import com.returnbridge.bridge.WarehouseApi;
import com.returnbridge.connection.Connection;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * ShipHero's GraphQL API in the bridge's terms. ShipHero answers HTTP 200 even for failures, so every answer's
 * {@code errors[]} is classified: code 30 (no credits) waits, code 5 is "not found", anything else needs a person.
 */
@Component
public class ShipHeroClient implements WarehouseApi, com.returnbridge.bridge.WarehouseReads {

    private static final Pattern NUMBER = Pattern.compile("(\\d+(?:\\.\\d+)?)");

    private final RestClient http;
    private final ShipHeroTokens tokens;
    private final JsonMapper json;
    private final MeterRegistry meters;
    private final VendorHttp vendorHttp;
    private final Map<String, Instant> creditsBackAt = new ConcurrentHashMap<>();
    private final ShipHeroCredits credits;

    public ShipHeroClient(com.returnbridge.vendor.VendorTimeouts timeouts,
                          ShipHeroTokens tokens, JsonMapper json, MeterRegistry meters, ShipHeroCredits credits,
                          VendorHttp vendorHttp) {
        this.http = RestClient.builder().requestFactory(timeouts.requestFactory()).build();
        this.tokens = tokens;
        this.json = json;
        this.meters = meters;
        this.vendorHttp = vendorHttp;
        this.credits = credits;
    }

    // ---------------------------------------------------------------- WarehouseApi

    @Override
    public Orders findOrders(Connection connection, String providerOrderId, String orderName) {
        String account = connection.shiphero().customerAccountId();
        if (providerOrderId != null && !providerOrderId.isBlank()) {
            Map<String, Object> vars = new LinkedHashMap<>();
            vars.put("partnerOrderId", providerOrderId);
            vars.put("customerAccountId", account);
            Orders found = orders(execute(connection, GraphQlDocuments.FIND_ORDERS_BY_PARTNER_ORDER_ID,
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
                Orders found = orders(execute(connection, GraphQlDocuments.FIND_ORDERS_BY_ORDER_NUMBER,
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
        Map<String, Object> data = new LinkedHashMap<>();
        putIfPresent(data, "customer_account_id", request.customerAccountId());
        data.put("order_id", request.orderId());
        data.put("warehouse_id", request.warehouseId());
        data.put("return_reason", request.reason());
        data.put("label_type", request.labelType());
        data.put("label_cost", request.labelCost());
        data.put("address", address(request.address()));
        Map<String, Object> dimensions = new LinkedHashMap<>();
        putIfPresent(dimensions, "weight", request.dimensions().weight());
        putIfPresent(dimensions, "length", request.dimensions().length());
        putIfPresent(dimensions, "width", request.dimensions().width());
        putIfPresent(dimensions, "height", request.dimensions().height());
        data.put("dimensions", dimensions);
        data.put("shipping_carrier", request.shippingCarrier());
        data.put("shipping_method", request.shippingMethod());
        List<Map<String, Object>> lines = new ArrayList<>();
        for (Line line : request.lines()) {
            lines.add(Map.of("sku", line.sku(), "quantity", line.quantity(), "return_reason", line.reason()));
        }
        data.put("line_items", lines);
        putIfPresent(data, "tracking_number", request.trackingNumber());
        data.put("create_label", false);
        data.put("partner_id", request.partnerId());
        JsonNode created = execute(connection, GraphQlDocuments.CREATE_RETURN, Map.of("data", data), "return_create");
        return rmaRef(created.path("return"));
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
            result = execute(connection, GraphQlDocuments.GET_RETURN, Map.of("id", rmaId), "return");
        } catch (NotFound e) {
            return Optional.empty();
        }
        JsonNode r = result.path("data");
        if (r.isMissingNode() || r.isNull()) {
            return Optional.empty();
        }
        List<LineState> lines = new ArrayList<>();
        for (JsonNode line : r.path("line_items").values()) {
            lines.add(new LineState(line.path("line_item").path("sku").asString(null), line.path("quantity").asInt(0),
                    line.path("quantity_received").asInt(0)));
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
            JsonNode data = execute(connection, GraphQlDocuments.RETURNS_SINCE, vars, "returns").path("data");
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

    private static RmaSnapshot snapshot(JsonNode r) {
        List<LineState> lines = new ArrayList<>();
        for (JsonNode line : r.path("line_items").values()) {
            lines.add(new LineState(line.path("line_item").path("sku").asString(null), line.path("quantity").asInt(0),
                    line.path("quantity_received").asInt(0)));
        }
        return new RmaSnapshot(r.path("id").asString(null), longOrNull(r.path("legacy_id")),
                r.path("partner_id").asString(null), r.path("status").asString(null),
                r.path("total_items_expected").asInt(0), r.path("total_items_received").asInt(0), lines);
    }

    @Override
    public void setRmaStatus(Connection connection, String rmaId, String status) {
        execute(connection, GraphQlDocuments.UPDATE_RETURN_STATUS,
                Map.of("data", Map.of("return_id", rmaId, "status", status)), "return_update_status");
    }

    // ---------------------------------------------------------------- transport

    /** ShipHero's "not found" (error code 5), which some callers turn into an empty answer. */
    static final class NotFound extends VendorException {
        NotFound(String message) {
            super(Kind.PERMANENT, message, null, null);
        }
    }


    JsonNode execute(Connection connection, GraphQlDocuments document, Map<String, Object> variables, String field) {
        Duration paused = creditsPaused(connection);
        if (paused != null) {
            throw VendorException.throttled("ShipHero is out of credits for " + field + " (told earlier)", paused);
        }
        return send(connection, document, variables, field);
    }

    /**
     * Only ShipHero's own refusals pause the account: our budget's waits and the pause itself must not, or every
     * waiting job would push the pause further and none would ever run.
     */
    private VendorException refusedByShipHero(Connection connection, VendorException e) {
        if (e.kind() == VendorException.Kind.THROTTLED && e.retryAfter() != null) {
            creditsBackAt.merge(account(connection), Instant.now().plus(e.retryAfter()),
                    (a, b) -> a.isAfter(b) ? a : b);
        }
        return e;
    }

    /**
     * Once ShipHero has said "no credits, try again in N s", every call on that account before then would only be
     * refused too: it waits locally instead of spending a request (ShipHero also caps requests per 5 minutes).
     */
    private Duration creditsPaused(Connection connection) {
        Instant back = creditsBackAt.get(account(connection));
        if (back == null) {
            return null;
        }
        Duration left = Duration.between(Instant.now(), back);
        return left.isNegative() || left.isZero() ? null : left;
    }

    /** One credit bucket per ShipHero account: the same URL and user serve every connection of a 3PL. */
    private static String account(Connection connection) {
        var settings = connection.shiphero();
        var user = settings.refreshToken() != null ? settings.refreshToken() : settings.accessToken();
        return settings.baseUrl() + "|" + (user == null ? connection.id() : user.reveal());
    }

    private JsonNode send(Connection connection, GraphQlDocuments document, Map<String, Object> variables,
                          String field) {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("query", document.text());
        request.put("variables", variables);
        long reserved = credits.reserve(connection, document, variables);
        for (int attempt = 1; ; attempt++) {
            String token = tokens.accessToken(connection);
            VendorHttp.Answer raw = post(connection, token, request, field, document.isMutation());
            if (raw.status() == 401 || raw.status() == 403) {
                tokens.invalidate(connection, token);
                if (attempt == 1 && tokens.canRefresh(connection)) {
                    continue;
                }
                throw VendorException.permanent("ShipHero rejected the credentials (HTTP " + raw.status()
                        + "); check the developer user's refresh token");
            }
            if (raw.status() == 429) {
                throw refusedByShipHero(connection, VendorException.throttled("ShipHero answered 429",
                        seconds(raw.retryAfter(), Duration.ofSeconds(2))));
            }
            if (raw.status() >= 500) {
                String message = "ShipHero " + field + " answered HTTP " + raw.status();
                throw document.isMutation() ? VendorException.answeredWithServerError(message)
                        : VendorException.transientFailure(message, null);
            }
            if (raw.status() != 200) {
                throw VendorException.permanent("ShipHero " + field + " answered HTTP " + raw.status() + ": "
                        + abbreviate(raw.body()));
            }
            JsonNode result;
            try {
                result = payload(raw.body(), field);
            } catch (VendorException e) {
                throw refusedByShipHero(connection, e);
            }
            credits.settle(connection, reserved, result.path("complexity").asLong(0));
            return result;
        }
    }

    private VendorHttp.Answer post(Connection connection, String token, Map<String, Object> request, String field,
                     boolean mutation) {
        String url = connection.shiphero().baseUrl() + "/graphql";
        return vendorHttp.exchange(new VendorHttp.Call(connection.id(), "shiphero", field, mutation, "POST", url,
                GraphQlDocuments.forLog(request)), http.post()
                .uri(url)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                .contentType(MediaType.APPLICATION_JSON)
                .accept(MediaType.APPLICATION_JSON)
                .body(request));
    }

    private JsonNode payload(String body, String field) {
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (JacksonException e) {
            throw VendorException.transientFailure("ShipHero answered with something that is not JSON", e);
        }
        JsonNode errors = root.path("errors");
        if (errors.isArray() && !errors.isEmpty()) {
            throw classify(errors.get(0), field);
        }
        JsonNode result = root.path("data").path(field);
        if (result.isMissingNode() || result.isNull()) {
            throw VendorException.transientFailure("ShipHero answered " + field + " without data", null);
        }
        int complexity = result.path("complexity").asInt(0);
        if (complexity > 0) {
            meters.counter("returnbridge.shiphero.credits", "operation", field).increment(complexity);
        }
        return result;
    }

    private static VendorException classify(JsonNode error, String field) {
        int code = error.path("code").asInt(-1);
        String message = error.path("message").asString("");
        String requestId = error.path("request_id").asString("");
        String where = "ShipHero " + field + ": " + message + (requestId.isEmpty() ? "" : " (request " + requestId + ")");
        if (code == 30 || message.toLowerCase().contains("credits")) {
            Duration wait = seconds(error.path("time_remaining").asString(null), null);
            if (wait == null) {
                int required = error.path("required_credits").asInt(60);
                int remaining = error.path("remaining_credits").asInt(0);
                wait = Duration.ofMillis(Math.max(1000, (long) ((required - remaining) / 60.0 * 1000)));
            }
            return VendorException.throttled("ShipHero is out of credits for " + field, wait);
        }
        if (code == 5) {
            return new NotFound(where);
        }
        if (code == 7) {
            return VendorException.permanent(where + "; give the developer user the missing scope");
        }
        return VendorException.permanent(where);
    }

    /** "2 seconds", "1.5", "30": the first number, in seconds. */
    private static Duration seconds(String text, Duration fallback) {
        if (text == null) {
            return fallback;
        }
        Matcher m = NUMBER.matcher(text);
        if (!m.find()) {
            return fallback;
        }
        long millis = (long) (Double.parseDouble(m.group(1)) * 1000);
        return Duration.ofMillis(Math.min(Math.max(millis, 200), Duration.ofMinutes(10).toMillis()));
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

    private static String abbreviate(String body) {
        if (body == null) {
            return "";
        }
        return body.length() <= 200 ? body : body.substring(0, 200) + "…";
    }
}
