package com.returnbridge.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.returnbridge.bridge.LinkState;
import com.returnbridge.bridge.ReturnLinks;
import com.returnbridge.sandbox.SandboxConnection;
import com.returnbridge.sandbox.SandboxDemo;
import com.returnbridge.sandbox.SandboxFaults;
import com.returnbridge.sandbox.SandboxWebhookSender;
import com.returnbridge.sandbox.loop.ActionCall;
import com.returnbridge.sandbox.loop.SandboxLoop;
import com.returnbridge.sandbox.shiphero.SandboxShipHero;
import com.returnbridge.support.FastJobs;
import com.returnbridge.support.Http;
import com.returnbridge.support.ReturnbridgeTest;
import com.returnbridge.support.Timing;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The ShipHero sweep over real HTTP against the simulators: a Return Update that never arrived is found and acted on
 * once, by the next ordinary sweep where a return's change moves its order's updated_at and by the full pass where it
 * does not; an ordinary sweep reads no unchanged waiting RMA; a failed page keeps the watermark. Time is moved in the
 * data instead of waited for (links made hours ago, a last full pass hours ago): the jobs run on the real clock. The
 * scheduled sweep is set hours apart so that only the test's sweeps run.
 */
@ReturnbridgeTest
@FastJobs
@TestPropertySource(properties = {
        "returnbridge.reconcile.interval=PT10H",
        "returnbridge.reconcile.overlap=PT0S",
        "returnbridge.reconcile.full-pass-interval=PT6H",
        "returnbridge.reconcile.full-pass-after=PT12H"})
