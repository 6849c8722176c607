package com.returnbridge;

import com.returnbridge.support.AlertReceiver;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.returnbridge.bridge.LinkState;
import com.returnbridge.bridge.ReturnLink;
import com.returnbridge.bridge.ReturnLinks;
import com.returnbridge.bridge.Timeline;
import com.returnbridge.connection.StatusPolicy;
import com.returnbridge.vendor.Signatures;
import com.returnbridge.sandbox.SandboxConnection;
import com.returnbridge.sandbox.SandboxDemo;
import com.returnbridge.sandbox.SandboxFaults;
import com.returnbridge.sandbox.SandboxWebhookSender;
import com.returnbridge.sandbox.loop.ActionCall;
import com.returnbridge.sandbox.loop.NewReturn;
import com.returnbridge.sandbox.loop.SandboxLoop;
import com.returnbridge.sandbox.shiphero.SandboxShipHero;
import com.returnbridge.support.FastJobs;
import com.returnbridge.support.Http;
import com.returnbridge.support.ReturnbridgeTest;
import com.returnbridge.support.Timing;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.test.context.TestPropertySource;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The whole product over real HTTP: the service, its database (H2 or PostgreSQL, per subclass) and the simulated
 * Loop and ShipHero, which call the service's webhook endpoints and answer its API calls like the real vendors.
 */
@ReturnbridgeTest
@FastJobs
@TestPropertySource(properties = {
        "returnbridge.jobs.order-lookup-window=PT4S",
        "returnbridge.http.read=PT2S",
        "returnbridge.jobs.uncertain-write-settle=PT3S",
        "returnbridge.jobs.transient-give-up=PT5S",
        "returnbridge.jobs.processing-confirm-after=PT2S"})
