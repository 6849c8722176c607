package com.returnbridge.sla;

import com.returnbridge.support.AlertReceiver;
import com.returnbridge.support.MovableClock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.returnbridge.bridge.LinkState;
import com.returnbridge.bridge.OperatorActions;
import com.returnbridge.bridge.ReturnLink;
import com.returnbridge.bridge.ReturnLinks;
import com.returnbridge.monitor.SlaWatch;
import com.returnbridge.sandbox.SandboxConnection;
import com.returnbridge.sandbox.SandboxDemo;
import com.returnbridge.sandbox.loop.SandboxLoop;
import com.returnbridge.sandbox.shiphero.SandboxShipHero;
import com.returnbridge.support.FastJobs;
import com.returnbridge.support.Http;
import com.returnbridge.support.ReturnbridgeTest;
import com.returnbridge.support.Timing;
import com.returnbridge.vendor.Signatures;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The aging queue and the exceptions list over real HTTP against the simulators, with time driven by the
 * application's clock ({@link MovableClock}): the queue's order by time left, each breach alerted once, and every
 * exception kind with its count, its link and its bulk action. The SLA here counts every hour of every day, one hour
 * long, so the test reads as wall-clock time.
 */
@ReturnbridgeTest
@FastJobs
@Import(SlaQueuesTest.Clocks.class)
@TestPropertySource(properties = {
        "spring.datasource.url=jdbc:h2:mem:sla-queues;DB_CLOSE_DELAY=-1",
        "returnbridge.sla.process-within=PT1H",
        "returnbridge.sla.business-hours=00:00-24:00",
        "returnbridge.sla.business-days=MON-SUN",
        "returnbridge.sla.rma-open-after=PT6H",
        "returnbridge.sla.check-interval=PT1H",
        "returnbridge.jobs.order-lookup-window=PT2S",
        "returnbridge.alerts.poll=PT0.3S",
        "returnbridge.alerts.max-per-hour=1000"})
class SlaQueuesTest {

    @TestConfiguration
    static class Clocks {
        @Bean
        @Primary
        MovableClock movableClock() {
            return new MovableClock();
        }
    }

    /** The alert hook's receiver: every alert the service posts, as text. */
    private static final AlertReceiver RECEIVER = AlertReceiver.start();
    static final java.util.concurrent.ConcurrentLinkedQueue<String> ALERTS = RECEIVER.alerts();

    @DynamicPropertySource
    static void alertHook(DynamicPropertyRegistry registry) {
        registry.add("returnbridge.alerts.webhook-url",
                RECEIVER::url);
    }

    @LocalServerPort
    int port;
    @Autowired
    MovableClock clock;
    @Autowired
    Clock applicationClock;
    @Autowired
    SlaWatch watch;
    @Autowired
    SandboxDemo demo;
    @Autowired
    SandboxLoop loop;
    @Autowired
    SandboxShipHero shiphero;
    @Autowired
    ReturnLinks links;
    @Autowired
    OperatorActions actions;

    @AfterEach
    void backToNow() {
        clock.reset();
        actions.resume(SandboxConnection.ID, "test");
    }

    private Browser admin() {
        return new Browser("http://127.0.0.1:" + port, "admin", ReturnbridgeTest.ADMIN_PASSWORD);
    }

    private long newReturn(String tracking, String... skus) {
        return demo.createReturn(SandboxConnection.ID, java.util.Arrays.stream(skus)
                .map(s -> new SandboxDemo.DemoItem(s, 1)).toList(), tracking).loopReturnId();
    }