abstract class SweepTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** Past full-pass-after: the links made before it are old, read in full only by the full pass. */
    private static final Duration AGED = Duration.ofHours(13);

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
    @Qualifier("sandboxShipHeroWebhooks")
    SandboxWebhookSender shipheroWebhooks;

    @Autowired
    JdbcClient jdbcBean;

    /**
     * No Return Update reaches the service in these tests, from the RMA's creation on: a late one for the creation
     * would start a re-read that finds the receipt before the sweep does.
     */
    @BeforeEach
    void noShipHeroWebhooks() {
        shipheroWebhooks.deliveryFaults(1.0, 1, 1);
    }

    @AfterEach
    void webhooksBack() {
        shipheroWebhooks.clearDeliveryFaults();
    }

    @Test
    void whereReturnChangesTouchTheOrderTheNextOrdinarySweepFindsTheMissedUpdateAndReadsNothingElse() {
        shiphero.setReturnChangesTouchOrder(true);
        long missed = waitingAndAged("SWEEP-TOUCH");
        long untouched = newReturnWithRma("SWEEP-STILL");
        ageWaitingLinks();
        JsonNode full = fullPass();
        assertThat(full.path("fullPass").asBoolean()).as(full.toString()).isTrue();

        warehouseReceivesWithoutWebhook(missed);
        shiphero.resetStats();
        JsonNode ordinary = sweep(false);

        assertThat(ordinary.path("fullPass").asBoolean()).as(ordinary.toString()).isFalse();
        assertThat(ordinary.path("rmasChanged").asInt()).as(ordinary.toString()).isEqualTo(1);
        assertThat(ordinary.path("rmasRead").asInt()).as(ordinary.toString()).isEqualTo(1);
        assertThat(ordinary.path("lastFullPass").asString()).isEqualTo(full.path("lastFullPass").asString());
        var stats = shiphero.stats();
        // no RMA read by creation window: only the orders ShipHero updated (reads by id are the started job's)
        assertThat(stats.requestsByOperation()).containsEntry("orders", 1L).doesNotContainKey("returns");
        assertThat(stats.creditsByOperation().get("orders")).isLessThan(30);
        awaitProcessedOnce(missed);
        assertThat(links.findByLoopId(SandboxConnection.ID, String.valueOf(untouched)).orElseThrow().state())
                .isEqualTo(LinkState.RMA_CREATED);
        assertThat(sweep(false).path("rmasChanged").asInt()).isZero();
        Timing.holdFor(Duration.ofMillis(1500), "no second Loop action for the return found once");
        assertThat(performed(missed)).containsExactly("process");
    }

    @Test
    void whereReturnChangesDoNotTouchTheOrderTheFullPassFindsTheMissedUpdateOnItsInterval() {
        shiphero.setReturnChangesTouchOrder(false);
        long missed = waitingAndAged("SWEEP-QUIET");
        ageWaitingLinks();
        fullPass();

        warehouseReceivesWithoutWebhook(missed);
        shiphero.resetStats();
        JsonNode ordinary = sweep(false);
        assertThat(ordinary.path("fullPass").asBoolean()).isFalse();
        assertThat(ordinary.path("rmasChanged").asInt()).as(ordinary.toString()).isZero();
        assertThat(shiphero.stats().requestsByOperation()).doesNotContainKey("returns");

        lastFullPassAgo(Duration.ofHours(6).plusMinutes(1));
        JsonNode due = sweep(false);
        assertThat(due.path("fullPass").asBoolean()).as(due.toString()).isTrue();
        assertThat(due.path("rmasChanged").asInt()).as(due.toString()).isEqualTo(1);
        assertThat(shiphero.stats().requestsByOperation()).containsKey("returns");
        awaitProcessedOnce(missed);
        Timing.holdFor(Duration.ofMillis(1500), "no second Loop action for the return found once");
        assertThat(performed(missed)).containsExactly("process");
    }

    @Test
    void aYoungWaitingReturnIsReadInFullByEveryOrdinarySweep() {
        shiphero.setReturnChangesTouchOrder(false);
        ageWaitingLinks();
        fullPass(); // every older link read: the next full pass is hours away
        long young = newReturnWithRma("SWEEP-YOUNG");
        warehouseReceivesWithoutWebhook(young);
        shiphero.resetStats();
        JsonNode ordinary = sweep(false);
        assertThat(ordinary.path("fullPass").asBoolean()).isFalse();
        assertThat(ordinary.path("rmasChanged").asInt()).as(ordinary.toString()).isEqualTo(1);
        assertThat(shiphero.stats().requestsByOperation()).containsEntry("returns", 1L);
        awaitProcessedOnce(young);
    }

    @Test
    void aPageThatFailsKeepsTheWatermarkSoTheNextSweepReadsTheWindowAgain() {
        shiphero.setReturnChangesTouchOrder(true);
        long missed = waitingAndAged("SWEEP-PAGE");
        ageWaitingLinks();
        fullPass();
        warehouseReceivesWithoutWebhook(missed);
        for (int i = 0; i < 60; i++) { // updated orders enough for a second page of 50
            shiphero.createOrder("page-" + System.nanoTime() + "-" + i, "#P" + i, "demo-shop.myshopify.com", null,
                    Map.of("TEE-BLK-M", 1));
        }
        // the first page answers (a zero delay), the second fails
        shiphero.faults().inject("orders", SandboxFaults.Fault.slow(Duration.ZERO), 1);
        shiphero.faults().inject("orders", SandboxFaults.Fault.of(SandboxFaults.Kind.SERVER_ERROR), 1);
        Instant watermark = ordersWatermark();
        shiphero.resetStats();
        JsonNode failed = sweep(false);
        assertThat(ordersWatermark()).isEqualTo(watermark);
        assertThat(failed.path("errors").toString()).as(failed.toString()).contains("ShipHero");
        assertThat(failed.path("rmasChanged").asInt()).isZero();
        assertThat(shiphero.stats().requestsByOperation()).containsEntry("orders", 2L);

        JsonNode again = sweep(false);
        assertThat(again.path("errors").size()).as(again.toString()).isZero();
        assertThat(again.path("fullPass").asBoolean()).isFalse();
        assertThat(again.path("rmasChanged").asInt()).as(again.toString()).isEqualTo(1);
        awaitProcessedOnce(missed);
        assertThat(ordersWatermark()).isAfter(watermark);
    }

    // ------------------------------------------------------------------ helpers

    private long newReturnWithRma(String sku) {
        long id = demo.createReturn(SandboxConnection.ID, List.of(new SandboxDemo.DemoItem(sku, 1)), null)
                .loopReturnId();
        await().atMost(WAIT).alias("RMA of Loop return " + id).until(() -> links.findByLoopId(SandboxConnection.ID,
                String.valueOf(id)).map(l -> l.state() == LinkState.RMA_CREATED).orElse(false));
        return id;
    }

    private long waitingAndAged(String sku) {
        return newReturnWithRma(sku);
    }

    /** Every waiting link as if made 13 hours ago: older than full-pass-after, read in full only by the full pass. */
    private void ageWaitingLinks() {
        jdbcBean.sql("UPDATE return_link SET created_at = ? WHERE connection_id = ? AND state IN ('RMA_CREATED', 'FLAGGED')")
                .params(OffsetDateTime.now(ZoneOffset.UTC).minus(AGED), SandboxConnection.ID).update();
    }

    private void lastFullPassAgo(Duration ago) {
        jdbcBean.sql("UPDATE reconcile_watermark SET watermark = ? WHERE connection_id = ? AND source = ?")
                .params(OffsetDateTime.now(ZoneOffset.UTC).minus(ago), SandboxConnection.ID, Reconciler.SHIPHERO_FULL)
                .update();
    }

    private Instant ordersWatermark() {
        return jdbcBean.sql("SELECT watermark FROM reconcile_watermark WHERE connection_id = ? AND source = ?")
                .params(SandboxConnection.ID, Reconciler.SHIPHERO_ORDERS).query(OffsetDateTime.class).single()
                .toInstant();
    }

    /** The warehouse completes the return; ShipHero's Return Update never reaches the service. */
    private void warehouseReceivesWithoutWebhook(long loopReturnId) {
        demo.receive(loopReturnId, "Warehouse Complete", "all");
    }

    private void awaitProcessedOnce(long loopReturnId) {
        await().atMost(WAIT).until(() -> performed(loopReturnId).contains("process"));
        assertThat(performed(loopReturnId)).containsExactly("process");
    }

    private List<String> performed(long loopReturnId) {
        return loop.actions(loopReturnId).stream().filter(ActionCall::performed).map(ActionCall::action).toList();
    }

    /**
     * A full pass now, and the re-reads it starts (a first decision for each new RMA) done: a re-read still running
     * when the warehouse receives would find the receipt itself.
     */
    private JsonNode fullPass() {
        JsonNode result = sweep(true);
        await().atMost(WAIT).until(() -> links.findByState(SandboxConnection.ID, LinkState.RMA_CREATED).stream()
                .allMatch(l -> l.lastDecision() != null));
        return result;
    }

    private JsonNode sweep(boolean full) {
        var answer = Http.post("http://127.0.0.1:" + port + "/api/connections/" + SandboxConnection.ID
                + "/reconcile" + (full ? "?full=true" : ""), new byte[0], Map.of("Authorization", "Basic "
                + Base64.getEncoder().encodeToString(("admin:" + ReturnbridgeTest.ADMIN_PASSWORD)
                .getBytes(StandardCharsets.UTF_8))));
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        return JSON.readTree(answer.body());
    }
}
