package com.returnbridge.shiphero;

import static com.returnbridge.shiphero.ShipHeroTestKit.data;
import static com.returnbridge.shiphero.ShipHeroTestKit.error;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.returnbridge.bridge.LoopReturn;
import com.returnbridge.bridge.WarehouseApi;
import com.returnbridge.connection.Connection;
import com.returnbridge.vendor.VendorException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** ShipHeroClient on its own, over HTTP: orders, return_create, and every way ShipHero says no. */
class ShipHeroClientTest {

    private final ShipHeroTestKit kit = new ShipHeroTestKit();
    private final ShipHeroClient client = new ShipHeroClient(kit.http);
    private final Connection connection = kit.connection("c-sh", false);

    @AfterEach
    void close() {
        kit.close();
    }

    private static final String ORDER = """
            {"id":"T3JkZXI6MQ==","legacy_id":1,"order_number":"#1001","shop_name":"acme.myshopify.com",
             "email":"","shipping_address":{"first_name":"Ada","last_name":"Lovelace","email":"ada@example.com"},
             "line_items":{"edges":[{"node":{"sku":"SKU-1"}},{"node":{"sku":"SKU-2"}}]},
             "returns":[{"id":"UmV0dXJuOjk=","legacy_id":9,"partner_id":"loop-1","status":"pending"}]}""";

    @Test
    void ordersAreFoundByTheShopifyIdAndMappedToTheBridgesTerms() {
        kit.shiphero.answer(200, data("orders", "{\"complexity\":3,\"data\":{\"pageInfo\":{\"hasNextPage\":true},"
                + "\"edges\":[{\"node\":" + ORDER + "}]}}"));

        WarehouseApi.Orders orders = client.findOrders(connection, "gid-77", "#1001");

        assertThat(orders.more()).isTrue();
        WarehouseApi.OrderMatch match = orders.found().get(0);
        assertThat(match.orderId()).isEqualTo("T3JkZXI6MQ==");
        assertThat(match.legacyId()).isEqualTo(1L);
        assertThat(match.skus()).containsExactly("SKU-1", "SKU-2");
        assertThat(match.email()).isEqualTo("ada@example.com");
        assertThat(match.customerName()).isEqualTo("Ada Lovelace");
        assertThat(match.matchedBy()).isEqualTo("partner_order_id gid-77");
        assertThat(match.returns()).extracting(WarehouseApi.RmaRef::partnerId).containsExactly("loop-1");
        JsonNode sent = kit.lastRequest();
        assertThat(sent.path("query").asString()).contains("FindOrdersByPartnerOrderId");
        assertThat(sent.path("variables").path("partnerOrderId").asString()).isEqualTo("gid-77");
        assertThat(sent.path("variables").path("customerAccountId").asString()).isEqualTo("CA1");
        assertThat(kit.shiphero.last().header("Authorization")).isEqualTo("Bearer access-c-sh");
    }

    @Test
    void withoutAShopifyMatchTheOrderNumberIsTriedWithAndWithoutTheHash() {
        String none = data("orders", "{\"data\":{\"pageInfo\":{\"hasNextPage\":false},\"edges\":[]}}");
        kit.shiphero.answer(200, none).answer(200, none).answer(200, data("orders",
                "{\"data\":{\"pageInfo\":{\"hasNextPage\":false},\"edges\":[{\"node\":" + ORDER + "}]}}"));

        WarehouseApi.Orders orders = client.findOrders(connection, "gid-78", "#1001");

        assertThat(orders.found()).hasSize(1);
        assertThat(orders.found().get(0).matchedBy()).isEqualTo("order_number 1001");
        assertThat(kit.lastRequest().path("variables").path("orderNumber").asString()).isEqualTo("1001");
    }

