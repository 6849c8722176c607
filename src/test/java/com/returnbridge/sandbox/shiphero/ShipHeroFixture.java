package com.returnbridge.sandbox.shiphero;

import static org.assertj.core.api.Assertions.assertThat;

import com.returnbridge.sandbox.SandboxWebhookSender;
import com.returnbridge.sandbox.shiphero.SandboxShipHero.GraphQlAnswer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A fresh sandbox per test plus the project's real GraphQL documents and small JSON helpers. */
class ShipHeroFixture implements AutoCloseable {

    static final JsonMapper JSON = JsonMapper.builder().build();

    final TestClock clock = new TestClock();
    final SandboxWebhookSender webhooks = new SandboxWebhookSender(Duration.ofMillis(50));
    final SandboxShipHero shipHero;
    final String token;

    ShipHeroFixture(String... customerAccountIds) {
        shipHero = new SandboxShipHero(webhooks, clock, List.of(customerAccountIds));
        token = shipHero.issueAccessToken();
    }

    /** One of the documents in src/main/resources/shiphero, exactly as the client sends it. */
    static String document(String name) {
        try (InputStream in = ShipHeroFixture.class.getClassLoader().getResourceAsStream("shiphero/" + name + ".graphql")) {
            assertThat(in).as("document %s", name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    GraphQlAnswer run(String documentName, Map<String, Object> variables) {
        return shipHero.execute(token, document(documentName), variables);
    }

    JsonNode ok(String documentName, Map<String, Object> variables) {
        GraphQlAnswer answer = run(documentName, variables);
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        JsonNode body = json(answer);
        assertThat(body.has("errors")).as(answer.body()).isFalse();
        return body.get("data");
    }

    static JsonNode json(GraphQlAnswer answer) {
        return JSON.readTree(answer.body());
    }

    /** A CreateReturnInput as the bridge builds it. */
    Map<String, Object> returnInput(String orderId, String partnerId, Map<String, Integer> quantityBySku) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("order_id", orderId);
        data.put("warehouse_id", shipHero.warehouseId());
        data.put("return_reason", "Loop return " + partnerId);
        data.put("label_type", "FREE");
        data.put("label_cost", "0.00");
        data.put("address", Map.of("name", "Ada Lovelace", "address1", "1 Main St", "city", "Springfield",
                "state", "IL", "country", "US", "zip", "62701"));
        data.put("dimensions", Map.of("weight", "16"));
        data.put("shipping_carrier", "usps");
        data.put("shipping_method", "ground");
        data.put("tracking_number", "9202090153540000000000");
        data.put("partner_id", partnerId);
        data.put("line_items", quantityBySku.entrySet().stream()
                .map(e -> Map.<String, Object>of("sku", e.getKey(), "quantity", e.getValue(),
                        "return_reason", "Too small"))
                .toList());
        return Map.of("data", data);
    }

    JsonNode createReturn(String orderId, String partnerId, Map<String, Integer> quantityBySku) {
        return ok("CreateReturn", returnInput(orderId, partnerId, quantityBySku)).get("return_create").get("return");
    }

    @Override
    public void close() {
        webhooks.close();
    }
}
