package com.returnbridge.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.returnbridge.support.Timing;
import com.returnbridge.bridge.LinkState;
import com.returnbridge.bridge.ReturnLink;
import com.returnbridge.bridge.Timeline;
import com.returnbridge.onboarding.Onboarding;
import com.returnbridge.sandbox.SandboxDemo;
import com.returnbridge.sandbox.SandboxFaults;
import com.returnbridge.sandbox.SandboxWebhookSender;
import com.returnbridge.sandbox.loop.NewReturn;
import com.returnbridge.sandbox.loop.SandboxLoop;
import com.returnbridge.sandbox.shiphero.SandboxShipHero;
import com.returnbridge.support.Http;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import tools.jackson.databind.JsonNode;

/**
 * The admin API against the simulators, over real HTTP with HTTP Basic: create a connection, Connect (webhooks
 * registered in both simulated vendors), then pause/resume, retry after a failure, the mapping editor, replay and
 * backfill. Methods run in order on one connection, as an operator would.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleApiFlowTest extends ConsoleTestBase {

    private static final String ID = "flow";
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Autowired
    SandboxDemo demo;
    @Autowired
    SandboxLoop loop;
    @Autowired
    SandboxShipHero shiphero;
    @Autowired
    Timeline timeline;
    @Autowired
    @Qualifier("sandboxLoopWebhooks")
    SandboxWebhookSender loopWebhooks;

    ReturnLink awaitState(long loopReturnId, LinkState state) {
        return awaitState(ID, loopReturnId, state);
    }

    long newReturn() {
        return demo.createReturn(ID, List.of(new SandboxDemo.DemoItem("FLOW-TEE", 2)), null).loopReturnId();
    }

    List<String> kinds(ReturnLink link) {
        return timeline.forLink(link.id()).stream().map(Timeline.Entry::kind).toList();
    }

    @Test
    @Order(1)
    void createAndConnectRegistersWebhooksInBothVendorsAndKeepsTheShipHeroSecret() {
        JsonNode created = ok(call("POST", "/api/connections", sandboxConnectionJson(ID)));
        assertThat(created.path("loopApiKeySet").asBoolean()).isTrue();
        assertThat(created.toString()).doesNotContain(SandboxLoop.SANDBOX_API_KEY)
                .doesNotContain(SandboxLoop.DEFAULT_WEBHOOK_SECRET);

        loop.setWebhookCreateStatus(201); // Loop's current reference: POST /webhooks answers 201 Created
        JsonNode report = ok(call("POST", "/api/connections/" + ID + "/connect", null));
        assertThat(report.path("ok").asBoolean()).as(report.toString()).isTrue();
        assertThat(report.path("warehouses").get(0).path("id").asString()).isEqualTo(shiphero.warehouseId());
        String loopUrl = base() + "/webhooks/loop/" + ID;
        assertThat(loop.webhooks()).filteredOn(w -> w.url().equals(loopUrl) && w.active())
                .extracting(w -> w.trigger()).containsExactlyInAnyOrderElementsOf(Onboarding.LOOP_TRIGGERS);
        JsonNode view = ok(call("GET", "/api/connections/" + ID, null));
        assertThat(view.path("warehouseId").asString()).isEqualTo(shiphero.warehouseId());
        assertThat(view.path("shipheroWebhookSecretSet").asBoolean()).isTrue();

        assertThat(loop.webhooks()).filteredOn(w -> w.url().equals(loopUrl)
                && w.trigger().equals("return.processing.failed")).extracting(w -> w.topic())
                .containsExactly("return.processing");

        // Connect again: nothing duplicated.
        ok(call("POST", "/api/connections/" + ID + "/connect", null));
        assertThat(loop.webhooks()).filteredOn(w -> w.url().equals(loopUrl))
                .hasSize(Onboarding.LOOP_TRIGGERS.size());

        // An older Loop answering 200 to POST /webhooks is as good: the one missing subscription is created again.
        loop.setWebhookCreateStatus(200);
        try {
            var lost = loop.webhooks().stream().filter(w -> w.url().equals(loopUrl)
                    && w.trigger().equals("return.processing.failed")).findFirst().orElseThrow();
            new com.returnbridge.sandbox.loop.SandboxLoopApi(loop).deleteWebhook(SandboxLoop.SANDBOX_API_KEY, lost.id());
            JsonNode again = ok(call("POST", "/api/connections/" + ID + "/connect", null));
            assertThat(again.path("ok").asBoolean()).as(again.toString()).isTrue();
            assertThat(loop.webhooks()).filteredOn(w -> w.url().equals(loopUrl) && w.active())
                    .extracting(w -> w.trigger()).containsExactlyInAnyOrderElementsOf(Onboarding.LOOP_TRIGGERS);
        } finally {
            loop.setWebhookCreateStatus(201);
        }
    }

    @Test
    @Order(2)
    void aReturnGoesThroughOnTheNewConnection() {
        long id = newReturn();
        awaitState(id, LinkState.RMA_CREATED);
        demo.receive(id, "Warehouse Complete", "all");
        ReturnLink closed = awaitState(id, LinkState.CLOSED);
        // Closed once Loop said so: the RMA is closed after Loop's return.closed, not when Process was accepted.
        List<String> story = kinds(closed);
        assertThat(story.indexOf("RMA_CLOSED")).isGreaterThan(story.indexOf("LOOP_PROCESSED"));
        assertThat(timeline.forLink(closed.id()).stream().filter(e -> e.kind().equals("LOOP_EVENT")
                && e.message().contains("state closed")).findFirst()).isPresent();
        JsonNode detail = ok(call("GET", "/api/returns/" + ID + "/" + id, null));
        assertThat(detail.path("deliveries").size()).isGreaterThanOrEqualTo(2);
        assertThat(kinds(closed)).contains("RMA_CREATED", "DECISION", "LOOP_PROCESSED", "RMA_CLOSED");
        JsonNode found = ok(call("GET", "/api/returns?connection=" + ID + "&q=" + closed.shipheroLegacyId(), null));
        assertThat(found).hasSize(1);
    }

    @Test
    @Order(3)
    void pausedConnectionStoresDeliveriesAndWorkWaitsUntilResumed() throws Exception {
        ok(call("POST", "/api/connections/" + ID + "/pause", null));
        long id = newReturn();
        ReturnLink received = awaitState(id, LinkState.RECEIVED);
        Timing.holdFor(Duration.ofMillis(2500), "a paused connection must not create the RMA");
        assertThat(links.find(received.id()).orElseThrow().state()).isEqualTo(LinkState.RECEIVED);
        assertThat(shiphero.returnsByPartnerId(String.valueOf(id))).isEmpty();

        JsonNode resumed = ok(call("POST", "/api/connections/" + ID + "/resume", null));
        assertThat(resumed.path("message").asString()).contains("resumed");
        ReturnLink link = awaitState(id, LinkState.RMA_CREATED);
        assertThat(kinds(link)).contains("RMA_CREATED");
        assertThat(timeline.forLink(link.id())).isNotEmpty();
    }

    @Test
    @Order(4)
    void aFailureNeedsAttentionAndRetryFromTheApiFixesIt() {
        long id = newReturn();
        awaitState(id, LinkState.RMA_CREATED);
        loop.faults().inject("process", SandboxFaults.Fault.refuse("Return is open and therefore cannot be processed."), 1);
        demo.receive(id, "Warehouse Complete", "all");
        ReturnLink stuck = awaitState(id, LinkState.NEEDS_ATTENTION);
        assertThat(stuck.attentionReason()).contains("Loop refused Process");

        JsonNode retried = ok(call("POST", "/api/returns/" + ID + "/" + id + "/retry", null));
        assertThat(retried.path("changed").asBoolean()).isTrue();
        ReturnLink closed = awaitState(id, LinkState.CLOSED);
        assertThat(timeline.forLink(closed.id())).anyMatch(e -> e.kind().equals("OPERATOR_RETRY")
                && e.message().contains("by " + USER));
    }

    @Test
    @Order(5)
    void theMappingEditorChangesTheNextDecisionAndUnmappedStatusesAreListed() {
        long first = newReturn();
        awaitState(first, LinkState.RMA_CREATED);
        demo.receive(first, "QA Hold", "all");
        await().atMost(WAIT).until(() -> ok(call("GET", "/api/connections/" + ID + "/unmapped-statuses", null))
                .toString().contains("QA Hold"));
        assertThat(links.findByLoopId(ID, String.valueOf(first)).orElseThrow().state()).isEqualTo(LinkState.RMA_CREATED);
        JsonNode unmapped = ok(call("GET", "/api/returns?connection=" + ID + "&unmapped=true", null));
        assertThat(unmapped.toString()).contains(String.valueOf(first));

        ok(call("PUT", "/api/connections/" + ID + "/mapping", """
                {"flagStatuses":["Issue","Damaged","QA Hold"],"unmappedAction":"ignore"}"""));
        JsonNode rerun = ok(call("POST", "/api/returns/" + ID + "/" + first + "/rerun-decision", null));
        assertThat(rerun.path("changed").asBoolean()).isTrue();
        ReturnLink flagged = awaitState(first, LinkState.FLAGGED);
        assertThat(timeline.forLink(flagged.id())).anyMatch(e -> e.kind().equals("DECISION")
                && e.message().contains("'QA Hold' maps to flag"));
        assertThat(ok(call("GET", "/api/connections/" + ID + "/unmapped-statuses", null)).toString())
                .doesNotContain("QA Hold");
    }

    @Test
    @Order(6)
    void replayOfAStoredDeliveryNeverMakesASecondRma() {
        long id = newReturn();
        ReturnLink link = awaitState(id, LinkState.RMA_CREATED);
        JsonNode detail = ok(call("GET", "/api/returns/" + ID + "/" + id, null));
        long deliveryId = detail.path("deliveries").get(0).path("id").asLong();
        ok(call("POST", "/api/deliveries/" + deliveryId + "/replay", null));
        await().atMost(WAIT).until(() -> kinds(link).contains("OPERATOR_REPLAY"));
        assertThat(shiphero.returnsByPartnerId(String.valueOf(id))).hasSize(1);
    }

    @Test
    @Order(7)
    void backfillImportsAReturnWhoseWebhooksWereLostAndIsIdempotent() {
        loopWebhooks.deliveryFaults(1.0, 1);
        long n = System.nanoTime() % 1_000_000_000L;
        shiphero.createOrder(String.valueOf(n), "#" + n, "shop.myshopify.com", null, Map.of("LOST-1", 1));
        long lost = loop.createReturn(NewReturn.builder().orderName("#" + n).providerOrderId(String.valueOf(n))
                .item("LOST-1", "Lost", "Too big", 1).build()).id();
        loopWebhooks.clearDeliveryFaults();
        assertThat(links.findByLoopId(ID, String.valueOf(lost))).isEmpty();

        Http.Answer started = call("POST", "/api/connections/" + ID + "/backfill", "{\"returnIds\":[\"" + lost + "\"]}");
        assertThat(started.status()).as(started.body()).isEqualTo(202);
        JsonNode report = awaitRunEnded(json.readTree(started.body()));
        assertThat(report.path("state").asString()).isEqualTo("DONE");
        assertThat(report.path("created").asInt()).isEqualTo(1);
        awaitState(lost, LinkState.RMA_CREATED);

        String today = LocalDate.now(java.time.ZoneOffset.UTC).toString();
        Http.Answer again = call("POST", "/api/connections/" + ID + "/backfill",
                "{\"from\":\"" + today + "\",\"to\":\"" + today + "\"}");
        assertThat(again.status()).as(again.body()).isEqualTo(202);
        JsonNode second = awaitRunEnded(json.readTree(again.body()));
        assertThat(second.path("state").asString()).isEqualTo("DONE");
        assertThat(second.path("found").asInt()).isGreaterThanOrEqualTo(1);
        assertThat(second.path("duplicates").asInt() + second.path("updated").asInt()).isGreaterThanOrEqualTo(1);
        awaitState(lost, LinkState.RMA_CREATED);
        assertThat(shiphero.returnsByPartnerId(String.valueOf(lost))).hasSize(1);
    }

    /** Polls the run's status URL until it has ended. */
    JsonNode awaitRunEnded(JsonNode run) {
        String url = run.path("statusUrl").asString();
        JsonNode[] last = {run};
        await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> {
            last[0] = ok(call("GET", url, null));
            return !List.of("QUEUED", "RUNNING").contains(last[0].path("state").asString());
        });
        return last[0];
    }

    @Test
    @Order(8)
    void bulkRetryAndHealthAndMetrics() {
        long n = System.nanoTime() % 1_000_000_000L;
        long stuck = loop.createReturn(NewReturn.builder().orderName("#" + n).providerOrderId(String.valueOf(n))
                .item("NOPE-1", "Nope", "Other", 1).build()).id();
        awaitState(stuck, LinkState.NEEDS_ATTENTION);
        shiphero.createOrder(String.valueOf(n), "#" + n, "shop.myshopify.com", null, Map.of("NOPE-1", 1));
        JsonNode bulk = ok(call("POST", "/api/connections/" + ID + "/retry-attention", null));
        assertThat(bulk.path("message").asString()).contains("retried");
        awaitState(stuck, LinkState.RMA_CREATED);

        JsonNode health = ok(call("GET", "/actuator/health", null));
        assertThat(health.path("components").path("connections").path("details").path(ID).path("status").asString())
                .isIn("OK", "ATTENTION");
        String prometheus = call("GET", "/actuator/prometheus", null).body();
        assertThat(prometheus).contains("returnbridge_jobs_seconds_count").contains("returnbridge_operator_actions_total")
                .contains("returnbridge_vendor_calls_seconds_count").contains("returnbridge_deliveries_total");
    }
}