    @Test
    void returnCreateSendsCreateReturnInputAndAnswersTheRma() {
        kit.shiphero.answer(200, data("return_create", "{\"complexity\":10,\"return\":{\"id\":\"UmV0dXJuOjEw\","
                + "\"legacy_id\":10,\"partner_id\":\"loop-5\",\"status\":\"pending\"}}"));

        WarehouseApi.RmaRef rma = client.createRma(connection, new WarehouseApi.RmaRequest("T3JkZXI6MQ==", "loop-5",
                "Loop return loop-5", List.of(new WarehouseApi.Line("SKU-1", 2, "Too small")), null,
                new LoopReturn.Label("ups", "1Z999", "purchased")));

        assertThat(rma).isEqualTo(new WarehouseApi.RmaRef("UmV0dXJuOjEw", 10L, "loop-5", "pending"));
        JsonNode input = kit.lastRequest().path("variables").path("data");
        assertThat(input.path("order_id").asString()).isEqualTo("T3JkZXI6MQ==");
        assertThat(input.path("warehouse_id").asString()).isEqualTo("WH1");
        assertThat(input.path("customer_account_id").asString()).isEqualTo("CA1");
        assertThat(input.path("label_type").asString()).isEqualTo("FREE");
        assertThat(input.path("shipping_carrier").asString()).isEqualTo("ups");
        assertThat(input.path("return_reason").asString()).isEqualTo("Loop return loop-5");
        assertThat(input.path("partner_id").asString()).isEqualTo("loop-5");
        assertThat(input.path("tracking_number").asString()).isEqualTo("1Z999");
        assertThat(input.path("create_label").asBoolean(true)).isFalse();
        assertThat(input.path("dimensions").path("weight").asString()).isEqualTo("16");
        assertThat(input.path("dimensions").has("length")).isFalse();
        assertThat(input.path("line_items").get(0).path("quantity").asInt()).isEqualTo(2);
    }

    @Test
    void aLabelWithoutCarrierOrWithoutTrackingTakesTheConnectionsDefaults() {
        // Loop's "N/A" carrier and tracking reach the bridge as none: LoopReturnMapper reads them so (LoopStateWordsTest)
        Map<String, Object> na = ShipHeroClient.createReturnInput(connection, new WarehouseApi.RmaRequest("O1", "l1",
                "r", List.of(), null, new LoopReturn.Label(null, "1Z1", null)));
        Map<String, Object> untracked = ShipHeroClient.createReturnInput(connection, new WarehouseApi.RmaRequest("O1",
                "l1", "r", List.of(), null, new LoopReturn.Label("ups", null, null)));

        assertThat(na).containsEntry("shipping_carrier", "other").containsEntry("tracking_number", "1Z1");
        assertThat(untracked).containsEntry("shipping_carrier", "other").doesNotContainKey("tracking_number");
    }

    @Test
    void outOfCreditsIsThrottlingAndLaterCallsWaitWithoutAsking() {
        kit.shiphero.answer(200, error(30, "There are not enough credits to perform the requested operation",
                ",\"required_credits\":101,\"remaining_credits\":1,\"time_remaining\":\"3 seconds\""));

        VendorException first = catchThrowableOfType(VendorException.class, () -> client.readRma(connection, "R1"));
        VendorException second = catchThrowableOfType(VendorException.class, () -> client.readRma(connection, "R1"));

        assertThat(first.kind()).isEqualTo(VendorException.Kind.THROTTLED);
        assertThat(first.retryAfter()).isEqualTo(Duration.ofSeconds(3));
        assertThat(second.kind()).isEqualTo(VendorException.Kind.THROTTLED);
        assertThat(second.getMessage()).contains("told earlier");
        assertThat(kit.shiphero.requests()).hasSize(1);
    }

