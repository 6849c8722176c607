package com.returnbridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.returnbridge.bridge.LinkState;
import com.returnbridge.bridge.ReturnLink;
import com.returnbridge.bridge.ReturnLinks;
import com.returnbridge.bridge.Timeline;
import com.returnbridge.connection.Connections;
import com.returnbridge.connection.ReceiptRule;
import com.returnbridge.connection.StatusAction;
import com.returnbridge.connection.StatusPolicy;
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
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The per_item receipt rule over real HTTP against the simulators (issue 12): what came back is processed, what did
 * not is removed in Loop when it is a refund or store credit, and the rest is flagged for a person, each once.
 */
@ReturnbridgeTest
@FastJobs
@TestPropertySource(properties = {
        "returnbridge.jobs.order-lookup-window=PT4S",
        "returnbridge.http.read=PT2S",
        "returnbridge.jobs.uncertain-write-settle=PT3S",
        "returnbridge.jobs.transient-give-up=PT5S",
        "returnbridge.jobs.processing-confirm-after=PT2S"})
@org.springframework.context.annotation.Import(PerItemEndToEndTest.RecordingAfterDecision.class)
abstract class PerItemEndToEndTest {

    /**
     * Stands where grading will: what the decision hands on, per return. Registered by the test, so the bridge's
     * no-op default must step aside (or be harmless next to it).
     */
    static class RecordingAfterDecision implements com.returnbridge.bridge.AfterDecision {
        static final Map<String, List<com.returnbridge.bridge.LineReceipt>> SEEN =
                new java.util.concurrent.ConcurrentHashMap<>();

        @Override
        public void decided(com.returnbridge.connection.Connection connection, String loopReturnId,
                            List<com.returnbridge.bridge.LineReceipt> lines) {
            SEEN.put(connection.id() + "/" + loopReturnId, List.copyOf(lines));
        }
    }

    static final String PER_ITEM = "peritem";
    /** A per_item connection that counts no condition as a problem. */
    static final String LENIENT = "peritem-lenient";
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final JsonMapper JSON = JsonMapper.builder().build();

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
    Connections connections;
    @Autowired
    ReturnLinks links;
    @Autowired
    Timeline timeline;
    @Autowired
    @Qualifier("sandboxShipHeroWebhooks")
    SandboxWebhookSender shipheroWebhooks;

    @BeforeEach
    void perItemConnections() {
        StatusPolicy perItem = new StatusPolicy(StatusPolicy.DEFAULT_PROCESS, StatusPolicy.DEFAULT_FLAG,
                StatusPolicy.DEFAULT_IGNORE, StatusAction.IGNORE, ReceiptRule.PER_ITEM);
        if (connections.find(PER_ITEM).isEmpty()) {
            sandbox.register(PER_ITEM, null, perItem);
        }
        if (connections.find(LENIENT).isEmpty()) {
            sandbox.register(LENIENT, null, perItem.withProblemConditions(List.of()));
        }
    }

    // ------------------------------------------------------------------ helpers

    /** A return of one unit per SKU; {@code exchanges} are exchanged, the rest refunded. */
    SandboxDemo.DemoReturn newReturn(String connection, List<String> skus, String... exchanges) {
        List<String> exchanged = List.of(exchanges);
        SandboxDemo.DemoReturn created = demo.createReturn(connection, skus.stream().map(s -> new SandboxDemo.DemoItem(
                s, 1, exchanged.contains(s) ? NewReturn.Outcome.EXCHANGE : NewReturn.Outcome.REFUND)).toList(), null);
        awaitState(connection, created.loopReturnId(), LinkState.RMA_CREATED);
        return created;
    }