    private ReturnLink awaitState(long loopReturnId, LinkState state) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> links
                .findByLoopId(SandboxConnection.ID, String.valueOf(loopReturnId)).map(l -> l.state() == state)
                .orElse(false));
        return links.findByLoopId(SandboxConnection.ID, String.valueOf(loopReturnId)).orElseThrow();
    }

    private void awaitClock(Browser admin, long loopReturnId, String step) {
        await().atMost(Duration.ofSeconds(20)).until(() -> !admin.api("GET", "/api/returns/sandbox/" + loopReturnId)
                .get("clocks").get(step).isNull());
    }

    private static List<JsonNode> items(JsonNode aging, List<Long> ours) {
        return StreamSupport.stream(aging.get("items").spliterator(), false)
                .filter(i -> ours.contains(i.get("loopReturnId").asLong())).toList();
    }

    // ------------------------------------------------------------------ aging queue

    @Test
    void theAgingQueueIsSortedByTimeLeftAndEachBreachIsAlertedOnce() {
        assertThat(applicationClock).isSameAs(clock);
        Browser admin = admin();
        // C: received without a delivery scan, with a status that decides nothing; D: flagged by the warehouse;
        // half an hour later A is delivered, ten minutes more and B is. (Time moves only once the jobs are done: a
        // job is scheduled on the application's clock, and the scheduler runs it on its own.)
        long c = newReturn(null, "TEE-BLK-M");
        long d = newReturn(null, "TEE-BLK-M");
        long a = newReturn("TRACK-A", "TEE-BLK-M");
        long b = newReturn("TRACK-B", "TEE-BLK-M");
        for (long id : List.of(a, b, c, d)) {
            awaitState(id, LinkState.RMA_CREATED);
        }
        demo.receive(c, "RTS", "all");
        awaitClock(admin, c, "received");
        demo.receive(d, "Damaged", "all");
        awaitState(d, LinkState.FLAGGED);
        clock.advance(Duration.ofMinutes(30));
        demo.carrier(a, "delivered");
        awaitClock(admin, a, "delivered");
        clock.advance(Duration.ofMinutes(10));
        demo.carrier(b, "delivered");
        awaitClock(admin, b, "delivered");

        List<Long> ours = List.of(a, b, c, d);
        JsonNode aging = admin.api("GET", "/api/aging?connection=sandbox");
        List<JsonNode> queue = items(aging, ours);
        assertThat(queue).extracting(i -> i.get("loopReturnId").asLong()).containsExactly(c, d, a, b);
        assertThat(queue).extracting(i -> i.get("queue").asString()).containsExactly("RECEIVED_NOT_DECIDED",
                "FLAGGED_NOT_RESOLVED", "DELIVERED_NOT_RECEIVED", "DELIVERED_NOT_RECEIVED");
        assertThat(queue).allMatch(i -> !i.get("breached").asBoolean());
        assertThat(Duration.parse(queue.get(0).get("timeLeft").asString())).isBetween(Duration.ofMinutes(18),
                Duration.ofMinutes(21));
        assertThat(Duration.parse(queue.get(3).get("timeLeft").asString())).isBetween(Duration.ofMinutes(59),
                Duration.ofMinutes(61));
        assertThat(aging.get("slas").get(0).get("processWithin").asString()).isEqualTo("PT1H");

        // 25 minutes later C and D are overdue (due an hour after the warehouse had them), A and B not yet
        clock.advance(Duration.ofMinutes(25));
        queue = items(admin.api("GET", "/api/aging?connection=sandbox"), ours);
        assertThat(queue).extracting(i -> i.get("breached").asBoolean()).containsExactly(true, true, false, false);
        assertThat(queue.get(0).get("timeLeftText").asString()).startsWith("overdue");
        // (other tests' returns share the sandbox connection: only ours are counted)
        assertThat(watch.check()).isGreaterThanOrEqualTo(2);
        assertThat(watch.check()).isZero();
        assertThat(alerted(c, d, a, b)).containsExactly(true, true, false, false);
        await().atMost(Duration.ofSeconds(10)).until(() -> alertsFor(ours).size() >= 2);
        List<String> sent = alertsFor(ours);
        assertThat(sent).hasSize(2);
        assertThat(sent).anyMatch(t -> t.contains("Loop return " + c + " ") && t.contains("SLA breached")
                && t.contains("received and not decided"));
        assertThat(sent).anyMatch(t -> t.contains("Loop return " + d + " ") && t.contains("flagged and not resolved"));

        // an hour later all four are overdue: two new alerts, and none again for C and D
        clock.advance(Duration.ofHours(1));
        assertThat(watch.check()).isGreaterThanOrEqualTo(2);
        assertThat(watch.check()).isZero();
        assertThat(alerted(c, d, a, b)).containsExactly(true, true, true, true);
        await().atMost(Duration.ofSeconds(10)).until(() -> alertsFor(ours).size() >= 4);
        Timing.holdFor(Duration.ofSeconds(1), "no second alert for a breach already sent");
        List<String> all = alertsFor(ours);
        assertThat(all).hasSize(4);
        for (long id : ours) {
            assertThat(all).as("one alert for " + id).filteredOn(t -> t.contains("Loop return " + id + " "))
                    .hasSize(1);
        }

        // the page: the queue in the same order, breaches in red, linked from the console's navigation
        Browser person = admin().logIn();
        String page = person.page("/aging?connection=sandbox").body();
        assertThat(person.page("/").body()).contains("href=\"/aging\"").contains("href=\"/exceptions\"");
        assertThat(page).contains("class=\"breach\"").contains("OVERDUE");
        assertThat(page.indexOf(">" + c + "<")).isLessThan(page.indexOf(">" + d + "<"));
        assertThat(page.indexOf(">" + d + "<")).isLessThan(page.indexOf(">" + a + "<"));
        assertThat(page.indexOf(">" + a + "<")).isLessThan(page.indexOf(">" + b + "<"));
        assertThat(admin.apiAnswer("GET", "/api/aging?connection=nope").status()).isEqualTo(404);
    }

    private List<Boolean> alerted(long... loopReturnIds) {
        List<Boolean> result = new ArrayList<>();
        for (long id : loopReturnIds) {
            long linkId = links.findByLoopId(SandboxConnection.ID, String.valueOf(id)).orElseThrow().id();
            result.add(java.util.Arrays.stream(com.returnbridge.monitor.AgingQueue.Queue.values())
                    .anyMatch(q -> watch.alerted(linkId, q)));
        }
        return result;
    }

    private static List<String> alertsFor(List<Long> loopReturnIds) {
        return ALERTS.stream().filter(t -> t.contains("SLA breached"))
                .filter(t -> loopReturnIds.stream().anyMatch(id -> t.contains("Loop return " + id + " "))).toList();
    }

    // ------------------------------------------------------------------ exceptions

    private JsonNode kind(Browser admin, String name) {
        for (JsonNode k : admin.api("GET", "/api/exceptions?connection=sandbox").get("kinds")) {
            if (k.get("kind").asString().equals(name)) {
                return k;
            }
        }
        throw new AssertionError("no kind " + name);
    }

    private static boolean lists(JsonNode kind, String link) {
        return StreamSupport.stream(kind.get("items").spliterator(), false)
                .anyMatch(i -> i.get("link").asString().equals(link));
    }

    @Test
    void aShortReceiptIsListedAndItsBulkActionReRunsTheDecision() {
        Browser admin = admin();
        long id = newReturn(null, "TEE-BLK-M", "TEE-BLK-M");
        awaitState(id, LinkState.RMA_CREATED);
        demo.receive(id, "Warehouse Complete", "partial");
        ReturnLink link = awaitState(id, LinkState.FLAGGED);

        JsonNode mismatch = kind(admin, "QUANTITY_MISMATCH");
        assertThat(mismatch.get("count").asLong()).isPositive();
        assertThat(mismatch.get("byConnection").get("sandbox").asLong()).isEqualTo(mismatch.get("count").asLong());
        assertThat(mismatch.get("action").asString()).isEqualTo("rerun-decision");
        assertThat(lists(mismatch, "/returns/" + link.id())).as(mismatch.toString()).isTrue();

        JsonNode bulk = admin.api("POST", "/api/exceptions/quantity-mismatch/bulk?connection=sandbox");
        assertThat(bulk.get("acted").asInt()).isPositive();
        await().atMost(Duration.ofSeconds(20)).until(() -> admin.api("GET", "/api/returns/sandbox/" + id)
                .get("timeline").toString().contains("OPERATOR_RERUN"));
        assertThat(admin.logIn().page("/exceptions?connection=sandbox").body())
                .contains("RMAs received in quantities other than expected").contains("/returns/" + link.id());
    }

    @Test
    void anRmaWithASkuTheLoopReturnDoesNotHaveIsListed() {
        Browser admin = admin();
        // someone made the RMA by hand in ShipHero, with one more item, before the bridge got to it
        actions.pause(SandboxConnection.ID, "test");
        SandboxDemo.DemoReturn made = demo.createReturn(SandboxConnection.ID,
                List.of(new SandboxDemo.DemoItem("TEE-BLK-M", 1)), null, false);
        await().atMost(Duration.ofSeconds(20)).until(() -> links.findByLoopId(SandboxConnection.ID,
                String.valueOf(made.loopReturnId())).isPresent());
        var order = shiphero.createOrder(made.providerOrderId(), made.orderName(), "demo-shop.myshopify.com", null,
                Map.of("TEE-BLK-M", 1, "HAT-RED", 1));
        createRmaByHand(order.id(), String.valueOf(made.loopReturnId()), Map.of("TEE-BLK-M", 1, "HAT-RED", 1));
        actions.resume(SandboxConnection.ID, "test");
        ReturnLink link = awaitState(made.loopReturnId(), LinkState.RMA_CREATED);
        shiphero.receive(link.shipheroReturnId(), Map.of("TEE-BLK-M", 1, "HAT-RED", 1), "Warehouse Complete");
        await().atMost(Duration.ofSeconds(20)).until(() -> lists(kind(admin, "UNEXPECTED_SKU"),
                "/returns/" + link.id()));
        JsonNode kind = kind(admin, "UNEXPECTED_SKU");
        assertThat(kind.get("items").toString()).contains("HAT-RED");
        assertThat(kind.get("action").isNull()).isTrue();
        Http.Answer refused = admin.apiAnswer("POST", "/api/exceptions/unexpected-sku/bulk?connection=sandbox");
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.body()).contains("no bulk action");
    }

    private void createRmaByHand(String orderId, String partnerId, Map<String, Integer> lines) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("order_id", orderId);
        data.put("warehouse_id", shiphero.warehouseId());
        data.put("return_reason", "made by hand");
        data.put("label_type", "FREE");
        data.put("label_cost", "0.00");
        data.put("address", Map.of("name", "Ada Lovelace", "address1", "1 Main St", "city", "Springfield",
                "state", "IL", "country", "US", "zip", "62701"));
        data.put("dimensions", Map.of("weight", "16"));
        data.put("shipping_carrier", "usps");
        data.put("shipping_method", "ground");
        data.put("partner_id", partnerId);
        data.put("line_items", lines.entrySet().stream().map(e -> Map.<String, Object>of("sku", e.getKey(),
                "quantity", e.getValue(), "return_reason", "Too small")).toList());
        var answer = shiphero.execute(shiphero.issueAccessToken(), document("CreateReturn"), Map.of("data", data));
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(answer.body()).doesNotContain("\"errors\"");
    }

    private static String document(String name) {
        try (InputStream in = SlaQueuesTest.class.getClassLoader().getResourceAsStream("shiphero/" + name
                + ".graphql")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void aReturnCancelledInLoopWhileItsRmaIsOpenIsListedWithoutABulkAction() {
        Browser admin = admin();
        long id = newReturn(null, "TEE-BLK-M");
        ReturnLink link = awaitState(id, LinkState.RMA_CREATED);
        // the RMA's first status (Pending) applied first: a cancellation racing that job can be overwritten by it
        // (ApplyStatusJob's decided() sets the state it read; reported, not changed here)
        await().atMost(Duration.ofSeconds(20)).until(() -> links.find(link.id()).orElseThrow().lastDecision() != null);
        loop.cancel(id);
        awaitState(id, LinkState.CANCELLED_IN_LOOP);
        JsonNode kind = kind(admin, "CLOSED_IN_LOOP_RMA_OPEN");
        assertThat(lists(kind, "/returns/" + link.id())).as(kind.toString()).isTrue();
        assertThat(kind.get("count").asLong()).isPositive();
        assertThat(admin.apiAnswer("POST", "/api/exceptions/closed-in-loop-rma-open/bulk?connection=sandbox")
                .status()).isEqualTo(400);
    }

    @Test
    void anRmaStillOpenLongAfterLoopAcceptedProcessIsListedAndRetried() {
        Browser admin = admin();
        loop.setProcessingWebhooks(false);
        loop.setProcessingDelay(Duration.ofHours(10));
        long id = newReturn(null, "TEE-BLK-M");
        awaitState(id, LinkState.RMA_CREATED);
        demo.receive(id, "Warehouse Complete", "all");
        ReturnLink link = awaitState(id, LinkState.PROCESSED);
        assertThat(lists(kind(admin, "RMA_OPEN_AFTER_PROCESSED"), "/returns/" + link.id())).isFalse();

        clock.advance(Duration.ofHours(7)); // past rma-open-after (PT6H)
        JsonNode kind = kind(admin, "RMA_OPEN_AFTER_PROCESSED");
        assertThat(lists(kind, "/returns/" + link.id())).as(kind.toString()).isTrue();
        assertThat(kind.get("action").asString()).isEqualTo("retry");
        JsonNode bulk = admin.api("POST", "/api/exceptions/rma-open-after-processed/bulk?connection=sandbox");
        assertThat(bulk.get("acted").asInt()).isPositive();
        await().atMost(Duration.ofSeconds(20)).until(() -> admin.api("GET", "/api/returns/sandbox/" + id)
                .get("timeline").toString().contains("OPERATOR_RETRY"));
    }

    @Test
    void returnUpdatesForRmasThatAreNotOursAreCountedWithTheirDelivery() {
        Browser admin = admin();
        byte[] body = ("{\"test\":\"0\",\"webhook_type\":\"Return Update\",\"return_id\":1,"
                + "\"return_uuid\":\"UmV0dXJuOjk5OQ==\",\"status\":\"Complete\"}").getBytes(StandardCharsets.UTF_8);
        assertThat(Http.post("http://127.0.0.1:" + port + "/webhooks/shiphero/sandbox", body,
                Map.of("x-shiphero-hmac-sha256", Signatures.sign(SandboxConnection.SHIPHERO_WEBHOOK_SECRET, body)))
                .status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(20)).until(() -> kind(admin, "NOT_OURS").get("items").toString()
                .contains("UmV0dXJuOjk5OQ=="));
        JsonNode kind = kind(admin, "NOT_OURS");
        String link = kind.get("items").get(0).get("link").asString();
        assertThat(link).startsWith("/deliveries/");
        assertThat(admin.logIn().page(link).statusCode()).isEqualTo(200);
    }

    @Test
    void unreadableDeliveriesAreListedAndReplayedInBulk() {
        Browser admin = admin();
        byte[] body = "{\"topic\":\"return\",\"trigger\":\"return.created\"".getBytes(StandardCharsets.UTF_8);
        assertThat(Http.post("http://127.0.0.1:" + port + "/webhooks/loop/sandbox", body, Map.of(
                "Content-Type", "application/json",
                "X-Loop-Signature", Signatures.sign(SandboxLoop.DEFAULT_WEBHOOK_SECRET, body))).status())
                .isEqualTo(200);
        JsonNode kind = kind(admin, "UNREADABLE");
        assertThat(kind.get("count").asLong()).isPositive();
        assertThat(kind.get("action").asString()).isEqualTo("replay");
        assertThat(kind.get("items").get(0).get("link").asString()).startsWith("/deliveries/");
        JsonNode bulk = admin.api("POST", "/api/exceptions/unreadable/bulk?connection=sandbox");
        assertThat(bulk.get("acted").asInt()).isEqualTo((int) kind.get("count").asLong());
        assertThat(bulk.get("message").asString()).contains("still unreadable");
    }

    @Test
    void returnsInNeedsAttentionAreCountedByReasonAndRetriedByReason() {
        Browser admin = admin();
        long id = demo.createReturn(SandboxConnection.ID, List.of(new SandboxDemo.DemoItem("TEE-BLK-M", 1)), null,
                false).loopReturnId();
        ReturnLink link = awaitState(id, LinkState.NEEDS_ATTENTION);
        JsonNode kind = kind(admin, "NEEDS_ATTENTION");
        assertThat(lists(kind, "/returns/" + link.id())).as(kind.toString()).isTrue();
        String reason = StreamSupport.stream(kind.get("items").spliterator(), false)
                .filter(i -> i.get("link").asString().equals("/returns/" + link.id())).findFirst().orElseThrow()
                .get("reason").asString();
        assertThat(kind.get("byReason").get(reason).asLong()).isPositive();
        assertThat(reason).doesNotContainPattern("\\d");

        // a reason no return has: nothing is retried
        assertThat(admin.api("POST", "/api/exceptions/needs-attention/bulk?connection=sandbox&reason=nothing%20like%20it")
                .get("matched").asInt()).isZero();
        // the page's button for this reason, pressed by a person
        Browser person = admin().logIn();
        String page = person.page("/exceptions?connection=sandbox").body();
        assertThat(page).contains("Retry these");
        var pressed = person.press("/exceptions?connection=sandbox", "/exceptions/needs-attention/bulk?connection=sandbox&reason="
                + java.net.URLEncoder.encode(reason, StandardCharsets.UTF_8));
        assertThat(pressed.statusCode()).isEqualTo(302);
        await().atMost(Duration.ofSeconds(20)).until(() -> admin.api("GET", "/api/returns/sandbox/" + id)
                .get("timeline").toString().contains("OPERATOR_RETRY"));
        assertThat(admin.apiAnswer("POST", "/api/exceptions/no-such-kind/bulk?connection=sandbox").status())
                .isEqualTo(400);
        assertThat(admin.apiAnswer("POST", "/api/exceptions/needs-attention/bulk").status()).isEqualTo(400);
    }
}