    @Test
    void tooManyRequestsIsThrottlingForItsRetryAfter() {
        kit.shiphero.answer(429, error(429, "Too Many Requests", ""), Map.of("Retry-After", "4"));

        VendorException e = catchThrowableOfType(VendorException.class, () -> client.readRma(connection, "R1"));

        assertThat(e.kind()).isEqualTo(VendorException.Kind.THROTTLED);
        assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(4));
    }

    @Test
    void aGraphQlErrorInA200IsPermanentAndNotFoundIsAnEmptyAnswer() {
        kit.shiphero.answer(200, error(5, "Not found", ",\"request_id\":\"req-1\""))
                .answer(200, error(9, "Invalid order id", ",\"request_id\":\"req-2\""));

        assertThat(client.readRma(connection, "missing")).isEmpty();
        VendorException e = catchThrowableOfType(VendorException.class, () -> client.readRma(connection, "bad"));

        assertThat(e.kind()).isEqualTo(VendorException.Kind.PERMANENT);
        assertThat(e.getMessage()).contains("Invalid order id").contains("req-2");
    }

    @Test
    void aServerErrorIsTransientAndForAMutationAnAnsweredUncertainWrite() {
        kit.shiphero.answer(500, "{}").answer(502, "{}");

        VendorException read = catchThrowableOfType(VendorException.class, () -> client.readRma(connection, "R1"));
        VendorException write = catchThrowableOfType(VendorException.class,
                () -> client.setRmaStatus(connection, "R1", "Complete"));

        assertThat(read.kind()).isEqualTo(VendorException.Kind.TRANSIENT);
        assertThat(read.isUncertain()).isFalse();
        assertThat(read.getMessage()).contains("HTTP 500");
        assertThat(write.kind()).isEqualTo(VendorException.Kind.TRANSIENT);
        assertThat(write.isUncertain()).isTrue();
        assertThat(write.isAnswered()).isTrue();
    }

    @Test
    void noAnswerToAMutationIsAnUnansweredUncertainWrite() {
        kit.shiphero.hang();

        VendorException e = catchThrowableOfType(VendorException.class,
                () -> client.setRmaStatus(connection, "R1", "Complete"));

        assertThat(e.isUncertain()).isTrue();
        assertThat(e.isAnswered()).isFalse();
    }

    @Test
    void aRefusedTokenIsRefreshedOnceAndTheCallMadeAgain() {
        Connection refreshing = kit.connection("c-refresh", true);
        kit.shiphero.answer(200, "{\"access_token\":\"old\",\"expires_in\":2419200}")
                .answer(401, "{}")
                .answer(200, "{\"access_token\":\"new\",\"expires_in\":2419200}")
                .answer(200, data("return", "{\"data\":{\"id\":\"R1\",\"legacy_id\":1,\"status\":\"pending\","
                        + "\"total_items_expected\":2,\"total_items_received\":2,\"line_items\":[]}}"));

        var rma = client.readRma(refreshing, "R1");

        assertThat(rma).get().satisfies(r -> assertThat(r.received()).isEqualTo(2));
        assertThat(kit.shiphero.requests()).extracting(r -> r.path())
                .containsExactly("/auth/refresh", "/graphql", "/auth/refresh", "/graphql");
        assertThat(kit.shiphero.last().header("Authorization")).isEqualTo("Bearer new");
        assertThat(kit.vendor.calls("c-refresh")).allMatch(c -> c.requestBody() == null
                || !c.requestBody().contains("refresh-c-refresh"));
    }

    @Test
    void theRefreshIsMappedLikeEveryOtherAnswer() {
        Connection refreshing = kit.connection("c-refresh-429", true);
        kit.shiphero.answer(429, "{}", Map.of("Retry-After", "7"))
                .answer(401, "{\"error\":\"invalid refresh token\"}")
                .answer(503, "busy");

        VendorException throttled = catchThrowableOfType(VendorException.class,
                () -> client.readRma(refreshing, "R1"));
        VendorException refused = catchThrowableOfType(VendorException.class,
                () -> client.readRma(refreshing, "R1"));
        VendorException down = catchThrowableOfType(VendorException.class,
                () -> client.readRma(refreshing, "R1"));

        assertThat(throttled.kind()).isEqualTo(VendorException.Kind.THROTTLED);
        assertThat(throttled.retryAfter()).isEqualTo(Duration.ofSeconds(7));
        assertThat(refused.kind()).isEqualTo(VendorException.Kind.PERMANENT);
        assertThat(refused.getMessage()).contains("refresh token");
        assertThat(down.kind()).isEqualTo(VendorException.Kind.TRANSIENT);
        assertThat(kit.shiphero.requests()).extracting(r -> r.path()).containsOnly("/auth/refresh");
    }
}
