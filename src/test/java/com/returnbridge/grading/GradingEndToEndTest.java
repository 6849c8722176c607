package com.returnbridge.grading;

import com.returnbridge.support.AlertReceiver;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.returnbridge.bridge.LineReceipt;
import com.returnbridge.bridge.LinkState;
import com.returnbridge.bridge.ReturnLink;
import com.returnbridge.bridge.ReturnLinks;
import com.returnbridge.bridge.Timeline;
import com.returnbridge.connection.Connections;
import com.returnbridge.onboarding.Onboarding;
import com.returnbridge.sandbox.SandboxConnection;
import com.returnbridge.sandbox.SandboxDemo;
import com.returnbridge.sandbox.SandboxFaults;
import com.returnbridge.sandbox.loop.Dispositioning;
import com.returnbridge.sandbox.loop.LoopReturnView;
import com.returnbridge.sandbox.loop.SandboxLoop;
import com.returnbridge.sandbox.shiphero.SandboxShipHero;
import com.returnbridge.support.FastJobs;
import com.returnbridge.support.Http;
import com.returnbridge.support.ReturnbridgeTest;
import com.returnbridge.support.Timing;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Grading and disposition sent to the simulated Loop over real HTTP, and the restock guard end to end: a return is
 * created in Loop, its RMA in ShipHero, the warehouse completes it and Loop processes it; the per-line counts are
 * then announced to grading as the per-item decision announces them (driven here directly, the decision's own call
 * is wired by the per-item work). Loop's restock.requested arrives as a signed webhook from the simulated Loop.
 */
