package com.returnbridge.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.returnbridge.bridge.LinkState;
import com.returnbridge.loop.LoopIntents;
import com.returnbridge.bridge.ReturnLinks;
import com.returnbridge.sandbox.SandboxConnection;
import com.returnbridge.sandbox.SandboxControlController;
import com.returnbridge.sandbox.SandboxDemo;
import com.returnbridge.sandbox.SandboxFaults;
import com.returnbridge.sandbox.SandboxFaults.Fault;
import com.returnbridge.sandbox.SandboxFaults.Kind;
import com.returnbridge.sandbox.SandboxWebhookSender;
import com.returnbridge.sandbox.loop.SandboxLoop;
import com.returnbridge.sandbox.shiphero.SandboxShipHero;
import com.returnbridge.support.ExactlyOnce;
import com.returnbridge.support.ExactlyOnce.Plan;
import com.returnbridge.support.FastJobs;
import com.returnbridge.support.ReturnbridgeTest;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * 200 returns through both directions while both vendors fail: 10% HTTP 5xx, 5% answers slower than the client's
 * timeout, throttling (ShipHero code 30, Loop 429), connection resets and writes that succeed but answer 500; every
 * webhook delivered 1–3 times, out of order, and 20% of them never. Reconciliation has to find what was dropped.
 * At the end: every return in its expected final state, exactly one RMA per Loop return, exactly one Loop action per
 * decision, no job left and no unfinished Loop intent.
 */
@ReturnbridgeTest
@FastJobs
@TestPropertySource(properties = {
        "returnbridge.sandbox.enabled=true",
        "returnbridge.jobs.max-retry=PT2S",
        "returnbridge.jobs.uncertain-write-settle=PT2S",
        "returnbridge.jobs.processing-confirm-after=PT3S",
        "returnbridge.http.read=PT1S",
        "returnbridge.reconcile.interval=PT4S",
        "returnbridge.reconcile.overlap=PT1M",
        "returnbridge.loop.requests-per-minute=1200",
        "returnbridge.shiphero.credits.bucket=20000",
        "returnbridge.shiphero.credits.per-second=500",
        "logging.level.com.returnbridge=WARN"})
class ChaosTest {

    private static final Logger log = LoggerFactory.getLogger(ChaosTest.class);
    static final int RETURNS = 200;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> "jdbc:h2:mem:chaos-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    }

    @Autowired
    SandboxDemo demo;
    @Autowired
    SandboxLoop loop;
    @Autowired
    SandboxShipHero shiphero;
    @Autowired
    SandboxControlController control;
    @Autowired
    ReturnLinks links;
    @Autowired
    LoopIntents intents;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    @Qualifier("sandboxLoopWebhooks")
    SandboxWebhookSender loopWebhooks;
    @Autowired
    @Qualifier("sandboxShipHeroWebhooks")
    SandboxWebhookSender shipheroWebhooks;

    @Test
    void twoHundredReturnsUnderVendorFaultsAndLostDuplicatedReorderedWebhooks() {
        loop.setRateLimitPerMinute(1200);
        shiphero.setCreditModel(new SandboxShipHero.CreditModel(20000, 500));
        for (SandboxFaults faults : List.of(loop.faults(), shiphero.faults())) {
            faults.rate("*", Fault.of(Kind.SERVER_ERROR), 0.10);
            faults.rate("*", Fault.slow(Duration.ofMillis(1500)), 0.05);
            faults.rate("*", Fault.of(Kind.CONNECTION_RESET), 0.02);
        }
        shiphero.faults().rate("*", Fault.throttled(Duration.ofSeconds(1)), 0.04);
        loop.faults().rate("*", Fault.of(Kind.TOO_MANY_REQUESTS), 0.04);
        for (String write : List.of("return_create", "return_update_status")) {
            shiphero.faults().rate(write, Fault.of(Kind.FAIL_AFTER_EXECUTE), 0.05);
        }
        for (String write : List.of("process", "flag", "note")) {
            loop.faults().rate(write, Fault.of(Kind.FAIL_AFTER_EXECUTE), 0.05);
        }
        for (SandboxWebhookSender sender : List.of(loopWebhooks, shipheroWebhooks)) {
            sender.deliveryFaults(0.20, 1, 3);
            sender.reorder(Duration.ofMillis(1500));
        }

        Map<Long, Plan> plans = new LinkedHashMap<>();
        for (int i = 0; i < RETURNS; i++) {
            var created = demo.createReturn(SandboxConnection.ID, List.of(new SandboxDemo.DemoItem("TEE-BLK-M", 1 + i % 2),
                    new SandboxDemo.DemoItem("CAP-RED", 1)), i % 2 == 0 ? "94001" + (1_000_000 + i) : null);
            plans.put(created.loopReturnId(), Plan.forIndex(i));
        }

        // The warehouse receives each parcel once its RMA exists in ShipHero.
        Set<Long> received = new LinkedHashSet<>();
        await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(500)).until(() -> {
            for (Map.Entry<Long, Plan> e : plans.entrySet()) {
                if (!received.contains(e.getKey())
                        && !shiphero.returnsByPartnerId(String.valueOf(e.getKey())).isEmpty()) {
                    demo.receive(e.getKey(), e.getValue().status, e.getValue().received);
                    received.add(e.getKey());
                }
            }
            return received.size() == plans.size();
        });

        await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            Map<String, Object> now = control.summary();
            if (ExactlyOnce.duplicates(now) > 0) { // a duplicate never goes away: fail now, not in four minutes
                throw new AssertionError("duplicates: " + ExactlyOnce.problems(now, plans, this::state));
            }
            return ExactlyOnce.problems(now, plans, this::state).isEmpty() && pendingJobs() == 0;
        });

        Map<String, Object> summary = control.summary();
        log.warn("chaos run: {} returns, Loop stats {}, ShipHero stats {}, webhooks {}, duplicates {}", RETURNS,
                summary.get("loop_stats"), summary.get("shiphero_stats"), summary.get("webhooks"),
                ExactlyOnce.duplicates(summary));
        assertThat(ExactlyOnce.problems(summary, plans, this::state)).isEmpty();
        assertThat(ExactlyOnce.duplicates(summary)).isZero();
        assertThat(pendingJobs()).isZero();
        assertThat(intents.countUnfinished()).isZero();
        assertThat(links.search(SandboxConnection.ID, LinkState.NEEDS_ATTENTION, 10)).isEmpty();
        // The faults really happened: this run proves something only if they did.
        assertThat(shiphero.stats().faultsApplied()).isGreaterThan(50);
        assertThat(loop.stats().faults().values().stream().mapToLong(Long::longValue).sum()).isGreaterThan(20);
        assertThat(loopWebhooks.droppedCount() + shipheroWebhooks.droppedCount()).isGreaterThan(50);
    }

    private String state(long loopReturnId) {
        return links.findByLoopId(SandboxConnection.ID, String.valueOf(loopReturnId)).map(l -> l.state().name())
                .orElse("none");
    }

    private long pendingJobs() {
        // every queued execution but the recurring tasks (sweeps, checks), which are always there
        return jdbc.sql("SELECT COUNT(*) FROM scheduled_tasks WHERE task_instance <> ?")
                .param(RecurringTask.INSTANCE).query(Long.class).single();
    }
}
