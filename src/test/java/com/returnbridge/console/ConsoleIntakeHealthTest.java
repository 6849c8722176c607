package com.returnbridge.console;

import static com.returnbridge.bridge.TimelineKind.SHIPHERO_WEBHOOK_LOST;
import static com.returnbridge.bridge.TimelineKind.SHIPHERO_WEBHOOK_OK;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

import com.returnbridge.bridge.Timeline;
import com.returnbridge.vendor.Signatures;
import com.returnbridge.intake.WebhookController;
import com.returnbridge.monitor.AlertNotifier;
import com.returnbridge.monitor.ShipHeroWebhookCheck;
import com.returnbridge.sandbox.loop.SandboxLoop;
import com.returnbridge.sandbox.shiphero.SandboxShipHero;
import com.returnbridge.sandbox.shiphero.SandboxShipHeroConfiguration;
import com.returnbridge.support.ShipHeroAsAnotherUser;
import com.returnbridge.support.Http;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import tools.jackson.databind.JsonNode;

/**
 * The operator console's intake health, over real HTTP against the simulators: refused deliveries counted per
 * connection (and not for unknown ones), and the ShipHero Return Update webhook check — REGISTERED after Connect,
 * MISSING once the webhook is deleted in ShipHero, WRONG_URL when ours points elsewhere — with the overview's badges.
 * The connection has its own Loop shop and acts for its own ShipHero customer account, so it hears no other test's
 * returns. Here {@code returnbridge.webhook-check.re-register} is off, so the check only reports (its own application
 * and database; with it on, see ShipHeroWebhookCheckTest).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@TestPropertySource(properties = {"returnbridge.webhook-check.re-register=false",
        "spring.datasource.url=jdbc:h2:mem:console-tests-report-only;DB_CLOSE_DELAY=-1"})
class ConsoleIntakeHealthTest extends ConsoleTestBase {

    private static final String ID = "intake-health";
    private static final String CUSTOMER = "intake-health-3pl";
    private static final String UNKNOWN = "no-such-connection-42";

    @Autowired
    SandboxShipHero shiphero;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    MockMvc mvc;
    @Autowired
    ShipHeroWebhookCheck webhookCheck;

    String shipheroUrl() {
        return base() + "/webhooks/shiphero/" + ID;
    }

    String overviewHtml() throws Exception {
        return mvc.perform(get("/overview/table").with(user(USER).roles("ADMIN"))).andReturn().getResponse()
                .getContentAsString(StandardCharsets.UTF_8);
    }

    /** The block of the overview for our connection (the page lists every connection). */
    String overviewBlock() throws Exception {
        String html = overviewHtml();
        int start = html.indexOf("/connections/" + ID + "\"");
        assertThat(start).as("our connection is on the overview").isPositive();
        int end = html.indexOf("class=\"panel\"", start);
        return end < 0 ? html.substring(start) : html.substring(start, end);
    }

    /** ShipHero's own GraphQL endpoint (the simulator), as another ShipHero user would call it. */
    JsonNode shipheroGraphQl(String query, Map<String, Object> variables) {
        return new ShipHeroAsAnotherUser(sandbox.baseUrl(), json).graphQl(query, variables);
    }

    void deleteOurShipHeroWebhook() {
        new ShipHeroAsAnotherUser(sandbox.baseUrl(), json).deleteReturnUpdateWebhook(CUSTOMER, ID);
    }

    List<Timeline.Entry> connectionEvents() {
        return jdbc.sql("""
                SELECT id, link_id, connection_id, loop_return_id, at, kind, message FROM timeline_entry
                 WHERE connection_id = ? AND link_id IS NULL ORDER BY id""").param(ID).query(Timeline.Entry.class).list();
    }

    @Test
    @Order(1)
    void afterConnectTheWebhookCheckFindsItRegistered() throws Exception {
        shiphero.addCustomerAccount(CUSTOMER);
        String shop = sandbox.shopKey(ID);
        ok(call("POST", "/api/connections", """
                {"id":"%s","loopBaseUrl":"%s/sandbox/loop/api/v1","loopApiKey":"%s","loopWebhookSecret":"%s",
                 "shipheroBaseUrl":"%s/sandbox/shiphero","shipheroRefreshToken":"%s","customerAccountId":"%s"}"""
                .formatted(ID, sandbox.baseUrl(), shop, SandboxLoop.DEFAULT_WEBHOOK_SECRET, sandbox.baseUrl(),
                        SandboxShipHeroConfiguration.SANDBOX_REFRESH_TOKEN, CUSTOMER)));
        assertThat(call("GET", "/api/connections/" + ID + "/webhook-check", null).status()).isEqualTo(404);

        JsonNode report = ok(call("POST", "/api/connections/" + ID + "/connect", null));
        assertThat(report.toString()).contains("ShipHero Return Update webhook");
        JsonNode check = ok(call("POST", "/api/connections/" + ID + "/webhook-check", null));
        assertThat(check.path("verdict").asString()).as(check.toString()).isEqualTo("REGISTERED");
        assertThat(check.path("registeredUrl").asString()).isEqualTo(shipheroUrl());
        assertThat(check.path("detail").asString()).contains(shipheroUrl());
        JsonNode latest = ok(call("GET", "/api/connections/" + ID + "/webhook-check", null));
        assertThat(latest.path("verdict").asString()).isEqualTo("REGISTERED");

        JsonNode row = overviewRow();
        assertThat(row.path("shipheroWebhook").path("verdict").asString()).isEqualTo("REGISTERED");
        assertThat(row.path("shipheroWebhook").path("level").asString()).isEqualTo("ok");
        assertThat(row.path("rejections").path("total").asLong()).isZero();
        assertThat(overviewBlock()).contains("REGISTERED").doesNotContain("re-run Connect");
    }

    JsonNode overviewRow() {
        for (JsonNode row : ok(call("GET", "/api/overview", null))) {
            if (ID.equals(row.path("connection").path("id").asString())) {
                return row;
            }
        }
        throw new AssertionError("no overview row for " + ID);
    }

    @Test
    @Order(2)
    void refusedDeliveriesAreCountedPerConnectionWithTheirReasonAndAnswersAreUnchanged() throws Exception {
        byte[] body = "{\"webhook_type\":\"Return Update\",\"return_uuid\":\"x\"}".getBytes(StandardCharsets.UTF_8);
        String wrongSignature = Signatures.sign("an-old-secret", body);
        for (int i = 0; i < 3; i++) {
            Http.Answer bad = Http.post(shipheroUrl(), body, Map.of("Content-Type", "application/json",
                    "x-shiphero-hmac-sha256", wrongSignature));
            assertThat(bad.status()).isEqualTo(401);
            assertThat(bad.body()).contains("x-shiphero-hmac-sha256 does not match");
        }
        assertThat(Http.post(shipheroUrl(), body, Map.of("Content-Type", "application/json")).status())
                .isEqualTo(401);
        // correctly signed but unreadable: no longer refused (issue 9), stored as UNREADABLE and answered 2xx
        byte[] notJson = "this is not json".getBytes(StandardCharsets.UTF_8);
        Http.Answer unreadable = Http.post(base() + "/webhooks/loop/" + ID, notJson, Map.of("Content-Type",
                "application/json", "X-Loop-Signature", Signatures.sign(SandboxLoop.DEFAULT_WEBHOOK_SECRET, notJson)));
        assertThat(unreadable.status()).isEqualTo(200);
        assertThat(unreadable.body()).contains("unreadable");
        byte[] huge = new byte[WebhookController.MAX_BODY_BYTES + 10];
        java.util.Arrays.fill(huge, (byte) 'a');
        assertThat(Http.post(shipheroUrl(), huge, Map.of("Content-Type", "application/json")).status())
                .isEqualTo(413);
        // an unknown connection: 404 as before, and nothing to attribute it to
        for (int i = 0; i < 5; i++) {
            assertThat(Http.post(base() + "/webhooks/shiphero/" + UNKNOWN + i, body, Map.of("Content-Type",
                    "application/json", "x-shiphero-hmac-sha256", wrongSignature)).status()).isEqualTo(404);
        }
        assertThat(jdbc.sql("SELECT COUNT(*) FROM delivery_rejection WHERE connection_id LIKE ?")
                .param(UNKNOWN + "%").query(Long.class).single()).isZero();
        // refused deliveries are never stored as deliveries; the signed unreadable one is
        assertThat(jdbc.sql("SELECT outcome FROM delivery WHERE connection_id = ?").param(ID).query(String.class)
                .list()).containsExactly("UNREADABLE");

        JsonNode rejections = ok(call("GET", "/api/connections/" + ID + "/rejections", null));
        assertThat(rejections.path("total").asLong()).as(rejections.toString()).isEqualTo(5);
        assertThat(rejections.path("recent").asBoolean()).isTrue();
        Map<String, JsonNode> byKey = new LinkedHashMap<>();
        rejections.path("byReason").forEach(r -> byKey.put(r.path("source").asString() + "/" + r.path("reason")
                .asString(), r));
        assertThat(byKey).containsOnlyKeys("SHIPHERO/bad_signature", "SHIPHERO/too_large");
        JsonNode badSignature = byKey.get("SHIPHERO/bad_signature");
        assertThat(badSignature.path("count").asLong()).isEqualTo(4);
        assertThat(badSignature.path("lastDetail").asString()).isEqualTo("missing x-shiphero-hmac-sha256");
        assertThat(badSignature.path("firstAt").asString()).isNotBlank();
        assertThat(badSignature.path("lastAt").asString()).isNotBlank();
        assertThat(byKey.get("SHIPHERO/too_large").path("lastDetail").asString()).contains("larger than");
        assertThat(rejections.toString()).doesNotContain(wrongSignature).doesNotContain("this is not json")
                .doesNotContain("an-old-secret");

        JsonNode row = overviewRow();
        assertThat(row.path("rejections").path("total").asLong()).isEqualTo(5);
        assertThat(row.path("unreadable").path("count").asLong()).isEqualTo(1);
        String block = overviewBlock();
        assertThat(block).contains("bad signature ×4 (ShipHero)").doesNotContain("malformed")
                .contains("just now");
        assertThat(block).contains("class=\"badge b-bad\">5</span>");
        String page = mvc.perform(get("/connections/" + ID).with(user(USER).roles("ADMIN"))).andReturn().getResponse()
                .getContentAsString(StandardCharsets.UTF_8);
        assertThat(page).contains("class=\"rejection\"").contains("missing x-shiphero-hmac-sha256")
                .contains("bad signature");

        // the unreadable one: on the connection page with its reason, its body a link away, replayable in bulk
        long unreadableId = jdbc.sql("SELECT id FROM delivery WHERE connection_id = ?").param(ID).query(Long.class)
                .single();
        assertThat(page).contains("class=\"unreadable-delivery\"").contains("body is not JSON")
                .contains("/deliveries/" + unreadableId + "/body").contains("id=\"replay-unreadable\"");
        assertThat(block).contains("class=\"unreadable-reason\">body is not JSON");
        var bodyPage = mvc.perform(get("/deliveries/" + unreadableId + "/body").with(user(USER).roles("ADMIN"))).andReturn()
                .getResponse();
        assertThat(bodyPage.getContentType()).startsWith("text/plain");
        assertThat(bodyPage.getContentAsString(StandardCharsets.UTF_8)).isEqualTo("this is not json");
        mvc.perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders
                .post("/connections/" + ID + "/deliveries/replay-unreadable").with(user(USER).roles("ADMIN"))
                .with(org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf()))
                .andExpect(org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl(
                        "/connections/" + ID))
                .andExpect(org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash().attribute(
                        "message", "1 unreadable deliveries replayed: 0 read now, 1 still unreadable"));
        assertThat(connectionEvents()).anyMatch(e -> e.kind().equals("OPERATOR_REPLAY")
                && e.message().contains("1 still unreadable"));
        assertThat(connectionEvents()).anyMatch(e -> e.kind().equals("DELIVERY_UNREADABLE")
                && e.message().contains("delivery #" + unreadableId + " could not be read: body is not JSON"));
    }

    @Test
    @Order(3)
    void aWebhookDeletedInShipHeroIsMissingOnTheTimelineAndTheOverview() throws Exception {
        deleteOurShipHeroWebhook();
        JsonNode check = ok(call("POST", "/api/connections/" + ID + "/webhook-check", null));
        assertThat(check.path("verdict").asString()).as(check.toString()).isEqualTo("MISSING");
        assertThat(check.path("changed").asBoolean()).isTrue();
        assertThat(check.path("detail").asString()).contains(shipheroUrl());
        assertThat(connectionEvents()).filteredOn(e -> e.kind().equals(SHIPHERO_WEBHOOK_LOST.name()))
                .singleElement().satisfies(e -> assertThat(e.message()).contains("MISSING").contains("re-run Connect"));

        // checked again with nothing changed: no second timeline entry
        JsonNode again = ok(call("POST", "/api/connections/" + ID + "/webhook-check", null));
        assertThat(again.path("verdict").asString()).isEqualTo("MISSING");
        assertThat(again.path("changed").asBoolean()).isFalse();
        assertThat(connectionEvents()).filteredOn(e -> e.kind().equals(SHIPHERO_WEBHOOK_LOST.name())).hasSize(1);
        // the recurring pass only reports too: nothing registered in ShipHero, no secret replaced
        assertThat(webhookCheck.reRegisters()).isFalse();
        assertThat(webhookCheck.checkAll()).filteredOn(r -> r.connectionId().equals(ID)).singleElement()
                .satisfies(r -> assertThat(r.verdict()).isEqualTo("MISSING"));
        assertThat(shipheroGraphQl("query ($c: String) { webhooks(customer_account_id: $c) { data { edges { node { "
                + "shop_name } } } } }", Map.of("c", CUSTOMER)).toString()).doesNotContain("returnbridge-" + ID);
        assertThat(connectionEvents()).noneMatch(e -> e.kind().startsWith("SHIPHERO_WEBHOOK_RE"));

        assertThat(overviewRow().path("shipheroWebhook").path("level").asString()).isEqualTo("bad");
        assertThat(overviewBlock()).contains("MISSING").contains("re-run Connect").contains("badge b-bad");
        JsonNode health = ok(call("GET", "/actuator/health", null)).path("components").path("connections")
                .path("details").path(ID);
        assertThat(health.path("shipheroWebhook").asString()).isEqualTo("MISSING");
        assertThat(health.path("status").asString()).isEqualTo("ATTENTION");
    }

    @Test
    @Order(4)
    void ourWebhookPointingElsewhereIsWrongUrlAndConnectPutsItBack() throws Exception {
        String elsewhere = "http://127.0.0.1:1/old-host/webhooks/shiphero/" + ID;
        shipheroGraphQl("""
                mutation ($data: CreateWebhookInput!) { webhook_create(data: $data) { webhook { id url } } }""",
                Map.of("data", Map.of("customer_account_id", CUSTOMER, "name", SandboxShipHero.RETURN_UPDATE,
                        "url", elsewhere, "shop_name", "returnbridge-" + ID)));
        JsonNode check = ok(call("POST", "/api/connections/" + ID + "/webhook-check", null));
        assertThat(check.path("verdict").asString()).as(check.toString()).isEqualTo("WRONG_URL");
        assertThat(check.path("detail").asString()).contains(elsewhere).contains(shipheroUrl());
        assertThat(connectionEvents()).filteredOn(e -> e.kind().equals(SHIPHERO_WEBHOOK_LOST.name()))
                .hasSize(2).last().satisfies(e -> assertThat(e.message()).contains("WRONG_URL").contains(elsewhere));
        assertThat(overviewBlock()).contains("WRONG URL").contains(elsewhere).contains("re-run Connect");

        // the console's Check now button answers the same
        String page = mvc.perform(get("/connections/" + ID).with(user(USER).roles("ADMIN"))).andReturn().getResponse()
                .getContentAsString(StandardCharsets.UTF_8);
        assertThat(page).contains("id=\"webhook-check\"").contains("WRONG_URL");

        ok(call("POST", "/api/connections/" + ID + "/connect", null));
        JsonNode fixed = ok(call("POST", "/api/connections/" + ID + "/webhook-check", null));
        assertThat(fixed.path("verdict").asString()).isEqualTo("REGISTERED");
        assertThat(connectionEvents()).anyMatch(e -> e.kind().equals(SHIPHERO_WEBHOOK_OK.name()));
        assertThat(overviewBlock()).doesNotContain("re-run Connect");
    }

    @Autowired
    com.returnbridge.vendor.VendorTimeouts timeouts;

    @Test
    @Order(5)
    void aSignedDeliveryStoredAsUnreadableIsSentToTheAlertHook() throws Exception {
        var received = new java.util.concurrent.CopyOnWriteArrayList<String>();
        var hook = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        hook.createContext("/hook", exchange -> {
            received.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        hook.start();
        try {
            AlertNotifier notifier = new AlertNotifier(jdbc, java.time.Clock.systemUTC(),
                    "http://127.0.0.1:" + hook.getAddress().getPort() + "/hook", java.time.Duration.ofHours(1), 20, 10,
                    timeouts);
            notifier.check(); // from now on
            byte[] array = "[1,2,3]".getBytes(StandardCharsets.UTF_8);
            assertThat(Http.post(base() + "/webhooks/loop/" + ID, array, Map.of("Content-Type", "application/json",
                    "X-Loop-Signature", Signatures.sign(SandboxLoop.DEFAULT_WEBHOOK_SECRET, array))).status())
                    .isEqualTo(200);
            // answered once stored; the inbox's router writes the timeline entry the hook reads right after
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> connectionEvents()
                    .stream().anyMatch(e -> e.kind().equals("DELIVERY_UNREADABLE") && e.message().contains("JSON object")));
            assertThat(notifier.check()).isGreaterThanOrEqualTo(1);
            assertThat(received).anyMatch(text -> text.contains(ID) && text.contains("could not be read")
                    && text.contains("body is not a JSON object") && !text.contains("[1,2,3]"));
        } finally {
            hook.stop(0);
        }
    }
}
