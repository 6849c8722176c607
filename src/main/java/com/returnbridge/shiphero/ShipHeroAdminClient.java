package com.returnbridge.shiphero;

import com.returnbridge.vendor.VendorHttp;
import com.returnbridge.vendor.VendorException;
import com.returnbridge.connection.Connection;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

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

    private final RestClient http;
    private final ShipHeroTokens tokens;
    private final JsonMapper json;
    private final MeterRegistry meters;
    private final VendorHttp vendorHttp;
    private final Map<String, String> documents = new ConcurrentHashMap<>();

    public ShipHeroAdminClient(com.returnbridge.vendor.VendorTimeouts timeouts, ShipHeroTokens tokens,
                               JsonMapper json, MeterRegistry meters, VendorHttp vendorHttp) {
        this.http = RestClient.builder().requestFactory(timeouts.requestFactory()).build();
        this.tokens = tokens;
        this.json = json;
        this.meters = meters;
        this.vendorHttp = vendorHttp;
    }

    /** Forgets the cached access token and obtains a new one from the refresh token (or checks the bare token). */
    public void refreshToken(Connection connection) {
        String old = tokens.accessToken(connection);
        if (tokens.canRefresh(connection)) {
            tokens.invalidate(connection, old);
            tokens.accessToken(connection);
        }
    }

    public Account account(Connection connection) {
        JsonNode data = execute(connection, "AccountWarehouses", Map.of(), "account", false).path("data");
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
        JsonNode result = execute(connection, "RecentShopNames", vars, "orders", false);
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
        JsonNode result = execute(connection, "ListWebhooks", vars, "webhooks", false);
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
        JsonNode w = execute(connection, "CreateWebhook", Map.of("data", data), "webhook_create", true).path("webhook");
        return new CreatedWebhook(webhook(w), w.path("shared_signature_secret").asString(null));
    }

    public void deleteReturnUpdateWebhook(Connection connection, String shopName) {
        Map<String, Object> data = new LinkedHashMap<>();
        if (connection.shiphero().customerAccountId() != null) {
            data.put("customer_account_id", connection.shiphero().customerAccountId());
        }
        data.put("name", RETURN_UPDATE);
        data.put("shop_name", shopName);
        execute(connection, "DeleteWebhook", Map.of("data", data), "webhook_delete", true);
    }

    // ---------------------------------------------------------------- transport


    private JsonNode execute(Connection connection, String document, Map<String, Object> variables, String field,
                             boolean mutation) {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("query", document(document));
        request.put("variables", variables);
        for (int attempt = 1; ; attempt++) {
            String token = tokens.accessToken(connection);
            VendorHttp.Answer raw = post(connection, token, request, field);
            if ((raw.status() == 401 || raw.status() == 403) && attempt == 1 && tokens.canRefresh(connection)) {
                tokens.invalidate(connection, token);
                continue;
            }
            if (raw.status() == 401 || raw.status() == 403) {
                throw VendorException.permanent("ShipHero rejected the credentials (HTTP " + raw.status() + ")");
            }
            if (raw.status() == 429 || raw.status() >= 500) {
                throw VendorException.transientFailure("ShipHero " + field + " answered HTTP " + raw.status(), null);
            }
            JsonNode root;
            try {
                root = json.readTree(raw.body());
            } catch (JacksonException e) {
                throw VendorException.transientFailure("ShipHero answered with something that is not JSON", e);
            }
            JsonNode errors = root.path("errors");
            if (errors.isArray() && !errors.isEmpty()) {
                JsonNode first = errors.get(0);
                String message = "ShipHero " + field + ": " + first.path("message").asString("error")
                        + " (code " + first.path("code").asInt(-1) + ")";
                throw first.path("code").asInt(-1) == 30 ? VendorException.throttled(message, null)
                        : VendorException.permanent(message);
            }
            JsonNode result = root.path("data").path(field);
            if (result.isMissingNode() || result.isNull()) {
                throw VendorException.permanent("ShipHero answered " + field + " without data");
            }
            int complexity = result.path("complexity").asInt(0);
            if (complexity > 0) {
                meters.counter("returnbridge.shiphero.credits", "operation", field).increment(complexity);
            }
            return result;
        }
    }

    private VendorHttp.Answer post(Connection connection, String token, Map<String, Object> request, String field) {
        String url = connection.shiphero().baseUrl() + "/graphql";
        return vendorHttp.exchange(new VendorHttp.Call(connection.id(), "shiphero", field, false, "POST", url,
                GraphQlDocuments.forLog(request)), http.post()
                .uri(url)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                .contentType(MediaType.APPLICATION_JSON).accept(MediaType.APPLICATION_JSON)
                .body(request));
    }

    private String document(String name) {
        return documents.computeIfAbsent(name, n -> {
            String resource = "shiphero/" + n + ".graphql";
            try (InputStream in = ShipHeroAdminClient.class.getClassLoader().getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException("missing " + resource);
                }
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private static Webhook webhook(JsonNode w) {
        return new Webhook(w.path("id").asString(null), longOrNull(w.path("legacy_id")), w.path("name").asString(null),
                w.path("url").asString(null), w.path("shop_name").asString(null));
    }

    private static Long longOrNull(JsonNode node) {
        return node == null || node.isMissingNode() || node.isNull() ? null : node.asLong();
    }
}
