package com.returnbridge.shiphero;

import com.returnbridge.connection.Connection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * ShipHero calls used by onboarding only: refresh the token, list warehouses and 3PL customer accounts, list, create
 * and delete the "Return Update" webhook. Documents are {@code .graphql} files under {@code shiphero/}.
 */
@Component
public class ShipHeroAdminClient {

    public static final String RETURN_UPDATE = "Return Update";

    public record Warehouse(String id, Long legacyId, String name, String company) {
    }

    public record CustomerAccount(String id, Long legacyId, String email, String username) {
    }

    public record Account(String id, boolean is3pl, List<Warehouse> warehouses, List<CustomerAccount> customers) {
    }

    public record Webhook(String id, Long legacyId, String name, String url, String shopName) {
    }

    /** A created webhook; {@code sharedSignatureSecret} is shown by ShipHero only this once. */
    public record CreatedWebhook(Webhook webhook, String sharedSignatureSecret) {
    }

    private final ShipHeroHttp http;

    ShipHeroAdminClient(ShipHeroHttp http) {
        this.http = http;
    }

    /** Forgets the cached access token and obtains a new one from the refresh token (or checks the bare token). */
    public void refreshToken(Connection connection) {
        http.refreshAccessToken(connection);
    }

    public Account account(Connection connection) {
        JsonNode data = http.execute(connection, GraphQlDocuments.ACCOUNT_WAREHOUSES, Map.of(), "account").path("data");
        List<Warehouse> warehouses = new ArrayList<>();
        for (JsonNode w : data.path("warehouses").values()) {
            warehouses.add(new Warehouse(w.path("id").asString(null), longOrNull(w.path("legacy_id")),
                    w.path("identifier").asString(null), w.path("company_name").asString(null)));
        }
        List<CustomerAccount> customers = new ArrayList<>();
        for (JsonNode edge : data.path("customers").path("edges").values()) {
            JsonNode c = edge.path("node");
            customers.add(new CustomerAccount(c.path("id").asString(null), longOrNull(c.path("legacy_id")),
                    c.path("email").asString(null), c.path("username").asString(null)));
        }
        return new Account(data.path("id").asString(null), data.path("is_3pl").asBoolean(false), warehouses,
                customers);
    }

    /** The distinct {@code shop_name}s of a sample of the account's orders, most frequent first. */
    public List<String> recentShopNames(Connection connection) {
        Map<String, Object> vars = new LinkedHashMap<>();
        vars.put("customerAccountId", connection.shiphero().customerAccountId());
        JsonNode result = http.execute(connection, GraphQlDocuments.RECENT_SHOP_NAMES, vars, "orders");
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (JsonNode edge : result.path("data").path("edges").values()) {
            String shop = edge.path("node").path("shop_name").asString(null);
            if (shop != null && !shop.isBlank()) {
                counts.merge(shop, 1, Integer::sum);
            }
        }
        return counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .map(Map.Entry::getKey).toList();
    }

    public List<Webhook> webhooks(Connection connection) {
        Map<String, Object> vars = new LinkedHashMap<>();
        vars.put("customerAccountId", connection.shiphero().customerAccountId());
        JsonNode result = http.execute(connection, GraphQlDocuments.LIST_WEBHOOKS, vars, "webhooks");
        List<Webhook> out = new ArrayList<>();
        for (JsonNode edge : result.path("data").path("edges").values()) {
            out.add(webhook(edge.path("node")));
        }
        return out;
    }

    public CreatedWebhook createReturnUpdateWebhook(Connection connection, String url, String shopName) {
        Map<String, Object> data = new LinkedHashMap<>();
        if (connection.shiphero().customerAccountId() != null) {
            data.put("customer_account_id", connection.shiphero().customerAccountId());
        }
        data.put("name", RETURN_UPDATE);
        data.put("url", url);
        data.put("shop_name", shopName);
        JsonNode w = http.execute(connection, GraphQlDocuments.CREATE_WEBHOOK, Map.of("data", data),
                "webhook_create").path("webhook");
        return new CreatedWebhook(webhook(w), w.path("shared_signature_secret").asString(null));
    }

    public void deleteReturnUpdateWebhook(Connection connection, String shopName) {
        Map<String, Object> data = new LinkedHashMap<>();
        if (connection.shiphero().customerAccountId() != null) {
            data.put("customer_account_id", connection.shiphero().customerAccountId());
        }
        data.put("name", RETURN_UPDATE);
        data.put("shop_name", shopName);
        http.execute(connection, GraphQlDocuments.DELETE_WEBHOOK, Map.of("data", data), "webhook_delete");
    }

    private static Webhook webhook(JsonNode w) {
        return new Webhook(w.path("id").asString(null), longOrNull(w.path("legacy_id")), w.path("name").asString(null),
                w.path("url").asString(null), w.path("shop_name").asString(null));
    }

    private static Long longOrNull(JsonNode node) {
        return node == null || node.isMissingNode() || node.isNull() ? null : node.asLong();
    }
}
