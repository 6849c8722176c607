package com.returnbridge.monitor;

import static com.returnbridge.bridge.TimelineKind.SHIPHERO_WEBHOOK_LOST;
import static com.returnbridge.bridge.TimelineKind.SHIPHERO_WEBHOOK_RECOVERY_SWEEP;
import static com.returnbridge.bridge.TimelineKind.SHIPHERO_WEBHOOK_REREGISTERED;
import static com.returnbridge.bridge.TimelineKind.SHIPHERO_WEBHOOK_REREGISTER_FAILED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

import com.returnbridge.bridge.LinkState;
import com.returnbridge.bridge.ReturnLink;
import com.returnbridge.bridge.Timeline;
import com.returnbridge.connection.Connections;
import com.returnbridge.vendor.VendorTimeouts;
import com.returnbridge.vendor.Signatures;
import com.returnbridge.console.ConsoleTestBase;
import com.returnbridge.sandbox.SandboxDemo;
import com.returnbridge.sandbox.SandboxFaults;
import com.returnbridge.sandbox.loop.SandboxLoop;
import com.returnbridge.sandbox.shiphero.SandboxShipHero;
import com.returnbridge.sandbox.shiphero.SandboxShipHeroConfiguration;
import com.returnbridge.shiphero.ShipHeroAdminClient.Webhook;
import com.returnbridge.support.ShipHeroAsAnotherUser;
import com.returnbridge.support.Http;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;
import tools.jackson.databind.JsonNode;

