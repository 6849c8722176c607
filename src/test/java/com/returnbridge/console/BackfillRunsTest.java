package com.returnbridge.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

import com.returnbridge.support.Timing;
import com.returnbridge.bridge.LinkState;
import com.returnbridge.bridge.ReturnLink;
import com.returnbridge.bridge.Timeline;
import com.returnbridge.sandbox.SandboxDemo;
import com.returnbridge.sandbox.SandboxFaults;
import com.returnbridge.sandbox.SandboxWebhookSender;
import com.returnbridge.sandbox.loop.SandboxLoop;
import com.returnbridge.sandbox.shiphero.SandboxShipHero;
import com.returnbridge.sandbox.shiphero.SandboxShipHeroConfiguration;
import com.returnbridge.support.Http;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.result.MockMvcResultMatchers;
import tools.jackson.databind.JsonNode;

/**
 * Backfill as a background run and RMA defaults per connection, over real HTTP against the simulators, on a connection
 * with a Loop shop of its own (so no other connection hears its webhooks). Page size 3 (ConsoleTestBase), so a range
 * takes several steps.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BackfillRunsTest extends ConsoleTestBase {

    private static final String ID = "bf";
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final List<String> ACTIVE = List.of("QUEUED", "RUNNING");

    @Autowired
    SandboxDemo demo;
    @Autowired
    SandboxLoop loop;
    @Autowired
    SandboxShipHero shiphero;
    @Autowired
    Timeline timeline;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    MockMvc mvc;
    @Autowired
    @Qualifier("sandboxLoopWebhooks")
    SandboxWebhookSender loopWebhooks;

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** As {@link #call}, with the headers. */
    HttpResponse<String> exchange(String method, String path, String body) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", basic()).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body)).build();
        try {
            return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    JsonNode status(HttpResponse<String> response, int expected) {
        return status(new Http.Answer(response.statusCode(), response.body()), expected);
    }

    JsonNode status(Http.Answer answer, int expected) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(expected);
        return json.readTree(answer.body());
    }

    ReturnLink awaitState(long loopReturnId, LinkState state) {
        return awaitState(ID, loopReturnId, state);
    }

    JsonNode awaitEnded(JsonNode run) {
        String url = run.path("statusUrl").asString();
        JsonNode[] last = {run};
        await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> {
            last[0] = ok(call("GET", url, null));
            return !ACTIVE.contains(last[0].path("state").asString());
        });
        return last[0];
    }

    /** A return in this connection's Loop shop whose webhooks are all lost: only a backfill can bring it in. */
    long lostReturn(String sku) {
        loopWebhooks.deliveryFaults(1.0, 1);
        try {
            return demo.createReturn(ID, List.of(new SandboxDemo.DemoItem(sku, 1)), null).loopReturnId();
        } finally {
            loopWebhooks.clearDeliveryFaults();
        }
    }

    String today() {
        return LocalDate.now(ZoneOffset.UTC).toString();
    }

    long runsInDatabase() {
        return jdbc.sql("SELECT COUNT(*) FROM backfill_run WHERE connection_id = ?").param(ID).query(Long.class)
                .single();
    }

    long backfillJobs() {
        return jdbc.sql("SELECT COUNT(*) FROM scheduled_tasks WHERE task_name = 'backfill'").query(Long.class).single();
    }

    @Test
    @Order(1)
    void connectionWithItsOwnShop() {
        String json = """
                {"id":"%s","loopBaseUrl":"%s/sandbox/loop/api/v1","loopApiKey":"%s","loopWebhookSecret":"%s",
                 "shipheroBaseUrl":"%s/sandbox/shiphero","shipheroRefreshToken":"%s"}"""
                .formatted(ID, sandbox.baseUrl(), sandbox.shopKey(ID), SandboxLoop.DEFAULT_WEBHOOK_SECRET,
                        sandbox.baseUrl(), SandboxShipHeroConfiguration.SANDBOX_REFRESH_TOKEN);
        ok(call("POST", "/api/connections", json));
        JsonNode report = ok(call("POST", "/api/connections/" + ID + "/connect", null));
        assertThat(report.path("ok").asBoolean()).as(report.toString()).isTrue();
        JsonNode view = ok(call("GET", "/api/connections/" + ID, null));
        assertThat(view.path("rmaDefaults").path("labelType").asString()).isEqualTo("FREE");
    }

    @Test
    @Order(2)
    void rmaDefaultsEditedThroughTheApiAreUsedByTheNextRma() {
        JsonNode edited = ok(call("PUT", "/api/connections/" + ID, """
                {"rmaLabelType":"paid","rmaLabelCost":"4.50","rmaShippingCarrier":"ups","rmaShippingMethod":"ground_return",
                 "rmaWeight":"12.5","rmaLength":"10","rmaWidth":"8","rmaHeight":"4"}"""));
        JsonNode d = edited.path("rmaDefaults");
        assertThat(d.path("labelType").asString()).isEqualTo("PAID");
        assertThat(d.path("labelCost").asString()).isEqualTo("4.50");
        assertThat(d.path("weight").asString()).isEqualTo("12.5");
        // the other settings are untouched (secrets kept, warehouse kept)
        assertThat(edited.path("loopApiKeySet").asBoolean()).isTrue();
        assertThat(edited.path("warehouseId").asString()).isEqualTo(shiphero.warehouseId());

        long id = demo.createReturn(ID, List.of(new SandboxDemo.DemoItem("RMA-DEF-1", 1)), null).loopReturnId();
        awaitState(id, LinkState.RMA_CREATED);
        List<SandboxShipHero.ReturnView> rmas = shiphero.returnsByPartnerId(String.valueOf(id));
        assertThat(rmas).hasSize(1);
        SandboxShipHero.ReturnView rma = rmas.get(0);
        assertThat(rma.labelType()).isEqualTo("PAID");
        assertThat(rma.labelCost()).isEqualTo("4.50");
        assertThat(rma.shippingCarrier()).isEqualTo("ups");
        assertThat(rma.shippingMethod()).isEqualTo("ground_return");
        assertThat(rma.dimensions()).containsEntry("weight", "12.5").containsEntry("length", "10")
                .containsEntry("width", "8").containsEntry("height", "4");
    }

    @Test
    @Order(3)
    void invalidRmaDefaultsAreRefusedAndNothingChanges() {
        for (String body : List.of("{\"rmaLabelType\":\"EXPRESS\"}", "{\"rmaLabelCost\":\"-1\"}",
                "{\"rmaWeight\":\"heavy\"}", "{\"rmaHeight\":\"-0.5\"}", "{\"rmaWidth\":\"1e400\"}")) {
            JsonNode error = status(call("PUT", "/api/connections/" + ID, body), 400);
            assertThat(error.path("error").asString()).as(body).startsWith("RMA ");
        }
        JsonNode d = ok(call("GET", "/api/connections/" + ID, null)).path("rmaDefaults");
        assertThat(d.path("labelType").asString()).isEqualTo("PAID");
        assertThat(d.path("labelCost").asString()).isEqualTo("4.50");
        assertThat(d.path("weight").asString()).isEqualTo("12.5");
    }

    @Test
    @Order(4)
    void badBackfillRequestsAre400Or404AndQueueNothing() {
        long runs = runsInDatabase();
        long jobs = backfillJobs();
        String path = "/api/connections/" + ID + "/backfill";
        assertThat(status(call("POST", path, "{}"), 400).path("error").asString()).contains("date range");
        assertThat(status(call("POST", path, "{\"from\":\"2025-03-31\",\"to\":\"2025-03-01\"}"), 400)
                .path("error").asString()).contains("before");
        assertThat(status(call("POST", path, "{\"from\":\"2024-01-01\",\"to\":\"2025-03-01\"}"), 400)
                .path("error").asString()).contains("at most 366");
        assertThat(status(call("POST", path, "{\"returnIds\":[\"12, abc\"]}"), 400).path("error").asString())
                .contains("abc");
        assertThat(status(call("POST", path, "{\"returnIds\":[\"  \"]}"), 400).path("error").asString())
                .contains("date range");
        assertThat(status(call("POST", "/api/connections/nope/backfill", "{\"returnIds\":[\"1\"]}"), 404)
                .path("error").asString()).contains("nope");
        assertThat(call("GET", "/api/connections/" + ID + "/backfills/999999", null).status()).isEqualTo(404);
        assertThat(runsInDatabase()).isEqualTo(runs);
        assertThat(backfillJobs()).isEqualTo(jobs);
    }

    @Test
    @Order(5)
    void aRangeRunCreatesTheLostReturnsOnceReportsCountsAndRunningItAgainAddsNothing() {
        long a = lostReturn("BF-A");
        long b = lostReturn("BF-B");
        assertThat(links.findByLoopId(ID, String.valueOf(a))).isEmpty();
        String body = "{\"from\":\"" + today() + "\",\"to\":\"" + today() + "\"}";

        HttpResponse<String> started = exchange("POST", "/api/connections/" + ID + "/backfill", body);
        JsonNode run = status(started, 202);
        assertThat(run.path("state").asString()).isIn("QUEUED", "RUNNING", "DONE");
        assertThat(run.path("requestedBy").asString()).isEqualTo(USER);
        String location = started.headers().firstValue("Location").orElseThrow();
        assertThat(location).endsWith("/api/connections/" + ID + "/backfills/" + run.path("id").asLong());

        JsonNode done = awaitEnded(run);
        assertThat(done.path("state").asString()).as(done.toString()).isEqualTo("DONE");
        assertThat(done.path("progress").asInt()).isEqualTo(100);
        assertThat(done.path("found").asInt()).isGreaterThanOrEqualTo(2);
        assertThat(done.path("created").asInt()).isGreaterThanOrEqualTo(2);
        assertThat(done.path("pages").asInt()).isGreaterThanOrEqualTo(1);
        assertThat(done.path("finishedAt").isNull()).isFalse();
        awaitState(a, LinkState.RMA_CREATED);
        awaitState(b, LinkState.RMA_CREATED);

        JsonNode rerun = status(call("POST", "/api/connections/" + ID + "/backfill", body), 202);
        assertThat(rerun.path("id").asLong()).isNotEqualTo(run.path("id").asLong());
        JsonNode second = awaitEnded(rerun);
        assertThat(second.path("state").asString()).isEqualTo("DONE");
        assertThat(second.path("created").asInt()).as(second.toString()).isZero();
        assertThat(second.path("found").asInt()).isEqualTo(done.path("found").asInt());
        assertThat(second.path("duplicates").asInt() + second.path("updated").asInt())
                .isEqualTo(second.path("found").asInt() - second.path("failed").asInt()
                        - second.path("ignored").asInt());
        assertThat(shiphero.returnsByPartnerId(String.valueOf(a))).hasSize(1);
        assertThat(shiphero.returnsByPartnerId(String.valueOf(b))).hasSize(1);

        JsonNode list = ok(call("GET", "/api/connections/" + ID + "/backfills", null));
        assertThat(list.get(0).path("id").asLong()).isEqualTo(rerun.path("id").asLong());
        assertThat(list.toString()).contains("\"id\":" + run.path("id").asLong());
        List<String> events = jdbc.sql("SELECT message FROM timeline_entry WHERE connection_id = ? AND kind = 'BACKFILL'"
                + " ORDER BY id").param(ID).query(String.class).list();
        assertThat(events).anyMatch(m -> m.startsWith("backfill #" + run.path("id").asLong() + " started by " + USER));
        assertThat(events).anyMatch(m -> m.startsWith("backfill #" + run.path("id").asLong() + " started by " + USER
                + " DONE: found " + done.path("found").asInt()));
    }

    @Test
    @Order(6)
    void theConnectionPageShowsTheRunsAndTheRmaDefaults() throws Exception {
        String page = mvc.perform(get("/connections/" + ID).with(user(USER).roles("ADMIN"))).andExpect(MockMvcResultMatchers.status().isOk())
                .andReturn().getResponse().getContentAsString();
        assertThat(page).contains("id=\"rma-defaults\"").contains("PAID").contains("ground_return")
                .contains("hx-trigger=\"every 2s\"").contains("class=\"backfill-run\"");
        String fragment = mvc.perform(get("/connections/" + ID + "/backfills").with(user(USER).roles("ADMIN")))
                .andExpect(MockMvcResultMatchers.status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(fragment.strip()).startsWith("<div id=\"backfill-runs\"").contains("data-state=\"DONE\"")
                .doesNotContain("<html");
    }

    @Test
    @Order(7)
    void byIdsImportsTheGivenReturnAndReportsAnUnknownId() {
        long lost = lostReturn("BF-ID");
        JsonNode run = status(call("POST", "/api/connections/" + ID + "/backfill",
                "{\"returnIds\":[\"" + lost + ", 999999999999\"]}"), 202);
        assertThat(run.path("returnIds").toString()).contains(String.valueOf(lost)).contains("999999999999");
        JsonNode done = awaitEnded(run);
        assertThat(done.path("state").asString()).isEqualTo("DONE");
        assertThat(done.path("found").asInt()).isEqualTo(1);
        assertThat(done.path("created").asInt()).isEqualTo(1);
        assertThat(done.path("failed").asInt()).isEqualTo(1);
        assertThat(done.path("errors").toString()).contains("999999999999").contains("not found");
        awaitState(lost, LinkState.RMA_CREATED);
        assertThat(shiphero.returnsByPartnerId(String.valueOf(lost))).hasSize(1);
    }

    @Test
    @Order(8)
    void aPausedConnectionsRunWaitsAnIdenticalRequestGetsTheSameRunAndCancelStopsIt() throws Exception {
        ok(call("POST", "/api/connections/" + ID + "/pause", null));
        long lost = lostReturn("BF-CANCEL");
        String body = "{\"returnIds\":[\"" + lost + "\"]}";
        JsonNode run = status(call("POST", "/api/connections/" + ID + "/backfill", body), 202);
        Timing.holdFor(Duration.ofMillis(1500), "a paused connection's backfill run must not start");
        JsonNode waiting = ok(call("GET", run.path("statusUrl").asString(), null));
        assertThat(waiting.path("state").asString()).isEqualTo("QUEUED");
        assertThat(waiting.path("note").asString()).contains("paused");

        HttpResponse<String> same = exchange("POST", "/api/connections/" + ID + "/backfill", body);
        JsonNode again = status(same, 200);
        assertThat(again.path("id").asLong()).isEqualTo(run.path("id").asLong());
        assertThat(same.headers().firstValue("Location").orElseThrow()).endsWith(run.path("statusUrl").asString());

        JsonNode cancelled = ok(call("POST", run.path("statusUrl").asString() + "/cancel", null));
        assertThat(cancelled.path("state").asString()).isEqualTo("CANCELLED");
        assertThat(cancelled.path("cancelledBy").asString()).isEqualTo(USER);
        assertThat(ok(call("POST", run.path("statusUrl").asString() + "/cancel", null)).path("state").asString())
                .isEqualTo("CANCELLED");

        ok(call("POST", "/api/connections/" + ID + "/resume", null));
        Timing.holdFor(Duration.ofMillis(1500), "a cancelled run must not start when its connection resumes");
        JsonNode after = ok(call("GET", run.path("statusUrl").asString(), null));
        assertThat(after.path("state").asString()).isEqualTo("CANCELLED");
        assertThat(after.path("found").asInt()).isZero();
        assertThat(links.findByLoopId(ID, String.valueOf(lost))).isEmpty();
        assertThat(jdbc.sql("SELECT COUNT(*) FROM timeline_entry WHERE connection_id = ? AND kind = 'BACKFILL' "
                + "AND message LIKE ?").params(ID, "backfill #" + run.path("id").asLong() + " % cancelled by " + USER + "%")
                .query(Long.class).single()).isEqualTo(1);

        // once it has ended, the same request starts a new run; a finished run cannot be cancelled
        JsonNode fresh = status(call("POST", "/api/connections/" + ID + "/backfill", body), 202);
        assertThat(fresh.path("id").asLong()).isNotEqualTo(run.path("id").asLong());
        assertThat(awaitEnded(fresh).path("state").asString()).isEqualTo("DONE");
        awaitState(lost, LinkState.RMA_CREATED);
        assertThat(status(call("POST", fresh.path("statusUrl").asString() + "/cancel", null), 409)
                .path("error").asString()).contains("DONE");
    }

    @Test
    @Order(9)
    void aStepThatFailsTransientlyIsRetriedAndTheRunResumesFromItsCursor() {
        lostReturn("BF-R1");
        lostReturn("BF-R2");
        lostReturn("BF-R3");
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        // The range is read once per state query: Loop's default (open, closed, expired), then review, then cancelled
        // (each a page at least, even when empty); page size 3.
        // (Loop lists a key's own shop only; other tests' shops share the simulator.)
        Map<String, Long> byQuery = loop.returns().stream()
                .filter(r -> loop.isOfShop(r.id(), sandbox.shopKey(ID)))
                .filter(r -> LocalDate.ofInstant(r.createdAt(), ZoneOffset.UTC).equals(today))
                .collect(java.util.stream.Collectors.groupingBy(r -> switch (r.state()) {
                    case "review", "cancelled" -> r.state();
                    default -> "default";
                }, java.util.stream.Collectors.counting()));
        long inRange = byQuery.values().stream().mapToLong(Long::longValue).sum();
        assertThat(byQuery.getOrDefault("default", 0L)).isGreaterThan(3); // at least two pages
        long pages = Stream.of("default", "review", "cancelled")
                .mapToLong(q -> Math.max(1, (byQuery.getOrDefault(q, 0L) + 2) / 3)).sum();
        // the first page is read, the second answers 500 once
        loop.faults().inject("list", SandboxFaults.Fault.slow(Duration.ZERO), 1);
        loop.faults().inject("list", SandboxFaults.Fault.of(SandboxFaults.Kind.SERVER_ERROR), 1);
        long listCallsBefore = loop.stats().requests("list");

        JsonNode run = status(call("POST", "/api/connections/" + ID + "/backfill",
                "{\"from\":\"" + today + "\",\"to\":\"" + today + "\"}"), 202);
        JsonNode done = awaitEnded(run);
        assertThat(done.path("state").asString()).as(done.toString()).isEqualTo("DONE");
        assertThat(done.path("retries").asInt()).isEqualTo(1);
        // resumed from the cursor: every return read exactly once, every page once plus the failed call
        assertThat(done.path("found").asLong()).isEqualTo(inRange);
        assertThat(done.path("pages").asLong()).isEqualTo(pages);
        long listCalls = loop.stats().requests("list") - listCallsBefore;
        assertThat(listCalls).isEqualTo(pages + 1);
        assertThat(done.path("failed").asInt()).isZero();
    }

    @Test
    @Order(10)
    void aPermanentRefusalEndsTheRunFailedWithTheReason() {
        // Loop refusing the key is permanent (an unknown id, by contrast, is an error of that return only)
        String badKey = """
                {"loopApiKey":"not-a-key"}""";
        ok(call("PUT", "/api/connections/" + ID, badKey));
        try {
            JsonNode run = status(call("POST", "/api/connections/" + ID + "/backfill",
                    "{\"from\":\"" + today() + "\",\"to\":\"" + today() + "\"}"), 202);
            JsonNode failed = awaitEnded(run);
            assertThat(failed.path("state").asString()).isEqualTo("FAILED");
            assertThat(failed.path("reason").asString()).contains("API key");
        } finally {
            ok(call("PUT", "/api/connections/" + ID, "{\"loopApiKey\":\"" + sandbox.shopKey(ID) + "\"}"));
        }
    }

    @Test
    @Order(11)
    void aDateRangeAlsoFindsReturnsInReviewAndCancelledOnes() {
        // Loop's list leaves review and cancelled returns out unless asked for by name
        long review = lostReturn("BF-REVIEW");
        long cancelled = lostReturn("BF-CANCELLED");
        loopWebhooks.deliveryFaults(1.0, 1);
        try {
            Http.Answer flagged = Http.post(sandbox.baseUrl() + "/sandbox/loop/api/v1/warehouse/return/" + review
                    + "/flag", new byte[0], Map.of("X-Authorization", sandbox.shopKey(ID)));
            assertThat(flagged.body()).isEqualTo("\"true\"");
            loop.cancel(cancelled);
        } finally {
            loopWebhooks.clearDeliveryFaults();
        }
        assertThat(loop.returnById(review).orElseThrow().state()).isEqualTo("review");
        assertThat(links.findByLoopId(ID, String.valueOf(review))).isEmpty();

        JsonNode done = awaitEnded(status(call("POST", "/api/connections/" + ID + "/backfill",
                "{\"from\":\"" + today() + "\",\"to\":\"" + today() + "\"}"), 202));
        assertThat(done.path("state").asString()).as(done.toString()).isEqualTo("DONE");
        assertThat(done.path("created").asInt()).isGreaterThanOrEqualTo(2);

        awaitState(review, LinkState.RMA_CREATED);
        assertThat(shiphero.returnsByPartnerId(String.valueOf(review))).hasSize(1);
        awaitState(cancelled, LinkState.CANCELLED_IN_LOOP);
        assertThat(shiphero.returnsByPartnerId(String.valueOf(cancelled))).isEmpty();
    }

    @Test
    @Order(12)
    void resumeWakesAWaitingRunAtOnce() throws Exception {
        ok(call("POST", "/api/connections/" + ID + "/pause", null));
        long lost = lostReturn("BF-RESUME");
        JsonNode run = status(call("POST", "/api/connections/" + ID + "/backfill",
                "{\"returnIds\":[\"" + lost + "\"]}"), 202);
        String url = run.path("statusUrl").asString();
        await().atMost(WAIT).until(() -> ok(call("GET", url, null)).path("note").asString().contains("paused"));

        JsonNode resumed = ok(call("POST", "/api/connections/" + ID + "/resume", null));
        assertThat(resumed.path("message").asString()).doesNotContain("; 0 waiting");
        // well before the run would have looked again by itself (returnbridge.backfill.paused-wait, 10 s)
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100))
                .until(() -> ok(call("GET", url, null)).path("state").asString().equals("DONE"));
        awaitState(lost, LinkState.RMA_CREATED);
    }
}
