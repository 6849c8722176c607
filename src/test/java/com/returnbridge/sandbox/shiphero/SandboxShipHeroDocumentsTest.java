package com.returnbridge.sandbox.shiphero;

import static org.assertj.core.api.Assertions.assertThat;

import com.returnbridge.sandbox.shiphero.SandboxShipHero.GraphQlAnswer;
import com.returnbridge.sandbox.shiphero.SandboxShipHero.Order;
import com.returnbridge.sandbox.shiphero.SandboxShipHero.ReturnView;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The project's own documents (src/main/resources/shiphero) against the sandbox: the data must be right. */
class SandboxShipHeroDocumentsTest {

    private static final String CHILD = ShipHeroIds.encode("Account", 90210);

    private final ShipHeroFixture f = new ShipHeroFixture(CHILD);

    @AfterEach
    void close() {
        f.close();
    }

    @Test
    void findsOrderByPartnerOrderIdWithLinesAndReturns() {
        Order order = f.shipHero.createOrder("5776005693737", "#1001", "acme.myshopify.com", null,
                Map.of("TEE-BLK-S", 2));
        f.shipHero.createOrder("5776005690000", "#1002", "acme.myshopify.com", null, Map.of("CAP", 1));
        f.createReturn(order.id(), "loop-1", Map.of("TEE-BLK-S", 1));

        JsonNode orders = f.ok("FindOrdersByPartnerOrderId", vars("partnerOrderId", "5776005693737"))
                .get("orders");

        assertThat(orders.get("request_id").asString()).matches("[0-9a-f]{24}");
        assertThat(orders.get("complexity").asInt()).isGreaterThan(1);
        JsonNode edges = orders.get("data").get("edges");
        assertThat(edges).hasSize(1);
        JsonNode node = edges.get(0).get("node");
        assertThat(node.get("id").asString()).isEqualTo(order.id()).isEqualTo(ShipHeroIds.encode("Order",
                order.legacyId()));
        assertThat(node.get("legacy_id").asLong()).isEqualTo(order.legacyId());
        assertThat(node.get("order_number").asString()).isEqualTo("#1001");
        assertThat(node.get("line_items").get("edges").get(0).get("node").get("sku").asString())
                .isEqualTo("TEE-BLK-S");
        assertThat(node.get("returns")).hasSize(1);
        assertThat(node.get("returns").get(0).get("partner_id").asString()).isEqualTo("loop-1");
        assertThat(node.get("returns").get(0).get("status").asString()).isEqualTo("Pending");
    }

    @Test
    void findsOrderByNumberOnlyWhenSpelledExactly() {
        Order order = f.shipHero.createOrder("1", "#1001", "acme.myshopify.com", null, Map.of("TEE", 1));

        JsonNode withHash = f.ok("FindOrdersByOrderNumber", vars("orderNumber", "#1001")).get("orders");
        JsonNode withoutHash = f.ok("FindOrdersByOrderNumber", vars("orderNumber", "1001")).get("orders");

        assertThat(withHash.get("data").get("edges").get(0).get("node").get("id").asString()).isEqualTo(order.id());
        assertThat(withoutHash.get("data").get("edges")).isEmpty();
    }

    @Test
    void customerAccountOrdersAreSeparateFromTheAccountsOwn() {
        Order child = f.shipHero.createOrder("77", "#77", "child.myshopify.com", CHILD, Map.of("TEE", 1));

        Map<String, Object> asChild = vars("partnerOrderId", "77");
        asChild.put("customerAccountId", CHILD);

        assertThat(f.ok("FindOrdersByPartnerOrderId", vars("partnerOrderId", "77"))
                .get("orders").get("data").get("edges")).isEmpty();
        assertThat(f.ok("FindOrdersByPartnerOrderId", asChild).get("orders").get("data").get("edges").get(0)
                .get("node").get("id").asString()).isEqualTo(child.id());
    }

    @Test
    void createsReadsAndClosesAReturn() {
        Order order = f.shipHero.createOrder("1", "#1001", "acme.myshopify.com", null, Map.of("TEE", 2, "CAP", 1));

        JsonNode created = f.createReturn(order.id(), "loop-42", new LinkedHashMap<>(Map.of("TEE", 2, "CAP", 1)));
        String id = created.get("id").asString();
        assertThat(created.get("status").asString()).isEqualTo("Pending");
        assertThat(created.get("partner_id").asString()).isEqualTo("loop-42");
        assertThat(id).isEqualTo(ShipHeroIds.encode("Return", created.get("legacy_id").asLong()));

        f.shipHero.receive(id, Map.of("TEE", 2, "CAP", 1), "Warehouse Complete");
        JsonNode read = f.ok("GetReturn", vars("id", id)).get("return").get("data");
        assertThat(read.get("status").asString()).isEqualTo("Warehouse Complete");
        assertThat(read.get("total_items_expected").asInt()).isEqualTo(3);
        assertThat(read.get("total_items_received").asInt()).isEqualTo(3);
        assertThat(read.get("line_items")).hasSize(2);
        assertThat(read.get("line_items").get(0).get("quantity_received").asInt())
                .isEqualTo(read.get("line_items").get(0).get("quantity").asInt());

        JsonNode updated = f.ok("UpdateReturnStatus", Map.of("data", Map.of("return_id", id, "status", "Complete")))
                .get("return_update_status");
        assertThat(updated.get("return").get("status").asString()).isEqualTo("Complete");

        ReturnView view = f.shipHero.returnById(id).orElseThrow();
        assertThat(view.status()).isEqualTo("Complete");
        assertThat(view.statusHistory()).containsExactly("Complete");
        assertThat(view.labelType()).isEqualTo("FREE");
        assertThat(view.trackingNumber()).isEqualTo("9202090153540000000000");
        assertThat(view.address().city()).isEqualTo("Springfield");
        assertThat(f.shipHero.returnsByPartnerId("loop-42")).hasSize(1);
    }