abstract class EndToEndTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    /** The alert hook's receiver: every alert the service posts, as text. */
    private static final AlertReceiver ALERT_RECEIVER = AlertReceiver.start();
    static final java.util.concurrent.ConcurrentLinkedQueue<String> ALERTS = ALERT_RECEIVER.alerts();

    @org.springframework.test.context.DynamicPropertySource
    static void alertHook(org.springframework.test.context.DynamicPropertyRegistry registry) {
        registry.add("returnbridge.alerts.webhook-url",
                ALERT_RECEIVER::url);
        registry.add("returnbridge.alerts.poll", () -> "PT0.5S");
        registry.add("returnbridge.alerts.max-per-hour", () -> "1000");
    }

    /** The flows that run again for every variant of Loop's action success body (tests run once per variant). */
    static final String EVERY_SUCCESS_BODY = "every-success-body";

    @LocalServerPort
    int port;
    @Autowired
    SandboxDemo demo;
    @Autowired
    SandboxLoop loop;
    @Autowired
    SandboxShipHero shiphero;
    @Autowired
    SandboxConnection sandbox;
    @Autowired
    ReturnLinks links;
    @Autowired
    Timeline timeline;
    @Autowired
    @Qualifier("sandboxLoopWebhooks")
    SandboxWebhookSender loopWebhooks;
    @Autowired
    @Qualifier("sandboxShipHeroWebhooks")
    SandboxWebhookSender shipheroWebhooks;

    /** Loop's action success body this run plays: the JSON string "true" here; a subclass plays the boolean. */
    SandboxLoop.SuccessBody successBody() {
        return SandboxLoop.SuccessBody.STRING;
    }

    /** The boolean variant runs the core flows only (tag {@value #EVERY_SUCCESS_BODY}; see pom.xml, surefire). */
    @BeforeEach
    void loopVariant() {
        loop.setSuccessBody(successBody());
    }

    // ------------------------------------------------------------------ helpers

    SandboxDemo.DemoReturn newReturn(String... skus) {
        return demo.createReturn(SandboxConnection.ID,
                Arrays.stream(skus).map(s -> new SandboxDemo.DemoItem(s, 1)).toList(), null);
    }

    /** A return made in the sandbox connection's own Loop shop. */
    com.returnbridge.sandbox.loop.LoopReturnView loopReturn(NewReturn.Builder spec) {
        return loop.createReturn(spec.build(), SandboxLoop.SANDBOX_API_KEY);
    }

    ReturnLink awaitState(String connectionId, long loopReturnId, LinkState state) {
        await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).until(() -> links
                .findByLoopId(connectionId, String.valueOf(loopReturnId)).map(l -> l.state() == state).orElse(false));
        return link(connectionId, loopReturnId);
    }

    ReturnLink awaitState(long loopReturnId, LinkState state) {
        return awaitState(SandboxConnection.ID, loopReturnId, state);
    }

    ReturnLink link(String connectionId, long loopReturnId) {
        return links.findByLoopId(connectionId, String.valueOf(loopReturnId)).orElseThrow();
    }

    List<String> story(ReturnLink link) {
        return timeline.forLink(link.id()).stream().map(e -> e.kind() + ": " + e.message()).toList();
    }

    /** Loop actions that took effect, in order: what a merchant would see in Loop's timeline. */
    List<String> loopActions(long loopReturnId) {
        return loop.actions(loopReturnId).stream().filter(ActionCall::performed).map(ActionCall::action).toList();
    }

    /**
     * The contract of Loop's asynchronous Process: the RMA was closed after Loop said the return is closed (its
     * webhook, or Return Details read when none came), never merely because Process was accepted.
     */
    void assertRmaClosedAfterLoopClosedTheReturn(ReturnLink link) {
        List<Timeline.Entry> entries = timeline.forLink(link.id());
        int processed = indexOf(entries, e -> e.kind().equals("LOOP_PROCESSED"));
        int loopClosed = indexOf(entries, e -> (e.kind().equals("LOOP_EVENT") && e.message().contains("(state closed)"))
                || e.kind().equals("LOOP_CLOSED_READ"));
        int rmaClosed = indexOf(entries, e -> e.kind().equals("RMA_CLOSED"));
        assertThat(processed).as(story(link).toString()).isNotNegative();
        assertThat(loopClosed).as(story(link).toString()).isNotNegative();
        assertThat(rmaClosed).as(story(link).toString()).isGreaterThan(loopClosed);
    }

    private static int indexOf(List<Timeline.Entry> entries, java.util.function.Predicate<Timeline.Entry> match) {
        for (int i = 0; i < entries.size(); i++) {
            if (match.test(entries.get(i))) {
                return i;
            }
        }
        return -1;
    }

    int rmaCount(long loopReturnId) {
        return shiphero.returnsByPartnerId(String.valueOf(loopReturnId)).size();
    }

    /**
     * Lets 1.5 s pass before a test asserts that something did NOT happen (no second RMA, no further Loop action):
     * longer than a job's fast retry and the simulators' own delayed writes. Kept as a window rather than an await on
     * "job queue empty and simulators idle": later jobs (processing confirmation, retries) are legitimately scheduled
     * at that point, so no idle condition is equivalent to the window these assertions of absence were written for.
     */
    void settle() {
        Timing.holdFor(Duration.ofMillis(1500), "no further job or simulated-vendor write changes this return");
    }

    String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    // ------------------------------------------------------------------ Loop → ShipHero

    @Test
    void aLoopReturnBecomesOneRmaWithUnitsGroupedBySkuAndTrackingFromTheLabel() {
        var created = demo.createReturn(SandboxConnection.ID, List.of(new SandboxDemo.DemoItem("TEE-BLK-M", 2),
                new SandboxDemo.DemoItem("CAP-RED", 1)), "9400100000000000000001");
        ReturnLink link = awaitState(created.loopReturnId(), LinkState.RMA_CREATED);

        var rma = shiphero.returnById(link.shipheroReturnId()).orElseThrow();
        assertThat(rma.partnerId()).isEqualTo(String.valueOf(created.loopReturnId()));
        assertThat(rma.orderId()).isEqualTo(created.shipheroOrderId());
        assertThat(rma.warehouseId()).isEqualTo(shiphero.warehouseId());
        assertThat(rma.lines()).extracting(SandboxShipHero.ReturnLineView::sku, SandboxShipHero.ReturnLineView::quantity)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("TEE-BLK-M", 2),
                        org.assertj.core.groups.Tuple.tuple("CAP-RED", 1));
        assertThat(rma.address().city()).isEqualTo("Portland");
        assertThat(rma.labelType()).isEqualTo("FREE");
        assertThat(link.shipheroLegacyId()).isEqualTo(rma.legacyId());
        assertThat(story(link)).anyMatch(s -> s.startsWith("RMA_CREATED"));
        // label.created follows return.created: tracking reaches the RMA when it is created after it, and is
        // on the timeline either way.
        await().atMost(WAIT).until(() -> story(link(SandboxConnection.ID, created.loopReturnId())).stream()
                .anyMatch(s -> s.contains("9400100000000000000001")));
    }

    @Test
    void orderIsFoundByOrderNameWhenPartnerOrderIdIsNotTheShopifyId() {
        long n = System.nanoTime() % 1_000_000_000L;
        shiphero.createOrder("not-the-shopify-id-" + n, String.valueOf(n), "shop.myshopify.com", null,
                Map.of("SOCK-1", 2));
        var loopReturn = loopReturn(NewReturn.builder().orderName("#" + n).providerOrderId("77" + n)
                .item("SOCK-1", "Sock", "Too small", 1));
        ReturnLink link = awaitState(loopReturn.id(), LinkState.RMA_CREATED);
        assertThat(story(link)).anyMatch(s -> s.contains("found by order_number " + n));
        assertThat(rmaCount(loopReturn.id())).isEqualTo(1);
    }

    @Test
    void skuMissingFromTheOrderNeedsAttention() {
        long n = System.nanoTime() % 1_000_000_000L;
        shiphero.createOrder(String.valueOf(n), "#" + n, "shop.myshopify.com", null, Map.of("REAL-SKU", 1));
        var loopReturn = loopReturn(NewReturn.builder().orderName("#" + n).providerOrderId(String.valueOf(n))
                .item("TYPO-SKU", "Thing", "Other", 1));
        ReturnLink link = awaitState(loopReturn.id(), LinkState.NEEDS_ATTENTION);
        assertThat(link.attentionReason()).contains("TYPO-SKU").contains("not on ShipHero order");
        assertThat(rmaCount(loopReturn.id())).isZero();
    }

    @Test
    void orderNotFoundIsRetriedThenNeedsAttention() {
        var created = demo.createReturn(SandboxConnection.ID, List.of(new SandboxDemo.DemoItem("TEE", 1)), null, false);
        ReturnLink link = awaitState(created.loopReturnId(), LinkState.NEEDS_ATTENTION);
        assertThat(link.attentionReason()).contains("not found in ShipHero");
        assertThat(story(link)).filteredOn(s -> s.startsWith("ORDER_NOT_FOUND")).hasSizeGreaterThan(1);
    }

    @Test
    void anOrderThatSyncsLateIsFoundOnRetry() {
        long n = System.nanoTime() % 1_000_000_000L;
        var loopReturn = loopReturn(NewReturn.builder().orderName("#" + n).providerOrderId(String.valueOf(n))
                .item("LATE-1", "Late", "Other", 1));
        await().atMost(WAIT).until(() -> links.findByLoopId(SandboxConnection.ID, String.valueOf(loopReturn.id()))
                .map(l -> story(l).stream().anyMatch(s -> s.startsWith("ORDER_NOT_FOUND"))).orElse(false));
        shiphero.createOrder(String.valueOf(n), "#" + n, "shop.myshopify.com", null, Map.of("LATE-1", 1));
        awaitState(loopReturn.id(), LinkState.RMA_CREATED);
        assertThat(rmaCount(loopReturn.id())).isEqualTo(1);
    }

    @Test
    void shipHeroFailingTwiceThenSucceedingMakesOneRma() throws Exception {
        shiphero.faults().inject("return_create", SandboxFaults.Fault.of(SandboxFaults.Kind.SERVER_ERROR), 2);
        var created = newReturn("TEE-RETRY");
        ReturnLink link = awaitState(created.loopReturnId(), LinkState.RMA_CREATED);
        settle();
        assertThat(rmaCount(created.loopReturnId())).isEqualTo(1);
        assertThat(story(link)).filteredOn(s -> s.startsWith("RETRY")).hasSize(2);
    }

    @Test
    void aVendorThatKeepsFailingPastTheGiveUpWindowIsShownToAPerson() {
        shiphero.faults().inject("orders", SandboxFaults.Fault.of(SandboxFaults.Kind.SERVER_ERROR), 10_000);
        var created = newReturn("TEE-OUTAGE");
        ReturnLink link = awaitState(created.loopReturnId(), LinkState.NEEDS_ATTENTION);
        assertThat(link.attentionReason()).contains("still failing after").contains("HTTP 500");
        assertThat(rmaCount(created.loopReturnId())).isZero();
    }

    @Test
    void anRmaCreatedWhoseAnswerWasLostIsAdoptedNotDuplicated() throws Exception {
        shiphero.faults().inject("return_create", SandboxFaults.Fault.of(SandboxFaults.Kind.FAIL_AFTER_EXECUTE), 1);
        var created = newReturn("TEE-LOST");
        ReturnLink link = awaitState(created.loopReturnId(), LinkState.RMA_CREATED);
        settle();
        assertThat(rmaCount(created.loopReturnId())).isEqualTo(1);
        assertThat(link.shipheroReturnId()).isEqualTo(shiphero.returnsByPartnerId(
                String.valueOf(created.loopReturnId())).get(0).id());
    }

    @Test
    void aSlowShipHeroAnswerPastTheTimeoutIsRetriedWithoutASecondRma() throws Exception {
        shiphero.faults().inject("return_create", SandboxFaults.Fault.slow(Duration.ofSeconds(3)), 1);
        var created = newReturn("TEE-SLOW");
        awaitState(created.loopReturnId(), LinkState.RMA_CREATED);
        settle();
        assertThat(rmaCount(created.loopReturnId())).isEqualTo(1);
    }

    @Test
    void throttlingWaitsTheNamedTimeAndSucceeds() {
        shiphero.faults().inject("return_create", SandboxFaults.Fault.throttled(Duration.ofSeconds(1)), 1);
        shiphero.faults().inject("orders", SandboxFaults.Fault.of(SandboxFaults.Kind.TOO_MANY_REQUESTS), 1);
        var created = newReturn("TEE-THROTTLE");
        ReturnLink link = awaitState(created.loopReturnId(), LinkState.RMA_CREATED);
        assertThat(story(link)).filteredOn(s -> s.startsWith("THROTTLED")).hasSize(2);
        assertThat(story(link)).noneMatch(s -> s.startsWith("NEEDS_ATTENTION"));
        assertThat(rmaCount(created.loopReturnId())).isEqualTo(1);
    }

    @Test
    void anExpiredAccessTokenIsRefreshedOnce() {
        var first = newReturn("TEE-TOKEN-1");
        awaitState(first.loopReturnId(), LinkState.RMA_CREATED);
        shiphero.expireAccessTokens();
        var second = newReturn("TEE-TOKEN-2");
        awaitState(second.loopReturnId(), LinkState.RMA_CREATED);
    }

    @Test
    void cancelledBeforeTheRmaMeansNoRmaEver() throws Exception {
        long n = System.nanoTime() % 1_000_000_000L;
        var loopReturn = loopReturn(NewReturn.builder().orderName("#" + n).providerOrderId(String.valueOf(n))
                .item("CANCEL-1", "Cancel", "Other", 1));
        await().atMost(WAIT).until(() -> links.findByLoopId(SandboxConnection.ID, String.valueOf(loopReturn.id()))
                .isPresent());
        loop.cancel(loopReturn.id());
        ReturnLink link = awaitState(loopReturn.id(), LinkState.CANCELLED_IN_LOOP);
        shiphero.createOrder(String.valueOf(n), "#" + n, "shop.myshopify.com", null, Map.of("CANCEL-1", 1));
        Timing.holdFor(Duration.ofMillis(2500), "the order appearing must not bring an RMA for a cancelled return");
        assertThat(rmaCount(loopReturn.id())).isZero();
        assertThat(link(SandboxConnection.ID, loopReturn.id()).state()).isEqualTo(LinkState.CANCELLED_IN_LOOP);
        assertThat(story(link)).anyMatch(s -> s.contains("no RMA will be created"));
    }

    @Test
    void aThreePlConnectionCreatesTheRmaOnTheCustomerAccount() {
        String account = "Q3VzdG9tZXJBY2NvdW50OjQ0NDQ=";
        sandbox.register("threepl", account, StatusPolicy.defaults());
        var created = demo.createReturn("threepl", List.of(new SandboxDemo.DemoItem("TEE-3PL", 1)), null);
        ReturnLink link = awaitState("threepl", created.loopReturnId(), LinkState.RMA_CREATED);
        assertThat(shiphero.returnById(link.shipheroReturnId()).orElseThrow().customerAccountId()).isEqualTo(account);
        demo.receive(created.loopReturnId(), "Warehouse Complete", "all");
        awaitState("threepl", created.loopReturnId(), LinkState.CLOSED);
        // Another merchant's return is not heard by the sandbox connection, which is a different Loop shop.
        assertThat(links.findByLoopId(SandboxConnection.ID, String.valueOf(created.loopReturnId()))).isEmpty();
    }

    // ------------------------------------------------------------------ the right order: several stores, one #1001

    /** Orders #n in two (or three) stores of the account, as a 3PL's or a multi-store account's ShipHero holds them. */
    SandboxShipHero.Order storeOrder(long n, String shop, String sku, String email, String first, String last) {
        return shiphero.createOrder("other-" + shop + "-" + n, "#" + n, shop, null, Map.of(sku, 1),
                new SandboxShipHero.Customer(email, first, last));
    }

    /** The Loop return of order #n: its Shopify id is not ShipHero's partner_order_id, so the number must decide. */
    NewReturn.Builder returnOfOrder(long n, String sku) {
        return NewReturn.builder().orderName("#" + n).providerOrderId("88" + n).customer("ana.ruiz@example.com", "Ana",
                "Ruiz").item(sku, "Thing", "Too small", 1);
    }

    Http.Answer api(String method, String path, String body) {
        return Http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url(path)))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Basic " + java.util.Base64.getEncoder()
                        .encodeToString("admin:test-admin-password".getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/json")
                .method(method, body == null ? java.net.http.HttpRequest.BodyPublishers.noBody()
                        : java.net.http.HttpRequest.BodyPublishers.ofString(body)).build());
    }

    @Test
    void withTheShopNameSetTheOrderOfThatStoreIsTakenAmongStoresSharingTheNumber() {
        long n = System.nanoTime() % 1_000_000_000L;
        sandbox.register("shops", null, StatusPolicy.defaults());
        Http.Answer set = api("PUT", "/api/connections/shops", "{\"shipheroShopName\":\"store-b.myshopify.com\"}");
        assertThat(set.status()).as(set.body()).isEqualTo(200);
        assertThat(set.body()).contains("\"shipheroShopName\":\"store-b.myshopify.com\"");
        // Same SKU, same customer: only the store tells them apart.
        storeOrder(n, "store-a.myshopify.com", "MUG-1", "ana.ruiz@example.com", "Ana", "Ruiz");
        var b = storeOrder(n, "store-b.myshopify.com", "MUG-1", "ana.ruiz@example.com", "Ana", "Ruiz");

        var loopReturn = loop.createReturn(returnOfOrder(n, "MUG-1").build(), sandbox.shopKey("shops"));
        ReturnLink link = awaitState("shops", loopReturn.id(), LinkState.RMA_CREATED);

        assertThat(shiphero.returnsByPartnerId(String.valueOf(loopReturn.id()))).singleElement()
                .satisfies(rma -> assertThat(rma.orderId()).isEqualTo(b.id()));
        assertThat(story(link)).anyMatch(s -> s.contains("in shop store-b.myshopify.com"));
    }

    @Test
    void withoutAShopNameTheSkusAndTheCustomerPickTheOrder() {
        long n = System.nanoTime() % 1_000_000_000L;
        storeOrder(n, "store-a.myshopify.com", "LAMP-1", "someone.else@example.com", "Bo", "Lind");
        var b = storeOrder(n, "store-b.myshopify.com", "LAMP-1", "ANA.RUIZ@example.com", "Ana", "Ruiz");
        long m = n + 1;
        var c = storeOrder(m, "store-c.myshopify.com", "SOFA-9", "ana.ruiz@example.com", "Ana", "Ruiz");
        storeOrder(m, "store-d.myshopify.com", "DESK-2", "ana.ruiz@example.com", "Ana", "Ruiz");

        var byCustomer = loopReturn(returnOfOrder(n, "LAMP-1"));
        var bySku = loopReturn(returnOfOrder(m, "SOFA-9"));
        ReturnLink first = awaitState(byCustomer.id(), LinkState.RMA_CREATED);
        ReturnLink second = awaitState(bySku.id(), LinkState.RMA_CREATED);

        assertThat(shiphero.returnsByPartnerId(String.valueOf(byCustomer.id()))).singleElement()
                .satisfies(rma -> assertThat(rma.orderId()).isEqualTo(b.id()));
        assertThat(story(first)).anyMatch(s -> s.startsWith("ORDER_FOUND") && s.contains("the only one of 2 orders")
                && s.contains("SKUs and customer match"));
        assertThat(shiphero.returnsByPartnerId(String.valueOf(bySku.id()))).singleElement()
                .satisfies(rma -> assertThat(rma.orderId()).isEqualTo(c.id()));
        assertThat(story(second)).anyMatch(s -> s.startsWith("ORDER_FOUND") && s.contains("the only one of 2 orders")
                && s.contains("whose SKUs"));
    }

    @Test
    void moreOrdersWithTheNumberThanAreReadAreNeverGuessedBetween() {
        long n = System.nanoTime() % 1_000_000_000L;
        storeOrder(n, "store-a.myshopify.com", "BOWL-1", "someone.else@example.com", "Bo", "Lind");
        storeOrder(n, "store-b.myshopify.com", "BOWL-1", "ana.ruiz@example.com", "Ana", "Ruiz");
        storeOrder(n, "store-c.myshopify.com", "BOWL-1", "ana.ruiz@example.com", "Ana", "Ruiz");

        var loopReturn = loopReturn(returnOfOrder(n, "BOWL-1"));
        ReturnLink link = awaitState(loopReturn.id(), LinkState.NEEDS_ATTENTION);
        assertThat(link.attentionReason()).contains("more than 2 ShipHero orders could be #" + n)
                .contains("set the connection's ShipHero shop name");
        assertThat(rmaCount(loopReturn.id())).isZero();
    }

    @Test
    void ordersNothingTellsApartGoToAPersonWhoPicksOneAndGetsOneRmaOnIt() throws Exception {
        long n = System.nanoTime() % 1_000_000_000L;
        var a = storeOrder(n, "store-a.myshopify.com", "VASE-1", "ana.ruiz@example.com", "Ana", "Ruiz");
        var b = storeOrder(n, "store-b.myshopify.com", "VASE-1", "ana.ruiz@example.com", "Ana", "Ruiz");

        var loopReturn = loopReturn(returnOfOrder(n, "VASE-1"));
        ReturnLink waiting = awaitState(loopReturn.id(), LinkState.NEEDS_ATTENTION);
        assertThat(waiting.attentionReason()).contains("2 ShipHero orders could be #" + n)
                .contains(a.id() + " (#" + n + ", shop store-a.myshopify.com)")
                .contains(b.id() + " (#" + n + ", shop store-b.myshopify.com)");
        assertThat(rmaCount(loopReturn.id())).isZero();

        String path = "/api/returns/" + SandboxConnection.ID + "/" + loopReturn.id() + "/order";
        Http.Answer stranger = api("POST", path, "{\"orderId\":\"T3JkZXI6OTk5OTk5\"}");
        assertThat(stranger.status()).as(stranger.body()).isEqualTo(400);
        assertThat(stranger.body()).contains("not one of the candidates");
        assertThat(api("POST", path, "{}").status()).isEqualTo(400);

        Http.Answer picked = api("POST", path, "{\"orderId\":\"" + b.id() + "\"}");
        assertThat(picked.status()).as(picked.body()).isEqualTo(200);
        ReturnLink link = awaitState(loopReturn.id(), LinkState.RMA_CREATED);

        assertThat(shiphero.returnsByPartnerId(String.valueOf(loopReturn.id()))).singleElement()
                .satisfies(rma -> assertThat(rma.orderId()).isEqualTo(b.id()));
        assertThat(story(link)).anyMatch(s -> s.startsWith("ORDER_CHOSEN") && s.contains(b.id())
                && s.contains("chosen by admin"));
        assertThat(story(link)).anyMatch(s -> s.startsWith("ORDER_FOUND") && s.contains("chosen by the operator"));
        // Once the RMA exists the pick is over: a second pick is refused, and no second RMA appears.
        assertThat(api("POST", path, "{\"orderId\":\"" + a.id() + "\"}").status()).isEqualTo(409);
        settle();
        assertThat(rmaCount(loopReturn.id())).isEqualTo(1);
    }

    // ------------------------------------------------------------------ ShipHero → Loop: the status table

    @ParameterizedTest(name = "{0} with {1} received → {2}")
    @CsvSource({
            "Warehouse Complete, all, process",
            "Complete, all, process",
            "warehouse_complete, all, process",
            "WAREHOUSE-COMPLETE, all, process",
            "' warehouse complete ', all, process",
            "Warehouse Complete, partial, flag",
            "Complete, none, flag",
            "Issue, all, flag",
            "Damaged, partial, flag",
            "damaged, all, flag",
            "Pending, none, ignore",
            "RTS, all, ignore",
            "rts, none, ignore",
            "Missing Inventory, all, ignore"})
    void everyStatusOfTheTableLeadsToItsAction(String status, String received, String expected) throws Exception {
        var created = newReturn("TBL-" + expected.toUpperCase());
        awaitState(created.loopReturnId(), LinkState.RMA_CREATED);
        demo.receive(created.loopReturnId(), status, received);
        long id = created.loopReturnId();
        switch (expected) {
            case "process" -> {
                ReturnLink link = awaitState(id, LinkState.CLOSED);
                assertRmaClosedAfterLoopClosedTheReturn(link);
                assertThat(loopActions(id)).containsExactly("process");
                var rma = shiphero.returnById(link.shipheroReturnId()).orElseThrow();
                assertThat(rma.status()).isEqualTo("Complete");
                String processBody = loop.actions(id).get(0).body();
                assertThat(processBody).contains(link.shipheroReturnId());
                assertThat(story(link)).anyMatch(s -> s.startsWith("DECISION") && s.contains("process"));
            }
            case "flag" -> {
                ReturnLink link = awaitState(id, LinkState.FLAGGED);
                settle();
                assertThat(loopActions(id)).containsExactly("flag", "note");
                String note = loop.notes(id).get(0);
                assertThat(note).contains(String.valueOf(link.shipheroLegacyId())).contains(status.trim())
                        .contains("items received");
                assertThat(shiphero.returnById(link.shipheroReturnId()).orElseThrow().statusHistory()).isEmpty();
            }
            default -> {
                await().atMost(WAIT).until(() -> story(link(SandboxConnection.ID, id)).stream()
                        .anyMatch(s -> s.startsWith("DECISION") && s.contains(status.trim())));
                settle();
                assertThat(link(SandboxConnection.ID, id).state()).isEqualTo(LinkState.RMA_CREATED);
                assertThat(loopActions(id)).isEmpty();
                if (status.equals("Missing Inventory")) {
                    assertThat(story(link(SandboxConnection.ID, id))).anyMatch(s -> s.startsWith("UNMAPPED_STATUS"));
                }
            }
        }
    }

    @Test
    @Tag(EVERY_SUCCESS_BODY)
    void aFlaggedReturnIsProcessedWhenTheWarehouseCompletesItLater() {
        var created = newReturn("TEE-LATER");
        awaitState(created.loopReturnId(), LinkState.RMA_CREATED);
        demo.receive(created.loopReturnId(), "Warehouse Complete", "none");
        awaitState(created.loopReturnId(), LinkState.FLAGGED);
        demo.receive(created.loopReturnId(), "Warehouse Complete", "all");
        awaitState(created.loopReturnId(), LinkState.CLOSED);
        assertThat(loopActions(created.loopReturnId())).containsExactly("flag", "note", "process");
    }

    @Test
    void loopAlreadyClosedCountsAsDone() {
        var created = newReturn("TEE-CLOSED");
        awaitState(created.loopReturnId(), LinkState.RMA_CREATED);
        loop.closeInAdmin(created.loopReturnId());
        demo.receive(created.loopReturnId(), "Complete", "all");
        ReturnLink link = awaitState(created.loopReturnId(), LinkState.CLOSED);
        assertThat(story(link)).anyMatch(s -> s.startsWith("LOOP_ALREADY_CLOSED"));
        assertThat(loop.actions(created.loopReturnId())).extracting(ActionCall::action).containsExactly("process");
    }

    @Test
    void anotherLoopRefusalNeedsAttentionWithLoopsMessage() {
        var created = newReturn("TEE-REFUSED");
        awaitState(created.loopReturnId(), LinkState.RMA_CREATED);
        loop.faults().inject("process", SandboxFaults.Fault.refuse("Return is cancelled and therefore cannot be processed."), 1);
        demo.receive(created.loopReturnId(), "Complete", "all");
        ReturnLink link = awaitState(created.loopReturnId(), LinkState.NEEDS_ATTENTION);
        assertThat(link.attentionReason()).contains("Loop refused Process").contains("cancelled");
    }

    @Test
    @Tag(EVERY_SUCCESS_BODY)
    void loopFailingThenSucceedingProcessesOnce() throws Exception {
        var created = newReturn("TEE-LOOP-5XX");
        awaitState(created.loopReturnId(), LinkState.RMA_CREATED);
        loop.faults().inject("process", SandboxFaults.Fault.of(SandboxFaults.Kind.SERVER_ERROR), 2);
        demo.receive(created.loopReturnId(), "Complete", "all");
        awaitState(created.loopReturnId(), LinkState.CLOSED);
        settle();
        assertThat(loopActions(created.loopReturnId())).containsExactly("process");
    }

    // ------------------------------------------------------------------ Loop processes asynchronously

    @Test
    @Tag(EVERY_SUCCESS_BODY)
    void afterProcessTheReturnWaitsForLoopsClosedWebhookBeforeTheRmaIsClosed() {
        loop.setProcessingDelay(Duration.ofMillis(1500)); // under processing-confirm-after: the webhook comes first
        var created = newReturn("TEE-ASYNC");
        awaitState(created.loopReturnId(), LinkState.RMA_CREATED);
        demo.receive(created.loopReturnId(), "Warehouse Complete", "all");

        ReturnLink waiting = awaitState(created.loopReturnId(), LinkState.PROCESSED);
        assertThat(loop.returnById(created.loopReturnId()).orElseThrow().state()).isEqualTo("open");
        assertThat(shiphero.returnById(waiting.shipheroReturnId()).orElseThrow().statusHistory())
                .as("the RMA stays open while Loop processes").isEmpty();

        ReturnLink link = awaitState(created.loopReturnId(), LinkState.CLOSED);
        assertRmaClosedAfterLoopClosedTheReturn(link);
        assertThat(story(link)).noneMatch(s -> s.startsWith("LOOP_CLOSED_READ"));
        assertThat(shiphero.returnById(link.shipheroReturnId()).orElseThrow().statusHistory()).containsExactly("Complete");
        assertThat(loopActions(created.loopReturnId())).containsExactly("process");
    }

    @Test
    void withoutLoopsWebhookReturnDetailsAreReadAfterProcessingConfirmAfterAndTheRmaIsClosed() {
        loop.setProcessingWebhooks(false); // Loop closes the return, but its webhooks never arrive
        var created = newReturn("TEE-SILENT");
        awaitState(created.loopReturnId(), LinkState.RMA_CREATED);
        demo.receive(created.loopReturnId(), "Warehouse Complete", "all");

        ReturnLink link = awaitState(created.loopReturnId(), LinkState.CLOSED);
        assertThat(story(link)).anyMatch(s -> s.startsWith("LOOP_CLOSED_READ") && s.contains("no webhook from Loop"));
        assertThat(story(link)).noneMatch(s -> s.startsWith("LOOP_EVENT") && s.contains("(state closed)"));
        assertRmaClosedAfterLoopClosedTheReturn(link);
        assertThat(shiphero.returnById(link.shipheroReturnId()).orElseThrow().statusHistory()).containsExactly("Complete");
        assertThat(loopActions(created.loopReturnId())).containsExactly("process");
    }

    @Autowired
    com.returnbridge.bridge.BridgeJobs jobs;

    @Test
    void theSweepReadsAProcessedReturnThatWaitedPastProcessingConfirmAfterAndClosesIt() {
        loop.setProcessingWebhooks(false);
        var created = newReturn("TEE-SWEPT");
        awaitState(created.loopReturnId(), LinkState.RMA_CREATED);
        demo.receive(created.loopReturnId(), "Warehouse Complete", "all");
        ReturnLink waiting = awaitState(created.loopReturnId(), LinkState.PROCESSED);
        // As after a crash right after Process, or for a link from before this job existed: no re-read is queued,
        // and the link has waited longer than processing-confirm-after.
        jobs.cancelConfirmProcessing(waiting.id());
        jdbc.sql("UPDATE return_link SET processed_at = ? WHERE id = ?")
                .params(java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC).minusHours(1), waiting.id()).update();
        await().atMost(WAIT).until(() -> loop.returnById(created.loopReturnId()).orElseThrow().state().equals("closed"));
        assertThat(link(SandboxConnection.ID, created.loopReturnId()).state()).isEqualTo(LinkState.PROCESSED);

        var sweep = Http.post(url("/api/connections/" + SandboxConnection.ID + "/reconcile"), new byte[0],
                Map.of("Authorization", adminAuthorization()));
        assertThat(sweep.status()).as(sweep.body()).isEqualTo(200);

        ReturnLink link = awaitState(created.loopReturnId(), LinkState.CLOSED);
        assertRmaClosedAfterLoopClosedTheReturn(link);
        assertThat(shiphero.returnById(link.shipheroReturnId()).orElseThrow().statusHistory()).containsExactly("Complete");
    }

    static String adminAuthorization() {
        return "Basic " + java.util.Base64.getEncoder().encodeToString(
                "admin:test-admin-password".getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest(name = "Loop''s message {0}")
    @CsvSource(value = {
            "'Refund failed: the payment gateway declined', 'Loop could not process the return: Refund failed: the "
                    + "payment gateway declined'",
            "'', 'Loop could not process the return'"}, emptyValue = "NULL")
    @Tag(EVERY_SUCCESS_BODY)
    void aFailedProcessingNeedsAttentionKeepsTheRmaOpenAndRetryNowProcessesAgain(String message, String reason) {
        String loopMessage = "NULL".equals(message) ? null : message;
        var created = newReturn("TEE-PROC-FAIL");
        awaitState(created.loopReturnId(), LinkState.RMA_CREATED);
        loop.faults().inject("process", SandboxFaults.Fault.processingFailed(loopMessage), 1);
        demo.receive(created.loopReturnId(), "Warehouse Complete", "all");

        ReturnLink stuck = awaitState(created.loopReturnId(), LinkState.NEEDS_ATTENTION);
        assertThat(stuck.attentionReason()).isEqualTo(reason);
        assertThat(story(stuck)).anyMatch(s -> s.equals("NEEDS_ATTENTION: " + reason));
        await().atMost(WAIT).until(() -> ALERTS.stream().anyMatch(a -> a.contains("Loop return "
                + created.loopReturnId() + " needs attention: " + reason)));
        assertThat(story(stuck)).anyMatch(s -> s.startsWith("LOOP_PROCESSING_FAILED"));
        assertThat(shiphero.returnById(stuck.shipheroReturnId()).orElseThrow().statusHistory())
                .as("the RMA stays open").isEmpty();
        assertThat(loop.returnById(created.loopReturnId()).orElseThrow().state()).isEqualTo("open");

        var retry = Http.post(url("/api/returns/" + SandboxConnection.ID + "/" + created.loopReturnId() + "/retry"),
                new byte[0], Map.of("Authorization", adminAuthorization()));
        assertThat(retry.status()).as(retry.body()).isEqualTo(200);

        ReturnLink link = awaitState(created.loopReturnId(), LinkState.CLOSED);
        assertThat(loopActions(created.loopReturnId())).as("Retry now asks Process again").containsExactly("process",
                "process");
        assertRmaClosedAfterLoopClosedTheReturn(link);
        assertThat(shiphero.returnById(link.shipheroReturnId()).orElseThrow().statusHistory()).containsExactly("Complete");
    }

    @Test
    void everyWebhookDeliveredThreeTimesConcurrentlyStillMakesOneRmaAndOneLoopAction() throws Exception {
        loopWebhooks.deliveryFaults(0, 3, 3);
        shipheroWebhooks.deliveryFaults(0, 3, 3);
        List<SandboxDemo.DemoReturn> created = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            created.add(newReturn("DUP-" + i));
        }
        for (var c : created) {
            awaitState(c.loopReturnId(), LinkState.RMA_CREATED);
        }
        for (var c : created) {
            demo.receive(c.loopReturnId(), "Warehouse Complete", "all");
        }
        for (var c : created) {
            awaitState(c.loopReturnId(), LinkState.CLOSED);
        }
        settle();
        for (var c : created) {
            assertThat(rmaCount(c.loopReturnId())).isEqualTo(1);
            assertThat(loopActions(c.loopReturnId())).containsExactly("process");
            assertThat(shiphero.returnsByPartnerId(String.valueOf(c.loopReturnId())).get(0).statusHistory())
                    .containsExactly("Complete");
        }
    }

    @Test
    void theSameSignedDeliveryPostedThreeTimesAtOnceIsStoredOnce() throws Exception {
        var created = newReturn("TEE-REPLAY");
        ReturnLink link = awaitState(created.loopReturnId(), LinkState.RMA_CREATED);
        byte[] body = ("{\"test\":\"0\",\"webhook_type\":\"Return Update\",\"return_id\":" + link.shipheroLegacyId()
                + ",\"return_uuid\":\"" + link.shipheroReturnId() + "\",\"status\":\"Warehouse Complete\"}")
                .getBytes(StandardCharsets.UTF_8);
        shiphero.receive(link.shipheroReturnId(), Map.of("TEE-REPLAY", 1), "Warehouse Complete");
        Map<String, String> headers = Map.of("x-shiphero-hmac-sha256",
                Signatures.sign(SandboxConnection.SHIPHERO_WEBHOOK_SECRET, body), "Content-Type", "application/json");
        List<CompletableFuture<Http.Answer>> posts = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            posts.add(CompletableFuture.supplyAsync(() -> Http.post(url("/webhooks/shiphero/sandbox"), body, headers)));
        }
        for (var p : posts) {
            assertThat(p.get().status()).isEqualTo(200);
            assertThat(p.get().body()).isEqualTo("{\"code\":\"200\",\"Status\":\"Success\"}");
        }
        awaitState(created.loopReturnId(), LinkState.CLOSED);
        settle();
        assertThat(loopActions(created.loopReturnId())).containsExactly("process");
    }

    @Test
    void aReturnUpdateForAnRmaThatIsNotOursIsIgnored() throws Exception {
        byte[] body = ("{\"test\":\"0\",\"webhook_type\":\"Return Update\",\"return_id\":1,"
                + "\"return_uuid\":\"UmV0dXJuOjE=\",\"status\":\"Complete\"}").getBytes(StandardCharsets.UTF_8);
        var answer = Http.post(url("/webhooks/shiphero/sandbox"), body, Map.of("x-shiphero-hmac-sha256",
                Signatures.sign(SandboxConnection.SHIPHERO_WEBHOOK_SECRET, body)));
        assertThat(answer.status()).isEqualTo(200);
        settle();
        assertThat(loop.allActions()).noneMatch(a -> a.returnId() == 1);
        assertThat(jdbc.sql("SELECT outcome FROM delivery WHERE subject_id = 'UmV0dXJuOjE='").query(String.class).list())
                .containsOnly("IGNORED_NOT_OURS");
    }

    // ------------------------------------------------------------------ bad input: refused, nothing stored

    @Autowired
    org.springframework.jdbc.core.simple.JdbcClient jdbc;

    long storedDeliveries() {
        return jdbc.sql("SELECT COUNT(*) FROM delivery").query(Long.class).single();
    }

    Http.Answer postLoop(String connection, byte[] body, String signature) {
        Map<String, String> headers = signature == null ? Map.of("Content-Type", "application/json")
                : Map.of("Content-Type", "application/json", "X-Loop-Signature", signature);
        return Http.post(url("/webhooks/loop/" + connection), body, headers);
    }

    @Test
    void deliveriesThatCannotBeTrustedAreRefusedWithAReasonAndNothingIsStored() {
        long before = storedDeliveries();
        byte[] good = "{\"topic\":\"return\",\"trigger\":\"return.created\",\"id\":\"1\",\"state\":\"open\"}"
                .getBytes(StandardCharsets.UTF_8);
        String secret = SandboxConnection.LOOP_WEBHOOK_SECRET;

        var badSignature = postLoop("sandbox", good, Signatures.sign("wrong-secret", good));
        assertThat(badSignature.status()).isEqualTo(401);
        assertThat(badSignature.body()).contains("does not match");
        assertThat(postLoop("sandbox", good, null).status()).isEqualTo(401);
        // garbage without a valid signature is still refused, whatever it is
        byte[] notJson = "this is not json".getBytes(StandardCharsets.UTF_8);
        assertThat(postLoop("sandbox", notJson, Signatures.sign("wrong-secret", notJson)).status()).isEqualTo(401);
        assertThat(postLoop("sandbox", new byte[0], null).status()).isEqualTo(401);

        var unknown = postLoop("no-such-merchant", good, Signatures.sign(secret, good));
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.body()).contains("unknown connection");

        byte[] huge = new byte[1024 * 1024 + 1];
        Arrays.fill(huge, (byte) ' ');
        var tooLarge = postLoop("sandbox", huge, Signatures.sign(secret, huge));
        assertThat(tooLarge.status()).isEqualTo(413);

        byte[] shipheroBody = "{\"webhook_type\":\"Return Update\",\"status\":\"Complete\"}".getBytes(StandardCharsets.UTF_8);
        var shipheroBadSignature = Http.post(url("/webhooks/shiphero/sandbox"), shipheroBody,
                Map.of("x-shiphero-hmac-sha256", "AAAA"));
        assertThat(shipheroBadSignature.status()).isEqualTo(401);

        assertThat(storedDeliveries()).isEqualTo(before);
    }

    // ------------------------------------------------------------------ signed but unreadable: stored, 2xx, replayable

    @Autowired
    io.micrometer.core.instrument.MeterRegistry meters;

    double unreadableMetric(String source) {
        var counter = meters.find("returnbridge.deliveries").tag("source", source).tag("outcome", "unreadable")
                .counter();
        return counter == null ? 0 : counter.count();
    }

    /** The admin API over real HTTP, as a script calls it. */
    Http.Answer api(String method, String path) {
        return Http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url(path)))
                .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(
                        "admin:test-admin-password".getBytes(StandardCharsets.UTF_8)))
                .method(method, java.net.http.HttpRequest.BodyPublishers.noBody()).build());
    }

    tools.jackson.databind.JsonNode apiJson(String method, String path) {
        Http.Answer answer = api(method, path);
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        return tools.jackson.databind.json.JsonMapper.builder().build().readTree(answer.body());
    }

    Map<String, Object> deliveryRow(long id) {
        Map<String, Object> row = new java.util.HashMap<>();
        jdbc.sql("SELECT outcome, unreadable_reason, topic, subject_id, body FROM delivery WHERE id = ?")
                .param(id).query().singleRow().forEach((k, v) -> row.put(k.toUpperCase(), v));
        return row;
    }

    long deliveryId(String dedupeKey) {
        return jdbc.sql("SELECT id FROM delivery WHERE connection_id = 'sandbox' AND dedupe_key = ?").param(dedupeKey)
                .query(Long.class).single();
    }

    /** The key of a signed Loop delivery we could not read: its body's hash. */
    static String unreadableKey(byte[] body) {
        return "unreadable:" + Signatures.sha256Hex(body);
    }

    @Test
    void signedDeliveriesWeCannotReadAreStoredUnreadableAnsweredTwoHundredShownCountedAndAlerted() {
        String secret = SandboxConnection.LOOP_WEBHOOK_SECRET;
        double loopMetric = unreadableMetric("loop");
        double shipheroMetric = unreadableMetric("shiphero");
        Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put("this is not json", "body is not JSON");
        cases.put("{\"topic\":\"return\",\"trigger\":\"return.created\",\"state\":\"open\"}",
                "missing required field 'id'");
        cases.put("{\"topic\":\"return\",\"trigger\":\"return.created\",\"id\":{\"a\":1},\"state\":\"open\"}",
                "field 'id' must be a string or a number");
        cases.put("{\"topic\":\"return\",\"trigger\":\"return.updated\",\"id\":\"77\",\"state\":\"open\","
                + "\"line_items\":{\"sku\":\"TEE\"}}", "line_items must be an array");
        cases.put("", "empty body");
        List<Long> ids = new ArrayList<>();
        long unreadableBefore = apiJson("GET", "/api/connections/sandbox/deliveries/unreadable").path("count")
                .asLong();
        for (var c : cases.entrySet()) {
            byte[] body = c.getKey().getBytes(StandardCharsets.UTF_8);
            var answer = postLoop("sandbox", body, Signatures.sign(secret, body));
            assertThat(answer.status()).as(c.getKey()).isEqualTo(200);
            assertThat(answer.body()).isEqualTo("{\"status\":\"unreadable\"}");
            long id = deliveryId(unreadableKey(body));
            ids.add(id);
            Map<String, Object> row = deliveryRow(id);
            assertThat(row.get("OUTCOME")).isEqualTo("UNREADABLE");
            assertThat((String) row.get("UNREADABLE_REASON")).as(c.getKey()).contains(c.getValue());
            assertThat(row.get("BODY")).isEqualTo(c.getKey());
        }
        // what could be read of the shape is kept for the operator
        assertThat(deliveryRow(ids.get(3)).get("TOPIC")).isEqualTo("return/return.updated");
        assertThat(deliveryRow(ids.get(3)).get("SUBJECT_ID")).isEqualTo("77");
        // a Loop retry of the same unreadable body is a duplicate, answered 2xx too
        byte[] notJson = "this is not json".getBytes(StandardCharsets.UTF_8);
        assertThat(postLoop("sandbox", notJson, Signatures.sign(secret, notJson)).body()).contains("duplicate");
        // bytes that are not UTF-8 text (and a NUL) are kept exactly, base64-encoded
        byte[] binary = {(byte) 0xff, 0, (byte) 0xfe, 'x'};
        assertThat(postLoop("sandbox", binary, Signatures.sign(secret, binary)).status()).isEqualTo(200);
        long binaryId = deliveryId(unreadableKey(binary));
        assertThat(jdbc.sql("SELECT body_encoding FROM delivery WHERE id = ?").param(binaryId)
                .query(String.class).single()).isEqualTo("base64");
        assertThat(deliveryRow(binaryId).get("BODY")).isEqualTo(java.util.Base64.getEncoder()
                .encodeToString(binary));

        byte[] noUuid = "{\"webhook_type\":\"Return Update\",\"status\":\"Complete\"}"
                .getBytes(StandardCharsets.UTF_8);
        var shiphero = Http.post(url("/webhooks/shiphero/sandbox"), noUuid, Map.of("x-shiphero-hmac-sha256",
                Signatures.sign(SandboxConnection.SHIPHERO_WEBHOOK_SECRET, noUuid), "X-Shiphero-Message-ID",
                "m-unreadable-1"));
        assertThat(shiphero.status()).isEqualTo(200);
        assertThat(shiphero.body()).isEqualTo("{\"code\":\"200\",\"Status\":\"Success\"}");
        long shipheroId = jdbc.sql("SELECT id FROM delivery WHERE dedupe_key = 'msg:m-unreadable-1'")
                .query(Long.class).single();
        assertThat(deliveryRow(shipheroId).get("OUTCOME")).isEqualTo("UNREADABLE");
        assertThat((String) deliveryRow(shipheroId).get("UNREADABLE_REASON")).contains("return_uuid");
        assertThat(deliveryRow(shipheroId).get("TOPIC")).isEqualTo("Return Update");

        // counted in the metric and per connection, listed with the reason, the body one call away
        assertThat(unreadableMetric("loop") - loopMetric).isEqualTo(cases.size() + 1);
        assertThat(unreadableMetric("shiphero") - shipheroMetric).isEqualTo(1);
        var listed = apiJson("GET", "/api/connections/sandbox/deliveries/unreadable");
        assertThat(listed.path("count").asLong()).isEqualTo(unreadableBefore + cases.size() + 2);
        assertThat(listed.path("recent").get(0).path("id").asLong()).isEqualTo(shipheroId);
        assertThat(listed.path("recent").get(0).path("reason").asString()).contains("return_uuid");
        assertThat(listed.toString()).contains("body is not JSON").contains("missing required field 'id'");
        var overview = apiJson("GET", "/api/overview");
        assertThat(overview.toString()).contains("\"unreadable\":{\"count\":" + listed.path("count").asLong());
        var detail = apiJson("GET", "/api/deliveries/" + ids.get(1));
        assertThat(detail.path("outcome").asString()).isEqualTo("UNREADABLE");
        assertThat(detail.path("unreadableReason").asString()).contains("missing required field 'id'");
        assertThat(detail.path("body").asString()).isEqualTo(cases.keySet().toArray()[1]);
        // the alert hook reads this timeline entry (AlertNotifier), written by the inbox's router after the answer
        await().atMost(WAIT).untilAsserted(() -> assertThat(jdbc.sql("""
                SELECT message FROM timeline_entry WHERE kind = 'DELIVERY_UNREADABLE' AND connection_id = ?""")
                .param(SandboxConnection.ID).query(String.class).list())
                .anyMatch(m -> m.contains("delivery #" + ids.get(0) + " could not be read: body is not JSON")));

        // a single replay with the same code: still unreadable, with the reason of the current code
        var replayed = apiJson("POST", "/api/deliveries/" + ids.get(0) + "/replay");
        assertThat(replayed.path("message").asString()).contains("still unreadable").contains("body is not JSON");
        assertThat(deliveryRow(ids.get(0)).get("OUTCOME")).isEqualTo("UNREADABLE");
    }

    @Test
    void aStoredUnreadableDeliveryThatTheCurrentCodeCanReadIsProcessedByTheBulkReplay() {
        // the return's own webhooks never arrive: only a delivery stored as unreadable by an older version knows it
        // (that version did not know Loop's "needs review")
        loopWebhooks.deliveryFaults(1.0, 1);
        var created = newReturn("TEE-UNREADABLE");
        loopWebhooks.clearDeliveryFaults();
        long id = created.loopReturnId();
        String body = """
                {"topic":"return","trigger":"return.created","id":"%d","state":"needs review","order_name":"%s",
                 "provider_order_id":"%s","customer":"ana@example.com",
                 "line_items":[{"sku":"TEE-UNREADABLE","return_reason":"Too small"}]}"""
                .formatted(id, created.orderName(), created.providerOrderId());
        long deliveryId;
        long stillBadId;
        jdbc.sql("""
                INSERT INTO delivery (connection_id, source, dedupe_key, topic, subject_id, received_at, body,
                                      outcome, unreadable_reason)
                VALUES ('sandbox', 'LOOP', ?, NULL, NULL, CURRENT_TIMESTAMP, ?, 'UNREADABLE',
                        'unknown return state ''needs review''')""")
                .params("unreadable:older-version-" + id, body).update();
        deliveryId = deliveryId("unreadable:older-version-" + id);
        byte[] stillBad = "{\"topic\":\"return\"}".getBytes(StandardCharsets.UTF_8);
        assertThat(postLoop("sandbox", stillBad, Signatures.sign(SandboxConnection.LOOP_WEBHOOK_SECRET,
                stillBad)).status()).isEqualTo(200);
        stillBadId = deliveryId(unreadableKey(stillBad));
        assertThat(links.findByLoopId(SandboxConnection.ID, String.valueOf(id))).isEmpty();

        var result = apiJson("POST", "/api/connections/sandbox/deliveries/replay-unreadable");
        assertThat(result.path("read").asInt()).as(result.toString()).isGreaterThanOrEqualTo(1);
        assertThat(result.path("stillUnreadable").asInt()).isGreaterThanOrEqualTo(1);

        // read now: handled as if it had just arrived ("needs review" is review), and no longer unreadable
        ReturnLink link = awaitState(id, LinkState.RMA_CREATED);
        assertThat(link.loopState()).isEqualTo("review");
        assertThat(rmaCount(id)).isEqualTo(1);
        Map<String, Object> row = deliveryRow(deliveryId);
        assertThat(row.get("OUTCOME")).isEqualTo("ACCEPTED");
        assertThat(row.get("UNREADABLE_REASON")).isNull();
        assertThat(row.get("SUBJECT_ID")).isEqualTo(String.valueOf(id));
        assertThat(row.get("TOPIC")).isEqualTo("return/return.created");
        // still unreadable: stays, with the current code's reason
        assertThat(deliveryRow(stillBadId).get("OUTCOME")).isEqualTo("UNREADABLE");
        assertThat((String) deliveryRow(stillBadId).get("UNREADABLE_REASON")).contains("missing required field");
        assertThat(apiJson("GET", "/api/connections/sandbox/deliveries/unreadable?limit=500").path("recent")
                .findValuesAsString("id")).doesNotContain(String.valueOf(deliveryId)).contains(String.valueOf(stillBadId));
        // a second bulk replay does not touch the one that was read
        apiJson("POST", "/api/connections/sandbox/deliveries/replay-unreadable");
        assertThat(rmaCount(id)).isEqualTo(1);
        assertThat(deliveryRow(deliveryId).get("OUTCOME")).isEqualTo("ACCEPTED");
        assertThat(api("POST", "/api/connections/no-such-connection/deliveries/replay-unreadable").status())
                .isEqualTo(404);
    }

    @ParameterizedTest
    @CsvSource({"needs review", "review"})
    void aReturnInReviewIsReadAsReviewWhateverLoopsWebhookCallsIt(String spelling) {
        loop.setReviewStateInWebhooks(spelling);
        try {
            var created = newReturn("TEE-REVIEW");
            awaitState(created.loopReturnId(), LinkState.RMA_CREATED);
            demo.receive(created.loopReturnId(), "Warehouse Complete", "none");
            awaitState(created.loopReturnId(), LinkState.FLAGGED);
            // Flag puts the return in review; Loop's return.updated says so in its spelling
            await().atMost(WAIT).until(() -> jdbc.sql("""
                    SELECT COUNT(*) FROM delivery WHERE subject_id = ? AND source = 'LOOP' AND body LIKE ?""")
                    .params(String.valueOf(created.loopReturnId()), "%\"state\":\"" + spelling + "\"%")
                    .query(Long.class).single() > 0);
            // read as review (not refused, not an unknown state)
            await().atMost(WAIT).until(() -> story(link(SandboxConnection.ID, created.loopReturnId())).stream()
                    .anyMatch(e -> e.contains("Loop return.updated (state review)")));
            assertThat(link(SandboxConnection.ID, created.loopReturnId()).state()).isEqualTo(LinkState.FLAGGED);
            assertThat(jdbc.sql("SELECT COUNT(*) FROM delivery WHERE subject_id = ? AND outcome = 'UNREADABLE'")
                    .param(String.valueOf(created.loopReturnId())).query(Long.class).single()).isZero();
        } finally {
            loop.setReviewStateInWebhooks(SandboxLoop.REVIEW_AS_DOCUMENTED);
        }
    }

    @Test
    void aReturnInAStateWeDoNotKnowGoesOnAndKeepsTheStateAsItCame() {
        // the sandbox's own return, its webhook lost; Loop then tells of it in a state we have never seen
        loopWebhooks.deliveryFaults(1.0, 1);
        var created = newReturn("TEE-NEWSTATE");
        loopWebhooks.clearDeliveryFaults();
        long id = created.loopReturnId();
        byte[] body = """
                {"topic":"return","trigger":"return.created","id":"%d","state":"awaiting_inspection","order_name":"%s",
                 "provider_order_id":"%s","line_items":[{"sku":"TEE-NEWSTATE","return_reason":"Too small"}]}"""
                .formatted(id, created.orderName(), created.providerOrderId()).getBytes(StandardCharsets.UTF_8);
        var answer = postLoop("sandbox", body, Signatures.sign(SandboxConnection.LOOP_WEBHOOK_SECRET, body));
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).contains("accepted");
        ReturnLink link = awaitState(id, LinkState.RMA_CREATED);
        assertThat(link.loopState()).isEqualTo("awaiting_inspection");
        assertThat(rmaCount(id)).isEqualTo(1);
        assertThat(story(link)).anyMatch(s -> s.contains("state awaiting_inspection"));
    }

    @Test
    void validDeliveriesOfNoInterestAreAcknowledgedAndRecordedAsIgnored() {
        long before = storedDeliveries();
        byte[] inventory = "{\"webhook_type\":\"Inventory Update\",\"test\":\"0\",\"inventory\":[]}"
                .getBytes(StandardCharsets.UTF_8);
        var answer = Http.post(url("/webhooks/shiphero/sandbox"), inventory, Map.of("x-shiphero-hmac-sha256",
                Signatures.sign(SandboxConnection.SHIPHERO_WEBHOOK_SECRET, inventory)));
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("{\"code\":\"200\",\"Status\":\"Success\"}");
        byte[] test = "{\"webhook_type\":\"Return Update\",\"test\":\"1\"}".getBytes(StandardCharsets.UTF_8);
        assertThat(Http.post(url("/webhooks/shiphero/sandbox"), test, Map.of("x-shiphero-hmac-sha256",
                Signatures.sign(SandboxConnection.SHIPHERO_WEBHOOK_SECRET, test))).status()).isEqualTo(200);
        assertThat(Http.get(url("/webhooks/shiphero/sandbox"), Map.of()).status()).isEqualTo(200);
        assertThat(storedDeliveries()).isEqualTo(before + 2);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM delivery WHERE outcome = 'IGNORED' AND id > 0")
                .query(Long.class).single()).isGreaterThanOrEqualTo(2);
    }
}
