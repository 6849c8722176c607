package com.returnbridge.sandbox.shiphero;

import static org.assertj.core.api.Assertions.assertThat;

import com.returnbridge.sandbox.shiphero.SandboxShipHero.GraphQlAnswer;
import com.returnbridge.sandbox.shiphero.SandboxShipHero.Order;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The other operations the bridge may use: account, uuid, order, returns, webhooks, user_quota. */
class SandboxShipHeroQueriesTest {

    private static final String CHILD = ShipHeroIds.encode("Account", 90210);

    private final ShipHeroFixture f = new ShipHeroFixture(CHILD);

    @AfterEach
    void close() {
        f.close();
    }

    private JsonNode data(String query, Map<String, Object> variables) {
        GraphQlAnswer answer = f.shipHero.execute(f.token, query, variables);
        assertThat(answer.status()).isEqualTo(200);
        JsonNode body = ShipHeroFixture.json(answer);
        assertThat(body.has("errors")).as(answer.body()).isFalse();
        return body.get("data");
    }

    @Test
    void accountListsTheSeededWarehouseAndCustomers() {
        JsonNode account = data("""
                query { account { request_id complexity data { id is_3pl is_multi_warehouse
                  warehouses { id legacy_id identifier address { city } return_address { name address1 } }
                  customers(first: 50) { edges { node { id legacy_id } } } } } }""", Map.of())
                .get("account").get("data");

        assertThat(account.get("id").asString()).isEqualTo(f.shipHero.accountId());
        assertThat(account.get("is_3pl").asBoolean()).isTrue();
        JsonNode warehouse = account.get("warehouses").get(0);
        assertThat(warehouse.get("legacy_id").asInt()).isEqualTo(11790);
        assertThat(warehouse.get("id").asString()).isEqualTo("V2FyZWhvdXNlOjExNzkw");
        assertThat(warehouse.get("identifier").asString()).isEqualTo("Primary");
        assertThat(warehouse.get("return_address").get("address1").asString()).isNotBlank();
        JsonNode customer = account.get("customers").get("edges").get(0).get("node");
        assertThat(customer.get("id").asString()).isEqualTo(CHILD);
        assertThat(customer.get("legacy_id").asInt()).isEqualTo(90210);
    }

    @Test
    void uuidConvertsLegacyIds() {
        JsonNode uuid = data("{ uuid(legacy_id: 3394303, entity: Return) { data { id legacy_id } } }", Map.of())
                .get("uuid").get("data");

        assertThat(uuid.get("id").asString()).isEqualTo("UmV0dXJuOjMzOTQzMDM=");
        assertThat(uuid.get("legacy_id").asInt()).isEqualTo(3394303);
    }

    @Test
    void orderAndReturnsQueriesAndPaging() {
        Order order = f.shipHero.createOrder("1", "#1001", "acme.myshopify.com", null, Map.of("TEE", 3));
        for (int i = 0; i < 3; i++) {
            f.createReturn(order.id(), "loop-" + i, Map.of("TEE", 1));
        }

        JsonNode byId = data("query($id: String!) { order(id: $id) { data { order_number returns { partner_id order { id } } } } }",
                Map.of("id", order.id())).get("order").get("data");
        assertThat(byId.get("order_number").asString()).isEqualTo("#1001");
        assertThat(byId.get("returns")).hasSize(3);
        assertThat(byId.get("returns").get(0).get("order").get("id").asString()).isEqualTo(order.id());

        String page = "query($o: String, $after: String) { returns(order_id: $o, date_from: \"2025-03-01\") "
                + "{ data(first: 2, after: $after) { pageInfo { hasNextPage endCursor } edges { node { partner_id } } } } }";
        JsonNode first = data(page, Map.of("o", order.id())).get("returns").get("data");
        assertThat(first.get("edges")).hasSize(2);
        assertThat(first.get("pageInfo").get("hasNextPage").asBoolean()).isTrue();
        JsonNode second = data(page, Map.of("o", order.id(), "after", first.get("pageInfo").get("endCursor").asString()))
                .get("returns").get("data");
        assertThat(second.get("edges")).hasSize(1);
        assertThat(second.get("edges").get(0).get("node").get("partner_id").asString()).isEqualTo("loop-2");

        JsonNode none = data("{ returns(date_from: \"2030-01-01\") { data(first: 5) { edges { node { id } } } } }",
                Map.of()).get("returns").get("data");
        assertThat(none.get("edges")).isEmpty();
    }

    @Test
    void webhookCreateShowsTheSecretOnceAndDeleteRemovesIt() {
        JsonNode created = data("""
                mutation { webhook_create(data: { name: "Return Update", url: "http://127.0.0.1:1/x",
                  shop_name: "loop-bridge", customer_account_id: "%s" }) {
                  request_id webhook { id legacy_id name url shop_name shared_signature_secret } } }"""
                .formatted(CHILD), Map.of()).get("webhook_create").get("webhook");
        assertThat(created.get("shared_signature_secret").asString()).hasSizeGreaterThan(20);

        String list = "query($c: String) { webhooks(customer_account_id: $c) { data(first: 10) { edges { node { name shared_signature_secret } } } } }";
        JsonNode listed = data(list, Map.of("c", CHILD)).get("webhooks").get("data").get("edges");
        assertThat(listed).hasSize(1);
        assertThat(listed.get(0).get("node").get("shared_signature_secret").isNull()).isTrue();
        assertThat(data(list, Map.of()).get("webhooks").get("data").get("edges")).isEmpty();

        data("mutation { webhook_delete(data: { name: \"Return Update\", shop_name: \"loop-bridge\", customer_account_id: \"%s\" }) { request_id } }"
                .formatted(CHILD), Map.of());
        assertThat(data(list, Map.of("c", CHILD)).get("webhooks").get("data").get("edges")).isEmpty();
    }

    @Test
    void userQuotaReportsTheCreditModel() {
        f.shipHero.setCreditModel(new SandboxShipHero.CreditModel(500, 10));

        JsonNode quota = data("{ user_quota { credits_remaining max_available increment_rate } }", Map.of())
                .get("user_quota");

        assertThat(quota.get("credits_remaining").asInt()).isEqualTo(500);
        assertThat(quota.get("max_available").asInt()).isEqualTo(500);
        assertThat(quota.get("increment_rate").asInt()).isEqualTo(10);
    }

    @Test
    void invalidDocumentsAnswer200WithErrors() {
        GraphQlAnswer syntax = f.shipHero.execute(f.token, "query { orders(", Map.of());
        GraphQlAnswer unknownField = f.shipHero.execute(f.token, "{ orders { data { edges { node { nope } } } } }",
                Map.of());

        assertThat(syntax.status()).isEqualTo(200);
        assertThat(ShipHeroFixture.json(syntax).get("errors").get(0).get("code").asInt()).isEqualTo(22);
        assertThat(unknownField.status()).isEqualTo(200);
        JsonNode error = ShipHeroFixture.json(unknownField).get("errors").get(0);
        assertThat(error.get("code").asInt()).isEqualTo(22);
        assertThat(error.get("operation").asString()).isEqualTo("orders");
    }
}