    @Test
    void createReturnWithASkuNotOnTheOrderAnswersCode9() {
        Order order = f.shipHero.createOrder("1", "#1001", "acme.myshopify.com", null, Map.of("TEE", 1));

        GraphQlAnswer answer = f.run("CreateReturn", f.returnInput(order.id(), "loop-1", Map.of("HAT", 1)));

        assertThat(answer.status()).isEqualTo(200);
        JsonNode body = ShipHeroFixture.json(answer);
        JsonNode error = body.get("errors").get(0);
        assertThat(error.get("code").asInt()).isEqualTo(9);
        assertThat(error.get("message").asString()).isEqualTo("Sku HAT not found in order #1001");
        assertThat(error.get("operation").asString()).isEqualTo("return_create");
        assertThat(error.get("field").asString()).isEqualTo("return_create");
        assertThat(error.get("request_id").asString()).matches("[0-9a-f]{24}");
        assertThat(body.get("data").get("return_create").isNull()).isTrue();
        assertThat(f.shipHero.returns()).isEmpty();
    }

    @Test
    void createReturnOnAnUnknownOrderOrWarehouseAnswersCode5() {
        Order order = f.shipHero.createOrder("1", "#1001", "acme.myshopify.com", null, Map.of("TEE", 1));
        Map<String, Object> unknownOrder = f.returnInput(ShipHeroIds.encode("Order", 1), "loop-1", Map.of("TEE", 1));
        Map<String, Object> unknownWarehouse = f.returnInput(order.id(), "loop-1", Map.of("TEE", 1));
        @SuppressWarnings("unchecked")
        Map<String, Object> data = (Map<String, Object>) unknownWarehouse.get("data");
        data.put("warehouse_id", ShipHeroIds.encode("Warehouse", 1));

        JsonNode orderError = ShipHeroFixture.json(f.run("CreateReturn", unknownOrder)).get("errors").get(0);
        JsonNode warehouseError = ShipHeroFixture.json(f.run("CreateReturn", unknownWarehouse)).get("errors").get(0);

        assertThat(orderError.get("code").asInt()).isEqualTo(5);
        assertThat(orderError.get("message").asString()).isEqualTo("Order not found");
        assertThat(warehouseError.get("code").asInt()).isEqualTo(5);
        assertThat(warehouseError.get("message").asString()).isEqualTo("Warehouse not found");
    }

    @Test
    void createReturnTwiceMakesTwoRmasBecauseShipHeroHasNoIdempotencyKey() {
        Order order = f.shipHero.createOrder("1", "#1001", "acme.myshopify.com", null, Map.of("TEE", 1));

        String first = f.createReturn(order.id(), "loop-1", Map.of("TEE", 1)).get("id").asString();
        String second = f.createReturn(order.id(), "loop-1", Map.of("TEE", 1)).get("id").asString();

        assertThat(first).isNotEqualTo(second);
        assertThat(f.shipHero.returnsByPartnerId("loop-1")).hasSize(2);
    }

    @Test
    void unknownReturnAnswersCode5WithNullField() {
        GraphQlAnswer answer = f.run("GetReturn", vars("id", ShipHeroIds.encode("Return", 1)));

        JsonNode body = ShipHeroFixture.json(answer);
        assertThat(answer.status()).isEqualTo(200);
        assertThat(body.get("errors").get(0).get("code").asInt()).isEqualTo(5);
        assertThat(body.get("errors").get(0).get("message").asString()).isEqualTo("Return not found");
        assertThat(body.get("data").get("return").isNull()).isTrue();
    }

    @Test
    void unknownReturnInUpdateStatusAnswersCode5() {
        GraphQlAnswer answer = f.run("UpdateReturnStatus",
                Map.of("data", Map.of("return_id", ShipHeroIds.encode("Return", 1), "status", "Complete")));

        JsonNode error = ShipHeroFixture.json(answer).get("errors").get(0);
        assertThat(error.get("code").asInt()).isEqualTo(5);
        assertThat(error.get("operation").asString()).isEqualTo("return_update_status");
    }

    private static Map<String, Object> vars(String name, Object value) {
        Map<String, Object> vars = new HashMap<>();
        vars.put(name, value);
        return vars;
    }
}
