package com.returnbridge.sandbox.shiphero;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.returnbridge.support.Timing;
import com.returnbridge.sandbox.SandboxWebhookSender;
import com.returnbridge.sandbox.shiphero.SandboxShipHero.Order;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** "Return Update" deliveries, captured by a tiny local HTTP server. */
class SandboxShipHeroWebhookTest {

    private static final String SECRET = "s3cr3t";
    private static final String CHILD = ShipHeroIds.encode("Account", 90210);

    private final ShipHeroFixture f = new ShipHeroFixture(CHILD);
    private final BlockingQueue<Delivery> deliveries = new LinkedBlockingQueue<>();
    private final Map<String, Integer> attemptsTo = new java.util.concurrent.ConcurrentHashMap<>();
    private HttpServer server;
    private String url;

    record Delivery(String path, byte[] body, String signature, String messageId) {
        JsonNode json() {
            return ShipHeroFixture.JSON.readTree(body);
        }
    }

    /** Paths answered 500 (each attempt still recorded), as an endpoint that keeps failing. */
    private final java.util.Set<String> failing = java.util.concurrent.ConcurrentHashMap.newKeySet();

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            if (failing.contains(exchange.getRequestURI().getPath())) {
                attemptsTo.merge(exchange.getRequestURI().getPath(), 1, Integer::sum);
                exchange.sendResponseHeaders(500, -1);
                exchange.close();
                return;
            }
            deliveries.add(new Delivery(exchange.getRequestURI().getPath(), body,
                    exchange.getRequestHeaders().getFirst("x-shiphero-hmac-sha256"),
                    exchange.getRequestHeaders().getFirst("X-Shiphero-Message-ID")));
            byte[] reply = "{\"code\":\"200\",\"Status\":\"Success\"}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, reply.length);
            exchange.getResponseBody().write(reply);
            exchange.close();
        });
        server.start();
        url = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        server.stop(0);
        f.close();
    }

    private Delivery next() throws InterruptedException {
        Delivery delivery = deliveries.poll(5, TimeUnit.SECONDS);
        assertThat(delivery).as("a webhook delivery").isNotNull();
        return delivery;
    }

    @Test
    void returnCreateAndStatusChangesSendSignedReturnUpdates() throws InterruptedException {
        f.shipHero.subscribe(null, "Return Update", url + "/hooks", SECRET);
        Order order = f.shipHero.createOrder("5776005693737", "#1001", "acme.myshopify.com", null,
                Map.of("TEE-BLK-S", 1));

        JsonNode created = f.createReturn(order.id(), "loop-1", Map.of("TEE-BLK-S", 1));
        Delivery pending = next();

        assertThat(pending.path()).isEqualTo("/hooks");
        assertThat(pending.signature()).isEqualTo(SandboxWebhookSender.sign(SECRET, pending.body()));
        assertThat(pending.messageId()).matches("[0-9a-f-]{36}");
        JsonNode payload = pending.json();
        assertThat(payload.propertyNames()).containsExactly("test", "webhook_type", "return_id", "return_uuid",
                "status", "reason", "items", "order_id", "order_uuid", "partner_order_id", "order_number",
                "shop_name", "created_at", "label_type", "label_cost", "picked_up", "tracking_number", "date_used");
        assertThat(payload.get("test").asString()).isEqualTo("0");
        assertThat(payload.get("webhook_type").asString()).isEqualTo("Return Update");
        assertThat(payload.get("return_id").isNumber()).isTrue();
        assertThat(payload.get("return_id").asLong()).isEqualTo(created.get("legacy_id").asLong());
        assertThat(payload.get("return_uuid").asString()).isEqualTo(created.get("id").asString());
        assertThat(payload.get("status").asString()).isEqualTo("Pending");
        assertThat(payload.get("order_id").asLong()).isEqualTo(order.legacyId());
        assertThat(payload.get("order_uuid").asString()).isEqualTo(order.id());
        assertThat(payload.get("partner_order_id").asString()).isEqualTo("5776005693737");
        assertThat(payload.get("order_number").asString()).isEqualTo("#1001");
        assertThat(payload.get("shop_name").asString()).isEqualTo("acme.myshopify.com");
        assertThat(payload.get("created_at").asString()).isEqualTo("2025-03-04 15:22:10");
        assertThat(payload.get("label_type").asString()).isEqualTo("Free");
        assertThat(payload.get("label_cost").asString()).isEqualTo("0.00");
        assertThat(payload.get("picked_up").asBoolean()).isFalse();
        assertThat(payload.get("date_used").isNull()).isTrue();
        JsonNode item = payload.get("items").get(0);
        assertThat(item.propertyNames()).containsExactly("id", "uuid", "quantity", "quantity_received", "sku",
                "item_reason", "restock", "partner_line_item_id", "warehouse_id");
        assertThat(item.get("uuid").asString()).isEqualTo(ShipHeroIds.encode("ReturnItem", item.get("id").asLong()));
        assertThat(item.get("sku").asString()).isEqualTo("TEE-BLK-S");
        assertThat(item.get("item_reason").asString()).isEqualTo("Too small");
        assertThat(item.get("quantity_received").asInt()).isZero();
        assertThat(item.get("warehouse_id").asInt()).isEqualTo(11790);

        f.shipHero.receive(created.get("id").asString(), Map.of("TEE-BLK-S", 1), "Warehouse Complete");
        Delivery received = next();
        assertThat(received.messageId()).isNotEqualTo(pending.messageId());
        assertThat(received.json().get("status").asString()).isEqualTo("Warehouse Complete");
        assertThat(received.json().get("items").get(0).get("quantity_received").asInt()).isEqualTo(1);

        f.ok("UpdateReturnStatus", Map.of("data", Map.of("return_id", created.get("id").asString(),
                "status", "Complete")));
        assertThat(next().json().get("status").asString()).isEqualTo("Complete");
    }

    @Test
    void onlySubscriptionsOfTheReturnsCustomerAccountAreCalled() throws InterruptedException {
        f.shipHero.subscribe(null, "Return Update", url + "/own", SECRET);
        f.shipHero.subscribe(CHILD, "Return Update", url + "/child", "child-secret");
        f.shipHero.subscribe(CHILD, "Shipment Update", url + "/shipments", SECRET);
        Order order = f.shipHero.createOrder("9", "#9", "child.myshopify.com", CHILD, Map.of("TEE", 1));

        String id = f.createReturn(order.id(), "loop-9", Map.of("TEE", 1)).get("id").asString();
        f.shipHero.setStatus(id, "Issue");

        Delivery first = next();
        Delivery second = next();
        assertThat(first.path()).isEqualTo("/child");
        assertThat(second.path()).isEqualTo("/child");
        assertThat(second.signature()).isEqualTo(SandboxWebhookSender.sign("child-secret", second.body()));
        Timing.holdFor(Duration.ofMillis(200), "the webhook must not be delivered a third time");
        assertThat(deliveries).isEmpty();
    }

    /**
     * ShipHero's webhook health (shiphero.md §14.4): failed attempts in a row (retries count) disable the webhook — it
     * stays listed, its retries stop and nothing more is sent — until it is enabled again; a success clears the count.
     */
    @Test
    void aWebhookWhoseDeliveriesKeepFailingIsDisabledAndStaysListed() throws InterruptedException {
        f.shipHero.disableWebhooksAfter(3);
        failing.add("/broken");
        f.shipHero.subscribe(null, "Return Update", url + "/broken", SECRET);
        f.shipHero.subscribe(null, "Return Update", url + "/fine", SECRET);
        Order order = f.shipHero.createOrder("77", "#77", "acme.myshopify.com", null, Map.of("TEE", 1));

        String id = f.createReturn(order.id(), "loop-77", Map.of("TEE", 1)).get("id").asString();
        assertThat(next().path()).isEqualTo("/fine");
        // 3 failed attempts, then no retry (5 would follow otherwise)
        await().atMost(Duration.ofSeconds(5)).until(() -> attemptsTo.getOrDefault("/broken", 0) == 3);
        SandboxShipHero.WebhookState broken = state("/broken");
        assertThat(broken.enabled()).isFalse();
        assertThat(broken.health()).isEqualTo("UNHEALTHY");
        assertThat(state("/fine").enabled()).isTrue();
        assertThat(state("/fine").health()).isEqualTo("HEALTHY");
        // still listed: the schema the client may ask for has no `enabled`, so a list cannot tell it is off
        assertThat(f.ok("ListWebhooks", Map.of()).toString()).contains(url + "/broken");

        f.shipHero.setStatus(id, "Issue");
        assertThat(next().path()).isEqualTo("/fine");
        await().during(Duration.ofMillis(400)).atMost(Duration.ofSeconds(2))
                .until(() -> attemptsTo.getOrDefault("/broken", 0) == 3);

        // fixed, and enabled again in ShipHero: delivered again, healthy
        failing.remove("/broken");
        f.shipHero.enableWebhook(broken.id());
        f.shipHero.setStatus(id, "Warehouse Complete");
        java.util.List<String> paths = java.util.List.of(next().path(), next().path());
        assertThat(paths).containsExactlyInAnyOrder("/fine", "/broken");
        assertThat(state("/broken").health()).isEqualTo("HEALTHY");
    }

    @Test
    void aSuccessClearsTheFailuresAndWithoutALimitNothingIsDisabled() throws InterruptedException {
        failing.add("/flaky");
        f.shipHero.subscribe(null, "Return Update", url + "/flaky", SECRET);
        Order order = f.shipHero.createOrder("78", "#78", "acme.myshopify.com", null, Map.of("TEE", 1));
        f.createReturn(order.id(), "loop-78", Map.of("TEE", 1));
        // the default: no limit, every retry is made
        await().atMost(Duration.ofSeconds(10)).until(() -> attemptsTo.getOrDefault("/flaky", 0) == 6);
        assertThat(state("/flaky").enabled()).isTrue();
        assertThat(state("/flaky").failuresInARow()).isEqualTo(6);

        f.shipHero.disableWebhooksAfter(10);
        failing.remove("/flaky");
        String id = f.shipHero.returns().get(0).id();
        f.shipHero.setStatus(id, "Issue");
        assertThat(next().path()).isEqualTo("/flaky");
        await().atMost(Duration.ofSeconds(2)).until(() -> state("/flaky").failuresInARow() == 0);
        assertThat(state("/flaky").health()).isEqualTo("HEALTHY");
    }

    private SandboxShipHero.WebhookState state(String path) {
        return f.shipHero.webhookStates().stream().filter(w -> w.url().equals(url + path)).findFirst().orElseThrow();
    }
}
