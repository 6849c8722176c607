package com.returnbridge.sla;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.returnbridge.bridge.LinkState;
import com.returnbridge.bridge.ReturnLinks;
import com.returnbridge.sandbox.SandboxConnection;
import com.returnbridge.support.FastJobs;
import com.returnbridge.support.ReturnbridgeTest;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * A demo return from Loop to closed, driven over HTTP as the README's walk-through does, with the carrier's delivery
 * in between: each SLA clock is recorded once, in order, and shows in the return API, on the return page and in the
 * metrics. Runs on H2 and on PostgreSQL (subclasses).
 */
@ReturnbridgeTest
@FastJobs
@TestPropertySource(properties = "returnbridge.jobs.processing-confirm-after=PT2S")
abstract class SlaClocksTest {

    @LocalServerPort
    int port;
    @Autowired
    ReturnLinks links;
    @Autowired
    org.springframework.jdbc.core.simple.JdbcClient jdbc;

    /** Copies of the return's label deliveries that were counted on an earlier one rather than stored. */
    private long labelCopies(long loopReturnId) {
        return jdbc.sql("SELECT COALESCE(SUM(duplicates), 0) FROM delivery WHERE source = 'LOOP' AND dedupe_key LIKE ?")
                .param("%:label%:" + loopReturnId + ":%").query(Long.class).single();
    }

    private Browser admin() {
        return new Browser("http://127.0.0.1:" + port, "admin", ReturnbridgeTest.ADMIN_PASSWORD);
    }

    private LinkState state(long loopReturnId) {
        return links.findByLoopId(SandboxConnection.ID, String.valueOf(loopReturnId)).map(l -> l.state())
                .orElse(null);
    }

    @Test
    void aDemoReturnRecordsEveryClockOnceAndInOrder() {
        Browser admin = admin();
        long id = admin.api("POST", "/sandbox/demo/returns?sku=TEE-BLK-M&units=2&tracking=9400111")
                .get("loopReturnId").asLong();
        await().atMost(Duration.ofSeconds(20)).until(() -> state(id) == LinkState.RMA_CREATED);
        JsonNode before = admin.api("GET", "/api/returns/sandbox/" + id).get("clocks");
        assertThat(before.get("created").isNull()).isFalse();
        assertThat(before.get("delivered").isNull()).as("not delivered yet: %s", before).isTrue();

        // the carrier delivers: Loop sends label.updated with label_status delivered
        admin.api("POST", "/sandbox/demo/returns/" + id + "/carrier?status=delivered");
        await().atMost(Duration.ofSeconds(20)).until(() -> !admin.api("GET", "/api/returns/sandbox/" + id)
                .get("clocks").get("delivered").isNull());
        String delivered = admin.api("GET", "/api/returns/sandbox/" + id).get("clocks").get("delivered").asString();

        admin.api("POST", "/sandbox/demo/returns/" + id + "/warehouse?status=Warehouse%20Complete&received=all");
        await().atMost(Duration.ofSeconds(30)).until(() -> state(id) == LinkState.CLOSED);

        JsonNode clocks = admin.api("GET", "/api/returns/sandbox/" + id).get("clocks");
        List<OffsetDateTime> inOrder = new ArrayList<>();
        for (String step : List.of("created", "delivered", "received", "decided", "confirmed")) {
            assertThat(clocks.get(step).isNull()).as(step + " in " + clocks).isFalse();
            inOrder.add(OffsetDateTime.parse(clocks.get(step).asString()));
        }
        assertThat(inOrder.subList(2, 5)).isSorted();
        assertThat(inOrder.get(3)).isAfterOrEqualTo(inOrder.get(0));
        // a second delivered update (Loop retries, or the carrier scans again) does not move the clock
        admin.api("POST", "/sandbox/demo/returns/" + id + "/carrier?status=delivered");
        // stored and routed, or (the same body again) counted as a copy of the first: either way it has arrived
        await().atMost(Duration.ofSeconds(20)).until(() -> admin.api("GET", "/api/returns/sandbox/" + id)
                .get("timeline").toString().split("label.updated").length > 2 || labelCopies(id) > 0);
        assertThat(admin.api("GET", "/api/returns/sandbox/" + id).get("clocks").get("delivered").asString())
                .isEqualTo(delivered);

        String metrics = admin.apiAnswer("GET", "/actuator/prometheus").body();
        for (String stage : List.of("delivered", "received", "decided", "confirmed", "total")) {
            assertThat(metrics).as(stage).containsPattern("returnbridge_return_stage_duration_seconds_count\\{[^}]*"
                    + "connection=\"sandbox\"[^}]*stage=\"" + stage + "\"[^}]*\\} [1-9]");
        }
        assertThat(metrics).contains("returnbridge_return_stage_duration_seconds_bucket");

        long linkId = links.findByLoopId(SandboxConnection.ID, String.valueOf(id)).orElseThrow().id();
        String page = admin.logIn().page("/returns/" + linkId).body();
        assertThat(page).contains("id=\"clocks\"").contains("id=\"clock-confirmed\"")
                .doesNotContain("Loop confirmed <span id=\"clock-confirmed\">—");
    }

    @Test
    void theCarrierStepOfTheDemoNeedsALabel() {
        Browser admin = admin();
        long id = admin.api("POST", "/sandbox/demo/returns?sku=TEE-BLK-M&units=1").get("loopReturnId").asLong();
        assertThat(admin.apiAnswer("POST", "/sandbox/demo/returns/" + id + "/carrier?status=delivered").status())
                .isEqualTo(409);
    }
}