    ReturnLink awaitState(String connection, long loopReturnId, LinkState state) {
        await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).until(() -> links
                .findByLoopId(connection, String.valueOf(loopReturnId)).map(l -> l.state() == state).orElse(false));
        return links.findByLoopId(connection, String.valueOf(loopReturnId)).orElseThrow();
    }

    List<String> story(ReturnLink link) {
        return timeline.forLink(link.id()).stream().map(e -> e.kind() + ": " + e.message()).toList();
    }

    /** Loop actions that took effect, in order. */
    List<String> loopActions(long loopReturnId) {
        return loop.actions(loopReturnId).stream().filter(ActionCall::performed).map(ActionCall::action).toList();
    }

    /** The return API's per-line verdicts: "SKU=verdict/outcome". */
    List<String> apiLines(String connection, long loopReturnId) {
        Http.Answer answer = Http.get("http://127.0.0.1:" + port + "/api/returns/" + connection + "/" + loopReturnId,
                Map.of("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        ("admin:" + ReturnbridgeTest.ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8))));
        assertThat(answer.status()).isEqualTo(200);
        JsonNode lines = JSON.readTree(answer.body()).path("lines");
        return lines.valueStream().map(l -> l.path("sku").asString() + "=" + l.path("verdict").asString() + "/"
                + l.path("outcome").asString()).toList();
    }

    void settle() {
        Timing.holdFor(Duration.ofMillis(1500), "no further job or simulated-vendor write changes this return");
    }

    /** Loop closed the return before the RMA was closed, and only after Loop accepted Remove Line Items. */
    void assertRemovedThenClosedByLoopThenRmaClosed(ReturnLink link) {
        List<String> kinds = timeline.forLink(link.id()).stream().map(e -> e.kind() + " " + e.message()).toList();
        int removed = indexOf(kinds, "LOOP_LINES_REMOVED") ;
        int loopClosed = -1;
        for (int i = 0; i < kinds.size(); i++) {
            if ((kinds.get(i).startsWith("LOOP_EVENT") && kinds.get(i).contains("(state closed)"))
                    || kinds.get(i).startsWith("LOOP_CLOSED_READ")) {
                loopClosed = i;
                break;
            }
        }
        int rmaClosed = indexOf(kinds, "RMA_CLOSED");
        assertThat(removed).as(kinds.toString()).isNotNegative();
        assertThat(loopClosed).as(kinds.toString()).isNotNegative();
        assertThat(rmaClosed).as(kinds.toString()).isGreaterThan(loopClosed);
    }

    private static int indexOf(List<String> entries, String kind) {
        for (int i = 0; i < entries.size(); i++) {
            if (entries.get(i).startsWith(kind)) {
                return i;
            }
        }
        return -1;
    }

    // ------------------------------------------------------------------ the flows

    @Test
    void everyLineReceivedIsProcessedAsToday() {
        var created = newReturn(PER_ITEM, List.of("PI-TEE", "PI-HAT"), "PI-HAT");
        demo.receive(created.loopReturnId(), "Warehouse Complete", "all", null);
        ReturnLink link = awaitState(PER_ITEM, created.loopReturnId(), LinkState.CLOSED);
        assertThat(loopActions(created.loopReturnId())).containsExactly("process");
        assertThat(story(link)).anyMatch(s -> s.startsWith("LINE_DECISION") && s.contains("PI-TEE")
                && s.contains("received"));
        assertThat(apiLines(PER_ITEM, created.loopReturnId()))
                .containsExactly("PI-TEE=received/refund", "PI-HAT=received/exchange");
    }

    @Test
    void withoutLoopsWebhooksTheRemovalIsConfirmedByReadingTheReturnAndTheTimelineNamesTheRemoval() {
        loop.setProcessingWebhooks(false);
        var created = newReturn(PER_ITEM, List.of("RQ-TEE", "RQ-HAT"));
        long id = created.loopReturnId();
        demo.receive(id, "Warehouse Complete", "RQ-TEE:0", null);
        ReturnLink link = awaitState(PER_ITEM, id, LinkState.CLOSED);
        assertThat(loopActions(id)).containsExactly("note", "remove");
        assertThat(story(link)).anyMatch(s -> s.startsWith("LOOP_CLOSED_READ")
                && s.contains("after Remove Line Items; Return Details say the return is closed"));
    }

    @Test
    void aMissingRefundLineIsRemovedAfterANoteAndTheRestIsProcessedAndClosedByLoop() {
        var created = newReturn(PER_ITEM, List.of("RM-TEE", "RM-HAT", "RM-SOCK"), "RM-SOCK");
        long id = created.loopReturnId();
        demo.receive(id, "Warehouse Complete", "RM-TEE:0", null);
        ReturnLink link = awaitState(PER_ITEM, id, LinkState.CLOSED);
        settle();
        assertThat(loopActions(id)).containsExactly("note", "remove");
        assertThat(loop.notes(id)).containsExactly("Returnbridge: 2 of 3 received (ShipHero RMA "
                + link.shipheroLegacyId() + "); removed: RM-TEE ×1, not in the parcel");
        var inLoop = loop.returnById(id).orElseThrow();
        assertThat(inLoop.state()).isEqualTo("closed");
        assertThat(inLoop.lineItems()).extracting(i -> i.sku()).containsExactly("RM-HAT", "RM-SOCK");
        assertRemovedThenClosedByLoopThenRmaClosed(link);
        assertThat(shiphero.returnById(link.shipheroReturnId()).orElseThrow().statusHistory())
                .containsExactly("Complete");
        assertThat(apiLines(PER_ITEM, id))
                .containsExactly("RM-TEE=missing/refund", "RM-HAT=received/refund", "RM-SOCK=received/exchange");
        // the 3PL's billing export counts the line Loop removed
        java.time.LocalDate today = java.time.LocalDate.now(java.time.ZoneOffset.UTC);
        Http.Answer billing = http("GET", "/api/connections/" + PER_ITEM + "/billing?from=" + today.minusDays(1)
                + "&to=" + today.plusDays(1), null);
        assertThat(billing.status()).as(billing.body()).isEqualTo(200);
        assertThat(JSON.readTree(billing.body()).path("returns").valueStream()
                .filter(r -> r.path("loopReturnId").asString().equals(String.valueOf(id))).findFirst().orElseThrow()
                .path("removedLineItems").asInt()).isEqualTo(1);
        // what grading gets: every Loop line item as the warehouse saw it
        assertThat(RecordingAfterDecision.SEEN.get(PER_ITEM + "/" + id))
                .extracting(com.returnbridge.bridge.LineReceipt::sku, com.returnbridge.bridge.LineReceipt::received,
                        com.returnbridge.bridge.LineReceipt::restocked)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("RM-TEE", 0, 0),
                        org.assertj.core.groups.Tuple.tuple("RM-HAT", 1, 1),
                        org.assertj.core.groups.Tuple.tuple("RM-SOCK", 1, 1));
        assertThat(RecordingAfterDecision.SEEN.get(PER_ITEM + "/" + id))
                .allMatch(l -> l.loopLineItemId() != null && l.expected() == 1);
    }

    @Test
    void aMissingExchangeLineIsFlaggedWithANoteNamingIt() {
        var created = newReturn(PER_ITEM, List.of("EX-TEE", "EX-HAT"), "EX-HAT");
        long id = created.loopReturnId();
        demo.receive(id, "Warehouse Complete", "EX-HAT:0", null);
        awaitState(PER_ITEM, id, LinkState.FLAGGED);
        settle();
        assertThat(loopActions(id)).containsExactly("flag", "note");
        assertThat(loop.notes(id).get(0)).contains("EX-HAT ×1, missing (exchange)");
        assertThat(loop.returnById(id).orElseThrow().lineItems()).hasSize(2);
        assertThat(apiLines(PER_ITEM, id)).containsExactly("EX-TEE=received/refund", "EX-HAT=missing/exchange");
    }

    @Test
    void aDamagedLineIsFlaggedWhereDamagedIsAProblemAndProcessedWhereItIsNot() {
        var strict = newReturn(PER_ITEM, List.of("DM-TEE", "DM-HAT"));
        demo.receive(strict.loopReturnId(), "Warehouse Complete", "all", "DM-HAT:damaged");
        awaitState(PER_ITEM, strict.loopReturnId(), LinkState.FLAGGED);
        assertThat(loop.notes(strict.loopReturnId()).get(0)).contains("DM-HAT ×1, condition 'damaged'");
        assertThat(apiLines(PER_ITEM, strict.loopReturnId())).contains("DM-HAT=problem/refund");

        var lenient = newReturn(LENIENT, List.of("DM-TEE", "DM-HAT"));
        demo.receive(lenient.loopReturnId(), "Warehouse Complete", "all", "DM-HAT:damaged");
        awaitState(LENIENT, lenient.loopReturnId(), LinkState.CLOSED);
        assertThat(loopActions(lenient.loopReturnId())).containsExactly("process");
    }

    @Test
    void theSameCompletionDeliveredThreeTimesRemovesOnceWithOneNote() {
        shipheroWebhooks.deliveryFaults(0, 3, 3);
        var created = newReturn(PER_ITEM, List.of("D3-TEE", "D3-HAT"));
        long id = created.loopReturnId();
        demo.receive(id, "Warehouse Complete", "D3-HAT:0", null);
        awaitState(PER_ITEM, id, LinkState.CLOSED);
        settle();
        assertThat(loopActions(id)).containsExactly("note", "remove");
        assertThat(loop.notes(id)).hasSize(1);
    }

    @Test
    void aRemoveWhoseAnswerWasLostIsFoundDoneInLoopAndNotAskedAgain() {
        var created = newReturn(PER_ITEM, List.of("LOST-TEE", "LOST-HAT"));
        long id = created.loopReturnId();
        // Loop removes the line but the connection drops before its answer, as when we crash mid-call
        loop.faults().inject("remove", SandboxFaults.Fault.of(SandboxFaults.Kind.CONNECTION_RESET), 1);
        demo.receive(id, "Warehouse Complete", "LOST-TEE:0", null);
        ReturnLink link = awaitState(PER_ITEM, id, LinkState.CLOSED);
        settle();
        assertThat(loop.actions(id)).extracting(ActionCall::action).containsExactly("note", "remove");
        assertThat(loop.notes(id)).hasSize(1);
        assertThat(story(link)).anyMatch(s -> s.startsWith("LOOP_ACTION_FOUND") && s.contains("remove"));
    }

    @Test
    void whenLoopFailsToProcessTheRestAfterTheRemovalRetryNowProcessesItWithoutRemovingAgain() {
        var created = newReturn(PER_ITEM, List.of("PF-TEE", "PF-HAT"));
        long id = created.loopReturnId();
        loop.faults().inject("remove", SandboxFaults.Fault.processingFailed("Refund failed"), 1);
        demo.receive(id, "Warehouse Complete", "PF-TEE:0", null);
        ReturnLink link = awaitState(PER_ITEM, id, LinkState.NEEDS_ATTENTION);
        assertThat(link.attentionReason()).contains("Refund failed");
        Http.Answer retry = http("POST", "/api/returns/" + PER_ITEM + "/" + id + "/retry", null);
        assertThat(retry.status()).as(retry.body()).isEqualTo(200);
        awaitState(PER_ITEM, id, LinkState.CLOSED);
        settle();
        assertThat(loopActions(id)).containsExactly("note", "remove", "process");
        assertThat(loop.returnById(id).orElseThrow().lineItems()).extracting(i -> i.sku()).containsExactly("PF-HAT");
    }

    @Test
    void loopRefusingTheRemovalFallsBackToFlagWithANoteNamingEachLine() {
        var created = newReturn(PER_ITEM, List.of("NO-TEE", "NO-HAT"));
        long id = created.loopReturnId();
        loop.faults().inject("remove", SandboxFaults.Fault.refuse(null), 1);
        demo.receive(id, "Warehouse Complete", "NO-TEE:0", null);
        ReturnLink link = awaitState(PER_ITEM, id, LinkState.FLAGGED);
        settle();
        assertThat(loopActions(id)).containsExactly("note", "flag", "note");
        assertThat(loop.notes(id).get(1)).contains("NO-TEE ×1, missing (refund)")
                .contains("Not all line items qualify for removal");
        assertThat(story(link)).anyMatch(s -> s.startsWith("LOOP_REMOVE_REFUSED"));
        assertThat(loop.returnById(id).orElseThrow().lineItems()).hasSize(2);
    }

    Http.Answer http(String method, String path, String body) {
        return Http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        ("admin:" + ReturnbridgeTest.ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/json")
                .method(method, body == null ? java.net.http.HttpRequest.BodyPublishers.noBody()
                        : java.net.http.HttpRequest.BodyPublishers.ofString(body)).build());
    }

    @Test
    void anOperatorTurnsPerItemOnThroughTheApiAndTheDemoShowsAPartialReturnProcessed() {
        String id = "peritem-api";
        if (connections.find(id).isEmpty()) {
            sandbox.register(id, null, StatusPolicy.defaults());
        }
        Http.Answer refused = http("PUT", "/api/connections/" + id + "/mapping", "{\"receiptRule\":\"per_unit\"}");
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.body()).contains("per_item");
        Http.Answer saved = http("PUT", "/api/connections/" + id + "/mapping",
                "{\"receiptRule\":\"per_item\",\"problemConditions\":[\"Scratched\"]}");
        assertThat(saved.status()).as(saved.body()).isEqualTo(200);
        JsonNode view = JSON.readTree(saved.body());
        assertThat(view.path("receiptRule").asString()).isEqualTo("per_item");
        assertThat(view.path("problemConditions").valueStream().map(JsonNode::asString).toList())
                .containsExactly("Scratched");

        Http.Answer created = http("POST", "/sandbox/demo/returns?connection=" + id
                + "&sku=API-TEE&sku=API-HAT&sku=API-CAP&outcome=API-CAP:exchange", null);
        assertThat(created.status()).as(created.body()).isEqualTo(200);
        long loopId = JSON.readTree(created.body()).path("loopReturnId").asLong();
        awaitState(id, loopId, LinkState.RMA_CREATED);
        assertThat(http("POST", "/sandbox/demo/returns/" + loopId + "/warehouse?received=API-TEE:x", null).status())
                .isEqualTo(400);
        Http.Answer received = http("POST", "/sandbox/demo/returns/" + loopId
                + "/warehouse?status=Warehouse%20Complete&received=API-TEE:0,API-HAT:1&condition=API-CAP:like%20new",
                null);
        assertThat(received.status()).as(received.body()).isEqualTo(200);
        awaitState(id, loopId, LinkState.CLOSED);
        assertThat(loopActions(loopId)).containsExactly("note", "remove");
        assertThat(apiLines(id, loopId))
                .containsExactly("API-TEE=missing/refund", "API-HAT=received/refund", "API-CAP=received/exchange");
    }

    @Test
    void theDefaultConnectionStillFlagsAPartialReturnWhole() {
        var created = demo.createReturn(SandboxConnection.ID, List.of(new SandboxDemo.DemoItem("ALL-TEE", 1),
                new SandboxDemo.DemoItem("ALL-HAT", 1)), null);
        awaitState(SandboxConnection.ID, created.loopReturnId(), LinkState.RMA_CREATED);
        demo.receive(created.loopReturnId(), "Warehouse Complete", "ALL-TEE:0", null);
        awaitState(SandboxConnection.ID, created.loopReturnId(), LinkState.FLAGGED);
        settle();
        assertThat(loopActions(created.loopReturnId())).containsExactly("flag", "note");
        // the lines go on after the decision whatever the rule
        assertThat(RecordingAfterDecision.SEEN.get(SandboxConnection.ID + "/" + created.loopReturnId()))
                .extracting(com.returnbridge.bridge.LineReceipt::sku, com.returnbridge.bridge.LineReceipt::received)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("ALL-TEE", 0),
                        org.assertj.core.groups.Tuple.tuple("ALL-HAT", 1));
    }
}