/**
 * How a list of ShipHero webhooks is judged, and how the check and the traffic make the overview's badge; then, over
 * real HTTP against the simulators, a lost webhook coming back by itself: deleted in ShipHero (or pointed elsewhere),
 * the next check registers it again, keeps the new secret (encrypted), sweeps the connection so what happened
 * meanwhile is applied, and writes both to the connection's events and the alert hook. ShipHero refusing is shown
 * once, alerted and tried again; a paused connection is left alone. (With the setting off: ConsoleIntakeHealthTest.)
 * The connection has its own Loop shop and ShipHero customer account, so it hears no other test's returns.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ShipHeroWebhookCheckTest extends ConsoleTestBase {

    private static final String URL = "https://returns.example.com/webhooks/shiphero/acme";
    private static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");

    static Webhook hook(String name, String url, String shop) {
        return new Webhook("id-" + url, 1L, name, url, shop);
    }

    @Test
    void registeredOnlyWhenAReturnUpdateWebhookPointsAtTheRegisteredUrl() {
        assertThat(ShipHeroWebhookCheck.judge("acme", URL, List.of(hook("Return Update", URL + "/", "returnbridge-acme")))
                .verdict()).isEqualTo(ShipHeroWebhookCheck.Verdict.REGISTERED);
        // another webhook type to our URL is not the Return Update webhook
        assertThat(ShipHeroWebhookCheck.judge("acme", URL, List.of(hook("Shipment Update", URL, "returnbridge-acme")))
                .verdict()).isEqualTo(ShipHeroWebhookCheck.Verdict.MISSING);
    }

    @Test
    void oursPointingElsewhereIsWrongUrlAndSaysWhere() {
        var j = ShipHeroWebhookCheck.judge("acme", URL, List.of(
                hook("Return Update", "https://old.example.com/webhooks/shiphero/acme", "someone")));
        assertThat(j.verdict()).isEqualTo(ShipHeroWebhookCheck.Verdict.WRONG_URL);
        assertThat(j.detail()).contains("https://old.example.com/webhooks/shiphero/acme").contains(URL);
        assertThat(ShipHeroWebhookCheck.judge("acme", URL, List.of(
                hook("Return Update", "https://x.example.com/hook", "returnbridge-acme"))).verdict())
                .isEqualTo(ShipHeroWebhookCheck.Verdict.WRONG_URL);
    }

    @Test
    void anotherConnectionsOrIntegrationsWebhookIsNotOurs() {
        var j = ShipHeroWebhookCheck.judge("acme", URL, List.of(
                hook("Return Update", "https://returns.example.com/webhooks/shiphero/acme-eu", "returnbridge-acme-eu"),
                hook("Return Update", "https://erp.example.com/returns", "erp")));
        assertThat(j.verdict()).isEqualTo(ShipHeroWebhookCheck.Verdict.MISSING);
        assertThat(j.detail()).contains("2 other Return Update webhook(s)");
        assertThat(ShipHeroWebhookCheck.judge("acme", URL, List.of()).detail()).contains("none at all");
    }

    @Test
    void withoutARegisteredUrlOurPathOnAnyHostCounts() {
        assertThat(ShipHeroWebhookCheck.judge("acme", null, List.of(hook("Return Update", URL, "manual"))).verdict())
                .isEqualTo(ShipHeroWebhookCheck.Verdict.REGISTERED);
    }

    static ConnectionCounts counts(long awaiting, Instant oldestAwaiting, Instant lastShipHero) {
        Map<LinkState, Long> none = Map.of();
        return new ConnectionCounts("acme", none, none, none, 0, 0, 0, 0, 0, 0, null,
                lastShipHero == null ? null : OffsetDateTime.ofInstant(lastShipHero, ZoneOffset.UTC), awaiting,
                oldestAwaiting == null ? null : OffsetDateTime.ofInstant(oldestAwaiting, ZoneOffset.UTC));
    }

    static Optional<WebhookChecks.Check> check(String verdict) {
        OffsetDateTime at = OffsetDateTime.ofInstant(NOW, ZoneOffset.UTC);
        return Optional.of(new WebhookChecks.Check("acme", "SHIPHERO", URL, at, at, verdict, "d", at));
    }

    @Test
    void theBadgeCombinesTheCheckAndTheTraffic() {
        Duration day = Duration.ofHours(24);
        var receiving = counts(2, NOW.minus(Duration.ofDays(3)), NOW.minus(Duration.ofHours(1)));
        var silent = counts(2, NOW.minus(Duration.ofDays(3)), NOW.minus(Duration.ofDays(2)));
        var fresh = counts(1, NOW.minus(Duration.ofMinutes(5)), null);

        assertThat(ConnectionHealth.shipheroWebhook(check("REGISTERED"), receiving, NOW, day).label())
                .isEqualTo("RECEIVING");
        var amber = ConnectionHealth.shipheroWebhook(check("REGISTERED"), silent, NOW, day);
        assertThat(amber.level()).isEqualTo("warn");
        assertThat(amber.message()).contains("registered, silent").contains("check its health in ShipHero");
        assertThat(ConnectionHealth.shipheroWebhook(check("REGISTERED"), fresh, NOW, day).level()).isEqualTo("ok");
        var missing = ConnectionHealth.shipheroWebhook(check("MISSING"), receiving, NOW, day);
        assertThat(missing.level()).isEqualTo("bad");
        assertThat(missing.message()).contains("re-run Connect");
        assertThat(ConnectionHealth.shipheroWebhook(check("WRONG_URL"), receiving, NOW, day).label())
                .isEqualTo("WRONG URL");
        assertThat(ConnectionHealth.shipheroWebhook(check("CHECK_FAILED"), receiving, NOW, day).level())
                .isEqualTo("warn");
        assertThat(ConnectionHealth.shipheroWebhook(Optional.empty(), counts(0, null, null), NOW, day).label())
                .isEqualTo("NO TRAFFIC YET");
    }


    // ---------------------------------------------------------------- coming back by itself, over HTTP

    private static final String ID = "webhook-recovery";
    private static final String CUSTOMER = "webhook-recovery-3pl";
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static AlertCapture alerts;
    private static AlertNotifier notifier;
    private static long firstReturn;
    private static long secondReturn;

    @Autowired
    SandboxShipHero shiphero;
    @Autowired
    SandboxDemo demo;
    @Autowired
    ShipHeroWebhookCheck webhookCheck;
    @Autowired
    Connections connections;
    @Autowired
    Timeline timeline;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    MockMvc mvc;
    @Autowired
    VendorTimeouts timeouts;
    @Autowired
    Clock clock;

    /** The alert hook's receiving end: a Slack-like endpoint that keeps every text. */
    static final class AlertCapture implements AutoCloseable {
        final List<String> texts = new CopyOnWriteArrayList<>();
        private final HttpServer server;

        AlertCapture(Function<byte[], String> reader) throws IOException {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/", exchange -> {
                texts.add(reader.apply(exchange.getRequestBody().readAllBytes()));
                exchange.sendResponseHeaders(200, -1);
                exchange.close();
            });
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/alerts";
        }

        /**
         * The webhook alerts of the connection. Not its NEEDS_ATTENTION ones: the simulated Loop lists every shop's
         * returns to any key, so the sweep may import other tests' returns, whose orders are not in our account.
         */
        List<String> about(String connectionId) {
            return texts.stream().filter(t -> t.contains("— " + connectionId + ":") && !t.startsWith(":warning:"))
                    .toList();
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    @AfterAll
    static void stopAlerts() {
        if (alerts != null) {
            alerts.close();
        }
    }

    String shipheroUrl() {
        return base() + "/webhooks/shiphero/" + ID;
    }

    /** ShipHero's own GraphQL endpoint (the simulator), as another ShipHero user would call it. */
    JsonNode shipheroGraphQl(String query, Map<String, Object> variables) {
        return new ShipHeroAsAnotherUser(sandbox.baseUrl(), json).graphQl(query, variables);
    }

    void deleteOurShipHeroWebhook() {
        new ShipHeroAsAnotherUser(sandbox.baseUrl(), json).deleteReturnUpdateWebhook(CUSTOMER, ID);
    }

    /** The Return Update webhooks ShipHero holds on our customer account: url → shop name. */
    List<String[]> returnUpdateWebhooks() {
        List<String[]> out = new ArrayList<>();
        shipheroGraphQl("""
                query ($c: String) { webhooks(customer_account_id: $c) { data { edges { node { name url shop_name } } } } }""",
                Map.of("c", CUSTOMER)).path("webhooks").path("data").path("edges").forEach(e -> {
                    if (SandboxShipHero.RETURN_UPDATE.equals(e.path("node").path("name").asString())) {
                        out.add(new String[] {e.path("node").path("url").asString(),
                                e.path("node").path("shop_name").asString()});
                    }
                });
        return out;
    }

    void assertOursIsBackAtOurUrl() {
        assertThat(returnUpdateWebhooks()).filteredOn(w -> w[1].equals("returnbridge-" + ID))
                .singleElement().satisfies(w -> assertThat(w[0]).isEqualTo(shipheroUrl()));
    }

    List<Timeline.Entry> connectionEvents() {
        return jdbc.sql("""
                SELECT id, link_id, connection_id, loop_return_id, at, kind, message FROM timeline_entry
                 WHERE connection_id = ? AND link_id IS NULL ORDER BY id""").param(ID).query(Timeline.Entry.class).list();
    }

    List<Timeline.Entry> events(String kind) {
        return connectionEvents().stream().filter(e -> e.kind().equals(kind)).toList();
    }

    String storedSecretColumn() {
        return jdbc.sql("SELECT shiphero_webhook_secret FROM connection_config WHERE id = ?").param(ID)
                .query(String.class).single();
    }

    String secret() {
        return connections.get(ID).shiphero().webhookSecret().reveal();
    }

    ShipHeroWebhookCheck.Result ours(List<ShipHeroWebhookCheck.Result> results) {
        return results.stream().filter(r -> r.connectionId().equals(ID)).findFirst()
                .orElseThrow(() -> new AssertionError("the recurring check skipped " + ID + ": " + results));
    }

    long newReturn() {
        return demo.createReturn(ID, List.of(new SandboxDemo.DemoItem("RECOVER-TEE", 1)), null).loopReturnId();
    }

    /** Past the decision: Loop accepted Process (PROCESSED, or CLOSED once Loop reports the return closed). */
    ReturnLink awaitProcessed(long loopReturnId) {
        await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> links
                .findByLoopId(ID, String.valueOf(loopReturnId))
                .map(l -> l.state() == LinkState.PROCESSED || l.state() == LinkState.CLOSED).orElse(false));
        return links.findByLoopId(ID, String.valueOf(loopReturnId)).orElseThrow();
    }

    List<String> linkKinds(ReturnLink link) {
        return timeline.forLink(link.id()).stream().map(Timeline.Entry::kind).toList();
    }

    @Test
    @Order(10)
    void connectedWithTwoReturnsAwaitingTheWarehouse() throws IOException {
        assertThat(webhookCheck.reRegisters()).as("returnbridge.webhook-check.re-register defaults to true").isTrue();
        shiphero.addCustomerAccount(CUSTOMER);
        ok(call("POST", "/api/connections", """
                {"id":"%s","loopBaseUrl":"%s/sandbox/loop/api/v1","loopApiKey":"%s","loopWebhookSecret":"%s",
                 "shipheroBaseUrl":"%s/sandbox/shiphero","shipheroRefreshToken":"%s","customerAccountId":"%s"}"""
                .formatted(ID, sandbox.baseUrl(), sandbox.shopKey(ID), SandboxLoop.DEFAULT_WEBHOOK_SECRET,
                        sandbox.baseUrl(), SandboxShipHeroConfiguration.SANDBOX_REFRESH_TOKEN, CUSTOMER)));
        JsonNode report = ok(call("POST", "/api/connections/" + ID + "/connect", null));
        assertThat(report.path("ok").asBoolean()).as(report.toString()).isTrue();
        assertThat(ours(webhookCheck.checkAll()).verdict()).isEqualTo("REGISTERED");
        assertOursIsBackAtOurUrl();

        alerts = new AlertCapture(body -> json.readTree(body).path("text").asString());
        notifier = new AlertNotifier(jdbc, clock, alerts.url(), Duration.ofHours(1), 1000, 1_000_000, timeouts);
        notifier.check(); // the first pass only notes where the timeline stands

        firstReturn = newReturn();
        secondReturn = newReturn();
        awaitState(ID, firstReturn, LinkState.RMA_CREATED);
        awaitState(ID, secondReturn, LinkState.RMA_CREATED);
    }

    @Test
    @Order(11)
    void aDeletedWebhookIsRegisteredAgainWithANewSecretAndTheSweepAppliesWhatHappenedMeanwhile() throws Exception {
        String oldSecret = secret();
        String oldColumn = storedSecretColumn();
        deleteOurShipHeroWebhook();
        // the warehouse completes the first return while ShipHero has no webhook to tell us
        demo.receive(firstReturn, "Warehouse Complete", "all");
        assertThat(links.findByLoopId(ID, String.valueOf(firstReturn)).orElseThrow().state())
                .isEqualTo(LinkState.RMA_CREATED);

        ShipHeroWebhookCheck.Result result = ours(webhookCheck.checkAll()); // the recurring task's pass
        assertThat(result.verdict()).as(result.toString()).isEqualTo("REGISTERED");
        assertThat(result.changed()).isTrue();
        assertThat(result.detail()).contains("registered again");
        assertThat(result.registeredUrl()).isEqualTo(shipheroUrl());
        assertOursIsBackAtOurUrl();

        // the new secret is in use, and stored encrypted
        String newSecret = secret();
        assertThat(newSecret).isNotBlank().isNotEqualTo(oldSecret);
        String column = storedSecretColumn();
        assertThat(column).isNotEqualTo(oldColumn).doesNotContain(newSecret);
        byte[] probe = "{\"webhook_type\":\"Return Update\"}".getBytes(StandardCharsets.UTF_8);
        assertThat(Http.post(shipheroUrl(), probe, Map.of("Content-Type", "application/json",
                "x-shiphero-hmac-sha256", Signatures.sign(oldSecret, probe))).status()).isEqualTo(401);

        // the sweep ran at once: the status set while the webhook was missing is applied
        ReturnLink first = awaitProcessed(firstReturn);
        assertThat(linkKinds(first)).contains("RECONCILE");

        // ShipHero's next Return Update is signed with the new secret: accepted and processed
        demo.receive(secondReturn, "Warehouse Complete", "all");
        ReturnLink second = awaitProcessed(secondReturn);
        assertThat(timeline.forLink(second.id())).anyMatch(e -> e.kind().equals("SHIPHERO_EVENT")
                && e.message().contains("Warehouse Complete"));
        assertThat(linkKinds(second)).doesNotContain("RECONCILE");

        assertThat(events(SHIPHERO_WEBHOOK_LOST.name())).singleElement().satisfies(e -> assertThat(e.message())
                .contains("MISSING").contains("registering it again").doesNotContain("re-run Connect"));
        assertThat(events(SHIPHERO_WEBHOOK_REREGISTERED.name())).singleElement().satisfies(e -> assertThat(
                e.message()).contains(shipheroUrl()).contains("it was MISSING").contains("stored encrypted")
                .doesNotContain(newSecret));
        assertThat(events(SHIPHERO_WEBHOOK_RECOVERY_SWEEP.name())).singleElement().satisfies(e -> assertThat(
                e.message()).contains("sweep run at once").contains("1 changed status"));
        String page = mvc.perform(get("/connections/" + ID).with(user(USER).roles("ADMIN"))).andReturn().getResponse()
                .getContentAsString(StandardCharsets.UTF_8);
        assertThat(page).contains("registered again").contains("sweep run at once");

        notifier.check();
        assertThat(alerts.about(ID)).hasSize(3).satisfiesExactly(
                t -> assertThat(t).startsWith(":rotating_light:").contains("MISSING"),
                t -> assertThat(t).startsWith(":white_check_mark:").contains("registered again"),
                t -> assertThat(t).contains("sweep run at once"));
        assertThat(String.join("\n", alerts.texts)).doesNotContain(newSecret);
    }

    @Test
    @Order(12)
    void ourWebhookPointingElsewhereIsReplacedByTheCheckNow() {
        String before = secret();
        String elsewhere = "http://127.0.0.1:1/old-host/webhooks/shiphero/" + ID;
        deleteOurShipHeroWebhook();
        shipheroGraphQl("""
                mutation ($data: CreateWebhookInput!) { webhook_create(data: $data) { webhook { id url } } }""",
                Map.of("data", Map.of("customer_account_id", CUSTOMER, "name", SandboxShipHero.RETURN_UPDATE,
                        "url", elsewhere, "shop_name", "returnbridge-" + ID)));

        JsonNode check = ok(call("POST", "/api/connections/" + ID + "/webhook-check", null));
        assertThat(check.path("verdict").asString()).as(check.toString()).isEqualTo("REGISTERED");
        assertOursIsBackAtOurUrl();
        assertThat(returnUpdateWebhooks()).noneMatch(w -> w[0].equals(elsewhere));
        assertThat(secret()).isNotEqualTo(before);
        assertThat(events(SHIPHERO_WEBHOOK_LOST.name())).last().satisfies(e -> assertThat(e.message())
                .contains("WRONG_URL").contains(elsewhere));
        assertThat(events(SHIPHERO_WEBHOOK_REREGISTERED.name())).hasSize(2).last().satisfies(e -> assertThat(
                e.message()).contains("it was WRONG_URL").contains("deleted first"));
        assertThat(events(SHIPHERO_WEBHOOK_RECOVERY_SWEEP.name())).hasSize(2);
        notifier.check();
        assertThat(alerts.about(ID)).hasSize(6).anySatisfy(t -> assertThat(t).contains("WRONG_URL"));
    }

    @Test
    @Order(13)
    void whenShipHeroRefusesItIsShownAndAlertedOnceAndTriedAgainAtTheNextCheck() {
        int lostBefore = events(SHIPHERO_WEBHOOK_LOST.name()).size();
        shiphero.faults().inject("webhook_create", SandboxFaults.Fault.of(SandboxFaults.Kind.SERVER_ERROR), 2);
        deleteOurShipHeroWebhook();

        ShipHeroWebhookCheck.Result failed = ours(webhookCheck.checkAll());
        assertThat(failed.verdict()).isEqualTo("MISSING");
        assertThat(failed.detail()).contains("registering it again failed").contains("HTTP 500")
                .contains("tried again at the next check");
        assertThat(events(SHIPHERO_WEBHOOK_REREGISTER_FAILED.name())).singleElement().satisfies(e -> assertThat(
                e.message()).contains("HTTP 500"));
        assertThat(returnUpdateWebhooks()).noneMatch(w -> w[1].equals("returnbridge-" + ID));
        JsonNode latest = ok(call("GET", "/api/connections/" + ID + "/webhook-check", null));
        assertThat(latest.path("detail").asString()).contains("registering it again failed");

        // the same refusal at the next check: stored, not written (nor alerted) again
        assertThat(ours(webhookCheck.checkAll()).verdict()).isEqualTo("MISSING");
        assertThat(events(SHIPHERO_WEBHOOK_REREGISTER_FAILED.name())).hasSize(1);
        assertThat(events(SHIPHERO_WEBHOOK_LOST.name())).hasSize(lostBefore + 1);

        // ShipHero accepts again: the next check puts it back
        assertThat(ours(webhookCheck.checkAll()).verdict()).isEqualTo("REGISTERED");
        assertOursIsBackAtOurUrl();
        assertThat(events(SHIPHERO_WEBHOOK_REREGISTERED.name())).hasSize(3);
        notifier.check();
        assertThat(alerts.about(ID)).filteredOn(t -> t.contains("registering it again failed")).singleElement()
                .satisfies(t -> assertThat(t).startsWith(":rotating_light:").contains("HTTP 500"));
    }

    @Test
    @Order(14)
    void aPausedConnectionIsNotTouched() {
        actions.pause(ID, "test");
        try {
            deleteOurShipHeroWebhook();
            int registeredBefore = events(SHIPHERO_WEBHOOK_REREGISTERED.name()).size();
            assertThat(webhookCheck.checkAll()).noneMatch(r -> r.connectionId().equals(ID));
            JsonNode check = ok(call("POST", "/api/connections/" + ID + "/webhook-check", null));
            assertThat(check.path("verdict").asString()).isEqualTo("MISSING");
            assertThat(events(SHIPHERO_WEBHOOK_LOST.name())).last().satisfies(e -> assertThat(e.message())
                    .contains("paused"));
            assertThat(returnUpdateWebhooks()).noneMatch(w -> w[1].equals("returnbridge-" + ID));
            assertThat(events(SHIPHERO_WEBHOOK_REREGISTERED.name())).hasSize(registeredBefore);
        } finally {
            actions.resume(ID, "test");
        }
        assertThat(ours(webhookCheck.checkAll()).verdict()).isEqualTo("REGISTERED");
        assertOursIsBackAtOurUrl();
    }
}
