package com.returnbridge.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.returnbridge.console.ConsoleQueries;
import com.returnbridge.sandbox.SandboxConnection;
import com.returnbridge.support.Http;
import com.returnbridge.support.ReturnbridgeTest;
import com.returnbridge.vendor.Signatures;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

/**
 * The intake's inbox over real HTTP: a delivery answered 2xx is on disk before anything else happens to it (the
 * router can be stopped and the row is there), concurrent deliveries share commits, copies become one row, a batch
 * with one bad row stores the others, the router picks up what was left when it starts again, the backlog is a
 * metric, and routed deliveries are pruned after the retention unless their return is still moving. Its own
 * database; a group-commit window wide enough that deliveries sent together always meet.
 */
@ReturnbridgeTest
@TestPropertySource(properties = {"spring.datasource.url=jdbc:h2:mem:inbox-tests;DB_CLOSE_DELAY=-1",
        "returnbridge.intake.group-commit-window=PT0.02S"})
class InboxTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @LocalServerPort
    int port;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    InboxRouter router;
    @Autowired
    InboxWriter writer;
    @Autowired
    InboxRetention retention;
    @Autowired
    MeterRegistry meters;
    @Autowired
    ConsoleQueries console;

    @AfterEach
    void routerBack() {
        if (!router.isRunning()) {
            router.start();
        }
        router.resume();
    }

    /** A signed Loop delivery of a topic the bridge ignores: stored and routed, no jobs. */
    private Http.Answer post(String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return Http.post("http://127.0.0.1:" + port + "/webhooks/loop/" + SandboxConnection.ID, bytes,
                Map.of("Content-Type", "application/json",
                        "X-Loop-Signature", Signatures.sign(SandboxConnection.LOOP_WEBHOOK_SECRET, bytes)));
    }

    private static String giftCard() {
        return "{\"topic\":\"giftcard\",\"trigger\":\"giftcard.created\",\"id\":\"" + UUID.randomUUID() + "\"}";
    }

    private Map<String, Object> row(String body) {
        return jdbc.sql("SELECT id, outcome, routed_at, duplicates FROM delivery WHERE body = ?").param(body)
                .query().singleRow();
    }

    private double gauge(String name) {
        return meters.find(name).gauge().value();
    }

    @Test
    void aDeliveryAnswered2xxIsInTheInboxEvenWhileTheRouterIsPausedAndIsRoutedOnceItRuns() {
        router.pause();
        String body = giftCard();
        Http.Answer answer = post(body);
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("{\"status\":\"ignored\"}");
        // read on another connection of the pool: committed
        Map<String, Object> stored = row(body);
        assertThat(stored.get("OUTCOME")).isEqualTo("IGNORED");
        assertThat(stored.get("ROUTED_AT")).as("not routed yet").isNull();
        long id = ((Number) stored.get("ID")).longValue();
        assertThat(console.delivery(id).orElseThrow().routed()).as("the console shows it received, not routed")
                .isFalse();
        assertThat(gauge("returnbridge.intake.inbox.backlog")).isGreaterThanOrEqualTo(1);
        assertThat(gauge("returnbridge.intake.inbox.oldest.age")).isGreaterThanOrEqualTo(0);

        router.resume();
        await().atMost(WAIT).until(() -> row(body).get("ROUTED_AT") != null);
        assertThat(console.delivery(id).orElseThrow().routed()).isTrue();
        await().atMost(WAIT).until(() -> gauge("returnbridge.intake.inbox.backlog") == 0);
        assertThat(gauge("returnbridge.intake.inbox.oldest.age")).isZero();
    }

    @Test
    void deliveriesThatArriveTogetherShareCommits() throws Exception {
        DistributionSummary batches = meters.find("returnbridge.intake.commit.batch").summary();
        long commitsBefore = batches.count();
        double storedBefore = batches.totalAmount();
        int deliveries = 24;
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < deliveries; i++) {
            bodies.add(giftCard());
        }
        ExecutorService pool = Executors.newFixedThreadPool(deliveries);
        try {
            List<Future<Http.Answer>> answers = new ArrayList<>();
            for (String body : bodies) {
                answers.add(pool.submit(() -> post(body)));
            }
            for (Future<Http.Answer> answer : answers) {
                assertThat(answer.get().status()).isEqualTo(200);
            }
        } finally {
            pool.shutdownNow();
        }
        for (String body : bodies) {
            assertThat(row(body).get("OUTCOME")).isEqualTo("IGNORED");
        }
        assertThat(batches.totalAmount() - storedBefore).isEqualTo(deliveries);
        assertThat(batches.count() - commitsBefore).as("commits for %s deliveries", deliveries)
                .isLessThan(deliveries);
    }

    @Test
    void copiesRacingEachOtherBecomeOneDeliveryCountedAsDuplicates() throws Exception {
        String body = giftCard();
        int copies = 8;
        ExecutorService pool = Executors.newFixedThreadPool(copies);
        List<String> answers = new ArrayList<>();
        try {
            List<Future<Http.Answer>> futures = new ArrayList<>();
            for (int i = 0; i < copies; i++) {
                futures.add(pool.submit(() -> post(body)));
            }
            for (Future<Http.Answer> f : futures) {
                assertThat(f.get().status()).isEqualTo(200);
                answers.add(f.get().body());
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(answers).filteredOn(a -> a.contains("ignored")).hasSize(1);
        assertThat(answers).filteredOn(a -> a.contains("duplicate")).hasSize(copies - 1);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM delivery WHERE body = ?").param(body).query(Long.class).single())
                .isEqualTo(1);
        assertThat(((Number) row(body).get("DUPLICATES")).intValue()).isEqualTo(copies - 1);
    }

    @Test
    void aBatchWithOneBadRowStoresTheOthersAndFailsOnlyThatOne() throws Exception {
        router.pause();
        int good = 9;
        List<Callable<Boolean>> appends = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < good; i++) {
            String key = "batch-test:" + UUID.randomUUID();
            keys.add(key);
            appends.add(() -> writer.append(new InboxWriter.Entry(SandboxConnection.ID, Deliveries.Source.LOOP, key,
                    "giftcard/giftcard.created", null, null, giftCard(), null, "IGNORED", null)));
        }
        // no body: the column refuses it, so the commit it shares fails
        Callable<Boolean> bad = () -> writer.append(new InboxWriter.Entry(SandboxConnection.ID,
                Deliveries.Source.LOOP, "batch-test:bad:" + UUID.randomUUID(), null, null, null, null, null,
                "IGNORED", null));
        ExecutorService pool = Executors.newFixedThreadPool(good + 1);
        try {
            List<Future<Boolean>> ok = new ArrayList<>();
            Future<Boolean> failed = pool.submit(bad);
            for (Callable<Boolean> append : appends) {
                ok.add(pool.submit(append));
            }
            for (Future<Boolean> f : ok) {
                assertThat(f.get()).isTrue();
            }
            assertThatThrownBy(failed::get).hasRootCauseInstanceOf(java.sql.SQLException.class);
        } finally {
            pool.shutdownNow();
        }
        for (String key : keys) {
            assertThat(jdbc.sql("SELECT COUNT(*) FROM delivery WHERE dedupe_key = ?").param(key).query(Long.class)
                    .single()).isEqualTo(1);
        }
        assertThat(jdbc.sql("SELECT COUNT(*) FROM delivery WHERE dedupe_key LIKE 'batch-test:bad:%'")
                .query(Long.class).single()).isZero();
    }

    @Test
    void rowsLeftUnroutedWhenTheRouterStoppedAreRoutedWhenItStartsAgain() {
        router.stop();
        List<String> bodies = List.of(giftCard(), giftCard(), giftCard());
        for (String body : bodies) {
            assertThat(post(body).status()).isEqualTo(200);
        }
        for (String body : bodies) {
            assertThat(row(body).get("ROUTED_AT")).isNull();
        }
        assertThat(gauge("returnbridge.intake.inbox.backlog")).isGreaterThanOrEqualTo(bodies.size());
        router.start();
        await().atMost(WAIT).until(() -> bodies.stream().allMatch(b -> row(b).get("ROUTED_AT") != null));
    }

    @Test
    void routedDeliveriesArePrunedAfterTheRetentionUnlessTheirReturnStillMoves() {
        router.pause();
        OffsetDateTime old = OffsetDateTime.now(ZoneOffset.UTC).minusDays(31);
        OffsetDateTime recent = OffsetDateTime.now(ZoneOffset.UTC).minusDays(1);
        String moving = "ret-" + UUID.randomUUID().toString().substring(0, 8);
        jdbc.sql("""
                INSERT INTO return_link (connection_id, loop_return_id, state, created_at, updated_at)
                VALUES ('retention', ?, 'RMA_CREATED', ?, ?)""").params(moving, old, recent).update();
        long quiet = oldDelivery("IGNORED", "q-1", old);
        long unreadable = oldDelivery("UNREADABLE", "q-2", old);
        long unrouted = oldDelivery("ACCEPTED", "q-3", null);
        long ofMovingReturn = oldDelivery("ACCEPTED", moving, old);
        long young = oldDelivery("IGNORED", "q-4", recent);

        assertThat(retention.prune()).isGreaterThanOrEqualTo(1);
        List<Long> left = jdbc.sql("SELECT id FROM delivery WHERE connection_id = 'retention'").query(Long.class)
                .list();
        assertThat(left).doesNotContain(quiet).contains(unreadable, unrouted, ofMovingReturn, young);
    }

    private long oldDelivery(String outcome, String subject, OffsetDateTime routedAt) {
        OffsetDateTime received = routedAt != null ? routedAt : OffsetDateTime.now(ZoneOffset.UTC).minusDays(40);
        jdbc.sql("""
                INSERT INTO delivery (connection_id, source, dedupe_key, topic, subject_id, received_at, body, outcome,
                                      routed_at)
                VALUES ('retention', 'LOOP', ?, 'return/return.updated', ?, ?, '{}', ?, ?)""")
                .params(UUID.randomUUID().toString(), subject, received, outcome, routedAt).update();
        return jdbc.sql("SELECT MAX(id) FROM delivery").query(Long.class).single();
    }
}