@ReturnbridgeTest
@FastJobs
abstract class GradingEndToEndTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String ID = SandboxConnection.ID;
    private static final AlertReceiver ALERT_RECEIVER = AlertReceiver.start();
    static final java.util.concurrent.ConcurrentLinkedQueue<String> ALERTS = ALERT_RECEIVER.alerts();

    @DynamicPropertySource
    static void alertHook(DynamicPropertyRegistry registry) {
        registry.add("returnbridge.alerts.webhook-url",
                ALERT_RECEIVER::url);
        registry.add("returnbridge.alerts.poll", () -> "PT0.5S");
        registry.add("returnbridge.alerts.max-per-hour", () -> "1000");
    }

    @LocalServerPort
    int port;
    @Autowired
    SandboxDemo demo;
    @Autowired
    SandboxLoop loop;
    @Autowired
    SandboxShipHero shiphero;
    @Autowired
    ReturnLinks links;
    @Autowired
    Timeline timeline;
    @Autowired
    Connections connections;
    @Autowired
    Grading grading;
    @Autowired
    Onboarding onboarding;
    @Autowired
    MeterRegistry meters;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    GradingStore store;

    // ------------------------------------------------------------------ helpers

    /**
     * A return of one unit per SKU, its RMA received and completed, and the decision taken (which hands the lines to
     * grading). A spec is a SKU (received and restocked, no condition) or "SKU:received:restocked:condition" (condition
     * may be empty), what the warehouse records for that line.
     */
    LoopReturnView processedReturn(String... specs) {
        Map<String, com.returnbridge.sandbox.shiphero.SandboxShipHero.LineReceipt> recorded =
                new java.util.LinkedHashMap<>();
        for (String spec : specs) {
            String[] p = spec.split(":", -1);
            recorded.put(p[0], p.length == 1 ? new com.returnbridge.sandbox.shiphero.SandboxShipHero.LineReceipt(1, 1,
                    null) : new com.returnbridge.sandbox.shiphero.SandboxShipHero.LineReceipt(Integer.parseInt(p[1]),
                    Integer.parseInt(p[2]), p[3].isEmpty() ? null : p[3]));
        }
        var created = demo.createReturn(ID, recorded.keySet().stream().map(s -> new SandboxDemo.DemoItem(s, 1))
                .toList(), null);
        ReturnLink link = awaitState(created.loopReturnId(), LinkState.RMA_CREATED);
        shiphero.receiveLines(link.shipheroReturnId(), recorded, "Warehouse Complete");
        await().atMost(WAIT).until(() -> java.util.EnumSet.of(LinkState.PROCESSED, LinkState.CLOSED, LinkState.FLAGGED)
                .contains(link(created.loopReturnId()).state()));
        return loop.returnById(created.loopReturnId()).orElseThrow();
    }

    ReturnLink awaitState(long loopReturnId, LinkState state) {
        await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).until(() -> links
                .findByLoopId(ID, String.valueOf(loopReturnId)).map(l -> l.state() == state).orElse(false));
        return link(loopReturnId);
    }

    ReturnLink link(long loopReturnId) {
        return links.findByLoopId(ID, String.valueOf(loopReturnId)).orElseThrow();
    }

    List<String> story(long loopReturnId) {
        return timeline.forLink(link(loopReturnId).id()).stream().map(e -> e.kind() + ": " + e.message()).toList();
    }

    /** The line item of the SKU, as the warehouse saw it. */
    static LineReceipt line(LoopReturnView r, String sku, int received, int restocked, String condition) {
        LoopReturnView.LineItem item = r.lineItems().stream().filter(l -> l.sku().equals(sku)).findFirst().orElseThrow();
        return new LineReceipt(String.valueOf(item.lineItemId()), sku, 1, received, restocked, condition);
    }

    void announce(LoopReturnView r, LineReceipt... lines) {
        grading.decided(connections.get(ID), String.valueOf(r.id()), List.of(lines));
    }

    Dispositioning loopGrading() {
        return loop.dispositioning();
    }

    Http.Answer api(String method, String path, String body) {
        String basic = "Basic " + Base64.getEncoder().encodeToString(("admin:" + ReturnbridgeTest.ADMIN_PASSWORD)
                .getBytes(StandardCharsets.UTF_8));
        return Http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(20)).header("Authorization", basic)
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body)).build());
    }

    void gradingOn() {
        Http.Answer answer = api("PUT", "/api/connections/" + ID + "/grading", """
                {"enabled": true, "conditions": {"Good": "grade_b", "Damaged": "grade_d", "Like New": "grade_a"},
                 "unmappedCondition": "none",
                 "dispositions": {"restocked": "back_to_stock", "not_restocked": "resale_hold", "missing": "missing"}}""");
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    }

    static void settle() {
        Timing.holdFor(Duration.ofMillis(1500), "no further grade-return run sends anything for this return");
    }

    // ------------------------------------------------------------------ grading

    @Test
    void aDamagedLineAndAGoodLineGetOneGradeAndOneDispositionEachWithTheMappedCategories() {
        gradingOn();
        LoopReturnView r = processedReturn("TEE-GOOD:1:1:good", "MUG-DAMAGED:1:0:DAMAGED");

        announce(r, line(r, "TEE-GOOD", 1, 1, "good"), line(r, "MUG-DAMAGED", 1, 0, "DAMAGED"));

        await().atMost(WAIT).until(() -> loopGrading().assessments(r.id()).size() == 2);
        assertThat(loopGrading().grades(r.id())).extracting(Dispositioning.Grade::lineItemId,
                Dispositioning.Grade::category).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple(Long.parseLong(line(r, "TEE-GOOD", 1, 1, null).loopLineItemId()),
                        "grade_b"),
                org.assertj.core.groups.Tuple.tuple(Long.parseLong(line(r, "MUG-DAMAGED", 1, 0, null).loopLineItemId()),
                        "grade_d"));
        assertThat(loopGrading().grades(r.id())).allSatisfy(g -> assertThat(g.description()).contains("condition"));
        assertThat(loopGrading().assessments(r.id())).extracting(Dispositioning.Assessment::outcome)
                .containsExactlyInAnyOrder("back_to_stock", "resale_hold");
        // Loop keeps the items before our answer is written down: the timeline follows a moment later
        await().atMost(WAIT).untilAsserted(() -> assertThat(story(r.id()))
                .anyMatch(s -> s.startsWith("GRADING_SENT") && s.contains("grade_d"))
                .anyMatch(s -> s.startsWith("GRADING_SENT") && s.contains("resale_hold")));
    }

    @Test
    void anUnmappedConditionGetsNoGradeButItsDispositionIsSentAndAMissingLineIsMissing() {
        gradingOn();
        LoopReturnView r = processedReturn("SOCK-SCUFFED:1:0:Scuffed", "HAT-LOST:0:0:");

        announce(r, line(r, "SOCK-SCUFFED", 1, 0, "Scuffed"), line(r, "HAT-LOST", 0, 0, null));

        await().atMost(WAIT).until(() -> loopGrading().assessments(r.id()).size() == 2);
        settle();
        assertThat(loopGrading().grades(r.id())).isEmpty();
        assertThat(loopGrading().assessments(r.id())).extracting(Dispositioning.Assessment::outcome)
                .containsExactlyInAnyOrder("resale_hold", "missing");
    }

    @Test
    void loopRefusingGradingIsOnTheTimelineAndTheReturnIsStillProcessed() {
        gradingOn();
        loopGrading().refuseWith("Item grading is not enabled for this shop.");
        LoopReturnView r = processedReturn("TEE-REFUSED:1:1:Good");

        announce(r, line(r, "TEE-REFUSED", 1, 1, "Good"));

        await().atMost(WAIT).until(() -> story(r.id()).stream().filter(s -> s.startsWith("GRADING_REFUSED")).count() == 2);
        assertThat(story(r.id())).filteredOn(s -> s.startsWith("GRADING_REFUSED"))
                .allMatch(s -> s.contains("Item grading is not enabled for this shop.")
                        && s.contains("the refund is not affected"));
        awaitState(r.id(), LinkState.CLOSED);
        assertThat(loop.returnById(r.id()).orElseThrow().state()).isEqualTo(LoopReturnView.CLOSED);
        assertThat(loopGrading().grades(r.id())).isEmpty();
    }

    @Test
    void theDecisionAnnouncedThreeTimesGradesEachLineOnce() {
        gradingOn();
        LoopReturnView r = processedReturn("TEE-THRICE:1:1:Good", "CAP-THRICE:1:0:Damaged");
        LineReceipt[] lines = {line(r, "TEE-THRICE", 1, 1, "Good"), line(r, "CAP-THRICE", 1, 0, "Damaged")};

        // twice before the grade-return job has run, once after it sent everything
        announce(r, lines);
        announce(r, lines);
        await().atMost(WAIT).until(() -> loopGrading().assessments(r.id()).size() >= 2);
        announce(r, lines);
        settle();

        assertThat(loopGrading().grades(r.id())).hasSize(2);
        assertThat(loopGrading().assessments(r.id())).hasSize(2);
    }

    @Test
    void aGradeLoopTookButWhoseAnswerWasLostOrThatACrashInterruptedIsNeverSentTwice() {
        // grading turned on after the decision, so its announcement below is the first that sends, after the staging
        assertThat(api("PUT", "/api/connections/" + ID + "/grading", "{\"enabled\": false}").status()).isEqualTo(200);
        LoopReturnView r = processedReturn("TEE-LOST-ANSWER:1:1:Good", "CAP-CRASHED:1:1:Good");
        gradingOn();
        LineReceipt lost = line(r, "TEE-LOST-ANSWER", 1, 1, "Good");
        LineReceipt crashed = line(r, "CAP-CRASHED", 1, 1, "Good");
        // A run that stopped after writing down the grade of the second line, before Loop's answer was kept
        store.sending(ID, String.valueOf(r.id()), GradeReturnJob.GRADE, Map.of(crashed.loopLineItemId(), "grade_b"));
        // Loop keeps the first grade but its answer is lost (HTTP 500 after the work)
        loop.faults().inject("grade", SandboxFaults.Fault.of(SandboxFaults.Kind.FAIL_AFTER_EXECUTE), 1);

        announce(r, lost, crashed);
        await().atMost(WAIT).until(() -> loopGrading().assessments(r.id()).size() == 2);
        announce(r, lost, crashed);
        settle();

        assertThat(loopGrading().grades(r.id())).extracting(Dispositioning.Grade::lineItemId)
                .containsExactly(Long.parseLong(lost.loopLineItemId()));
        await().atMost(WAIT).untilAsserted(() -> assertThat(story(r.id()))
                .anyMatch(s -> s.startsWith("GRADING_REFUSED") && s.contains("when the bridge stopped"))
                .anyMatch(s -> s.startsWith("GRADING_REFUSED") && s.contains("may or may not have reached Loop")));
    }

    @Test
    void withGradingOffNothingIsSent() {
        Http.Answer off = api("PUT", "/api/connections/" + ID + "/grading", "{\"enabled\": false}");
        assertThat(off.status()).as(off.body()).isEqualTo(200);
        LoopReturnView r = processedReturn("TEE-OFF:1:1:Damaged");

        announce(r, line(r, "TEE-OFF", 1, 1, "Damaged"));
        settle();

        assertThat(loopGrading().grades(r.id())).isEmpty();
        assertThat(loopGrading().assessments(r.id())).isEmpty();
        assertThat(story(r.id())).noneMatch(s -> s.startsWith("GRADING_"));
    }

    @Test
    void theGradingTablesAreEditedThroughTheApiAndABadCategoryIsRefusedWithAReasonNothingSaved() {
        gradingOn();
        Http.Answer bad = api("PUT", "/api/connections/" + ID + "/grading",
                "{\"conditions\": {\"Damaged\": \"grade_z\"}, \"enabled\": false}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body()).contains("grade_z").contains("grade_a");
        Http.Answer badDisposition = api("PUT", "/api/connections/" + ID + "/grading",
                "{\"dispositions\": {\"restocked\": \"shred\"}}");
        assertThat(badDisposition.status()).isEqualTo(400);
        assertThat(badDisposition.body()).contains("shred").contains("back_to_stock");

        Http.Answer read = api("GET", "/api/connections/" + ID + "/grading", null);
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.body()).contains("\"enabled\":true").contains("\"Damaged\":\"grade_d\"")
                .contains("\"origin\":\"stored\"");
        assertThat(api("GET", "/api/connections/nobody/grading", null).status()).isEqualTo(404);
    }

    // ------------------------------------------------------------------ restock guard

    @Test
    void loopRestockingAReturnShipHeroRestockedIsOnTheTimelineAlertedCountedAndWrongOnTheChecklistForAWeek() {
        ALERTS.clear();
        double before = doubledCount();
        loop.setRestocksInLoop(true);
        LoopReturnView r = processedReturn("TEE-RESTOCKED:1:1:Good");
        announce(r, line(r, "TEE-RESTOCKED", 1, 1, "Good"));

        // Loop processes the return, closes it and sends restock.requested (signed) to our webhook endpoint
        await().atMost(WAIT).until(() -> story(r.id()).stream().anyMatch(s -> s.startsWith("RESTOCK_DOUBLED")));
        assertThat(story(r.id())).anyMatch(s -> s.startsWith("RESTOCK_REQUESTED"))
                .filteredOn(s -> s.startsWith("RESTOCK_DOUBLED")).hasSize(1).first().asString()
                .contains("restocked twice").contains("1 unit(s)");
        await().atMost(WAIT).until(() -> ALERTS.stream().anyMatch(a -> a.contains("restocked twice")
                && a.contains(String.valueOf(r.id()))));
        assertThat(doubledCount()).isEqualTo(before + 1);

        assertThat(onboarding.restockItem(ID)).contains("WRONG");
        Http.Answer guard = api("GET", "/api/connections/" + ID + "/restock-guard", null);
        assertThat(guard.status()).isEqualTo(200);
        assertThat(guard.body()).contains("\"wrong\":true");

        // A week later with no restock.requested since, the checklist shows the setting as right again
        Clock weekLater = Clock.offset(Clock.systemUTC(), RestockGuard.QUIET_PERIOD.plusHours(1));
        RestockGuard later = new RestockGuard(jdbc, weekLater, links, timeline, store, meters);
        assertThat(later.setting(ID).wrong()).isFalse();
        Onboarding laterOnboarding = new Onboarding(connections, null, null, null, null, timeline, null, "", later);
        assertThat(laterOnboarding.restockItem(ID)).doesNotContain("WRONG");
        // …but not a day later
        RestockGuard dayLater = new RestockGuard(jdbc, Clock.offset(Clock.systemUTC(), Duration.ofDays(1)), links,
                timeline, store, meters);
        assertThat(dayLater.setting(ID).wrong()).isTrue();
    }

    @Test
    void aReturnShipHeroDidNotRestockIsNotCountedTwice() {
        loop.setRestocksInLoop(true);
        LoopReturnView r = processedReturn("TEE-NOT-RESTOCKED:1:0:Damaged");
        announce(r, line(r, "TEE-NOT-RESTOCKED", 1, 0, "Damaged"));
        await().atMost(WAIT).until(() -> story(r.id()).stream().anyMatch(s -> s.startsWith("RESTOCK_REQUESTED")));
        settle();
        assertThat(story(r.id())).noneMatch(s -> s.startsWith("RESTOCK_DOUBLED"));
    }

    private double doubledCount() {
        var counter = meters.find("returnbridge.restock.doubled").tag("connection", ID).counter();
        return counter == null ? 0 : counter.count();
    }
}
