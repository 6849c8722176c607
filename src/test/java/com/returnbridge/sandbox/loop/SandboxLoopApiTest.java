package com.returnbridge.sandbox.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.returnbridge.sandbox.SandboxFaults;
import com.returnbridge.sandbox.SandboxFaults.Fault;
import com.returnbridge.sandbox.SandboxWebhookSender;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class SandboxLoopApiTest {

    private static final String KEY = "test-key";
    private static final String URL = "http://localhost:8080/sandbox/loop/api/v1/warehouse/return/list";

    private final JsonMapper mapper = JsonMapper.builder().build();
    private SandboxWebhookSender sender;
    private SandboxLoop loop;
    private SandboxLoopApi api;

    @BeforeEach
    void setUp() {
        sender = new SandboxWebhookSender(Duration.ofMillis(10));
        loop = new SandboxLoop(sender, Clock.fixed(Instant.parse("2025-03-04T15:22:09Z"), ZoneOffset.UTC));
        loop.addApiKey(KEY);
        api = new SandboxLoopApi(loop);
    }

    @AfterEach
    void tearDown() {
        sender.close();
    }

    private long newReturn() {
        return loop.createReturn(NewReturn.builder().item("TEE-BLK-M", "Tee", "Too small", 2).build()).id();
    }

    private JsonNode json(LoopAnswer answer) {
        return mapper.readTree(answer.body());
    }

    private void awaitState(long id, String state) {
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10))
                .until(() -> loop.returnById(id).orElseThrow().state().equals(state));
    }

    @Test
    void processAnswersTheJsonStringTrueThenRefusesAsClosed() {
        long id = newReturn();

        LoopAnswer first = api.process(KEY, id, "{\"rma_number\":\"RMA-1\"}");
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.body()).isEqualTo("\"true\"").hasSize(6);
        // Process only queues the work: the return closes a moment later, on the simulator's own thread.
        awaitState(id, "closed");

        LoopAnswer second = api.process(KEY, id, null);
        assertThat(second.status()).isEqualTo(200);
        assertThat(second.body()).isEqualTo(
                "{\"errors\":{\"message\":\"Return is closed and therefore cannot be processed.\",\"code\":\"UNPROCESSABLE_RETURN\"}}");

        assertThat(loop.actions(id)).extracting(ActionCall::action, ActionCall::performed, ActionCall::body)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("process", true, "{\"rma_number\":\"RMA-1\"}"),
                        org.assertj.core.groups.Tuple.tuple("process", false, null));
    }

    @Test
    void flaggedReturnIsRefusedWhenFlaggedProcessingIsOff() {
        long id = newReturn();
        loop.setAllowFlaggedProcess(false);

        assertThat(api.flag(KEY, id).isTrue()).isTrue();
        assertThat(api.flag(KEY, id).isTrue()).as("flag is idempotent").isTrue();
        assertThat(loop.returnById(id).orElseThrow().state()).isEqualTo("review");

        LoopAnswer answer = api.process(KEY, id, null);
        assertThat(answer.status()).isEqualTo(200);
        assertThat(json(answer).at("/errors/code").stringValue()).isEqualTo("UNPROCESSABLE_FLAGGED_RETURN");
        assertThat(json(answer).at("/errors/message").stringValue())
                .isEqualTo("Return is open and therefore cannot be processed.");

        loop.setAllowFlaggedProcess(true);
        assertThat(api.process(KEY, id, null).isTrue()).isTrue();
    }

    @Test
    void terminalStatesRefuseInLoopsShapes() {
        long cancelled = newReturn();
        assertThat(api.cancel(KEY, cancelled).isTrue()).isTrue();
        assertThat(api.process(KEY, cancelled, null).body())
                .isEqualTo("{\"message\":\"Return is cancelled and therefore cannot be processed.\"}");
        assertThat(json(api.flag(KEY, cancelled)).at("/errors/code").stringValue()).isEqualTo("UNPROCESSABLE_RETURN");

        long expired = newReturn();
        loop.expire(expired);
        assertThat(api.process(KEY, expired, null).body())
                .isEqualTo("{\"message\":\"Return is expired and therefore cannot be processed.\"}");
        assertThat(api.cancel(KEY, expired).body()).isEqualTo("{\"content\":\"Return is expired and cannot be processed.\"}");

        long closed = newReturn();
        assertThat(api.close(KEY, closed).isTrue()).isTrue();
        assertThat(json(api.flag(KEY, closed)).at("/errors/message").stringValue())
                .isEqualTo("Return is closed and therefore cannot be flagged.");

        assertThat(api.process(KEY, 1L, null).status()).isEqualTo(404);
        assertThat(api.process(KEY, 1L, null).body()).isEqualTo("{\"errors\":{\"code\":\"NOT_FOUND\"}}");
    }

    @Test
    void notesMustBeShorterThan255Characters() {
        long id = newReturn();
        assertThat(api.notes(KEY, id).status()).as("no notes yet").isEqualTo(422);

        LoopAnswer tooLong = api.note(KEY, id, "{\"content\":\"" + "x".repeat(255) + "\"}");
        assertThat(tooLong.status()).isEqualTo(422);
        assertThat(tooLong.body()).isEqualTo(
                "{\"errors\":{\"message\":\"Content is required and must be less than 255 characters.\"}}");
        assertThat(api.note(KEY, id, "{\"content\":\"\"}").status()).isEqualTo(422);
        assertThat(api.note(KEY, id, null).status()).isEqualTo(422);

        assertThat(api.note(KEY, id, "{\"content\":\"" + "y".repeat(254) + "\"}").isTrue()).isTrue();
        assertThat(api.note(KEY, id, "{\"content\":\"Damaged on arrival\"}").isTrue()).isTrue();
        assertThat(loop.notes(id)).hasSize(2).last().isEqualTo("Damaged on arrival");
        JsonNode notes = json(api.notes(KEY, id)).get("notes");
        assertThat(notes).hasSize(2);
        assertThat(notes.get(1).get("content").stringValue()).isEqualTo("Damaged on arrival");
        assertThat(notes.get(1).has("id")).isTrue();
        assertThat(notes.get(1).get("created_at").stringValue()).isEqualTo("2025-03-04 15:22:09");
    }

    @Test
    void detailsUseIntegerIdAndLaravelTimestamps() {
        long id = newReturn();
        JsonNode details = json(api.details(KEY, Long.toString(id), null, null));
        assertThat(details.get("id").isNumber()).isTrue();
        assertThat(details.get("id").asLong()).isEqualTo(id);
        assertThat(details.get("created_at").stringValue()).isEqualTo("2025-03-04 15:22:09");
        assertThat(details.get("line_items")).hasSize(2);
        assertThat(api.details(KEY, "1", null, null).status()).isEqualTo(404);
        assertThat(json(api.details(KEY, null, null, "#1001")).get("id").asLong()).isEqualTo(id);
    }

    @Test
    void listPaginatesWithAbsoluteNextPageUrls() {
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(newReturn());
        }
        long cancelled = newReturn();
        loop.cancel(cancelled); // excluded unless asked for

        List<String> seen = new ArrayList<>();
        String url = URL + "?paginate=true&pageSize=2";
        int pages = 0;
        while (url != null) {
            LoopAnswer answer = api.list(KEY, query(url), url);
            assertThat(answer.status()).isEqualTo(200);
            JsonNode page = json(answer);
            page.get("returns").forEach(r -> seen.add(r.get("id").stringValue()));
            assertThat(page.get("previousPageUrl").isNull()).isTrue();
            url = page.get("nextPageUrl").isNull() ? null : page.get("nextPageUrl").stringValue();
            if (url != null) {
                assertThat(url).startsWith(URL + "?paginate=true&pageSize=2&cursor=");
            }
            pages++;
        }
        assertThat(pages).isEqualTo(3);
        assertThat(seen).containsExactlyElementsOf(ids.stream().map(String::valueOf).toList());

        JsonNode bare = json(api.list(KEY, Map.of("state", List.of("cancelled")), URL));
        assertThat(bare.isArray()).isTrue();
        assertThat(bare).hasSize(1);
        assertThat(bare.get(0).get("id").stringValue()).isEqualTo(Long.toString(cancelled));
    }

    @Test
    void listValidatesTheWindow() {
        assertThat(api.list(KEY, Map.of("from", List.of("2025-01-01 00:00:00"), "to", List.of("2025-06-01 00:00:00")),
                URL).status()).isEqualTo(422);
        assertThat(api.list(KEY, Map.of("from", List.of("yesterday")), URL).status()).isEqualTo(422);
        assertThat(api.list(KEY, Map.of("filter", List.of("updated_at"), "from", List.of("2025-03-04 00:00:00"),
                "to", List.of("2025-03-05 00:00:00")), URL).status()).isEqualTo(200);
    }

    @Test
    void rateLimitAnswers429PerKey() {
        loop.setRateLimitPerMinute(3);
        loop.addApiKey("other-key");
        for (int i = 0; i < 3; i++) {
            assertThat(api.listWebhooks(KEY).status()).isEqualTo(200);
        }
        LoopAnswer limited = api.listWebhooks(KEY);
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.body()).isEqualTo("{\"message\":\"Too Many Attempts.\"}");
        assertThat(api.listWebhooks("other-key").status()).isEqualTo(200);
        assertThat(loop.stats().tooManyRequests()).isEqualTo(1);

        loop.setRateLimitPerMinute(0);
        for (int i = 0; i < 10; i++) {
            assertThat(api.listWebhooks(KEY).status()).isEqualTo(200);
        }
    }

    @Test
    void wrongKeyIsUnauthorized() {
        LoopAnswer answer = api.details("Bearer " + KEY, "1", null, null);
        assertThat(answer.status()).isEqualTo(401);
        assertThat(answer.body())
                .isEqualTo("{\"error\":{\"code\":\"401\",\"http_code\":\"GEN-UNAUTHORIZED\",\"message\":\"Unauthorized.\"}}");
        assertThat(api.details(null, "1", null, null).status()).isEqualTo(401);
        assertThat(loop.stats().unauthorized()).isEqualTo(2);
    }

    @Test
    void refuseFaultAnswersErrorBodyWithoutActing() {
        long id = newReturn();
        loop.faults().inject("process", Fault.refuse("Return is locked by another process."), 1);

        LoopAnswer answer = api.process(KEY, id, null);
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo(
                "{\"errors\":{\"message\":\"Return is locked by another process.\",\"code\":\"UNPROCESSABLE_RETURN\"}}");
        assertThat(loop.returnById(id).orElseThrow().state()).isEqualTo("open");
        assertThat(loop.actions(id).get(0).performed()).isFalse();
        assertThat(api.process(KEY, id, null).isTrue()).as("fault used up").isTrue();
    }

    @Test
    void failAfterExecuteActsButAnswers500() {
        long id = newReturn();
        loop.faults().inject("process", Fault.of(SandboxFaults.Kind.FAIL_AFTER_EXECUTE), 1);

        LoopAnswer answer = api.process(KEY, id, null);
        assertThat(answer.status()).isEqualTo(500);
        awaitState(id, "closed");
        assertThat(loop.actions(id).get(0)).extracting(ActionCall::status, ActionCall::performed)
                .containsExactly(500, true);
        // The client's retry then meets the benign "closed" refusal.
        assertThat(json(api.process(KEY, id, null)).at("/errors/code").stringValue()).isEqualTo("UNPROCESSABLE_RETURN");
        assertThat(loop.stats().faults()).containsEntry("process", 1L);
        assertThat(loop.stats().requests("process")).isEqualTo(2);
    }

    @Test
    void serverErrorAndSlowFaults() {
        long id = newReturn();
        loop.faults().inject("details", Fault.of(SandboxFaults.Kind.SERVER_ERROR), 1);
        loop.faults().inject("details", Fault.slow(Duration.ofMillis(50)), 1);
        assertThat(api.details(KEY, Long.toString(id), null, null).status()).isEqualTo(500);
        long started = System.nanoTime();
        assertThat(api.details(KEY, Long.toString(id), null, null).status()).isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(50));
    }

    @Test
    void webhookCrudValidatesLikeLoop() {
        LoopAnswer bad = api.createWebhook(KEY, "{\"topic\":\"orders\",\"trigger\":\"return.created\",\"url\":\"https://x.test/h\"}");
        assertThat(bad.status()).isEqualTo(422);
        assertThat(json(bad).get("message").stringValue())
                .isEqualTo("Must be one of the following values:return,label,restock,return.processing");
        assertThat(json(bad).get("errors").has("topic")).isTrue();

        LoopAnswer answer = api.createWebhook(KEY,
                "{\"topic\":\"return\",\"trigger\":\"return.created\",\"url\":\"https://x.test/h\",\"status\":\"active\"}");
        assertThat(answer.status()).as("201 Created, as Loop's current reference says").isEqualTo(201);
        JsonNode created = json(answer);
        long id = created.get("id").asLong();
        assertThat(created.get("shop_id").asLong()).isEqualTo(SandboxLoop.SHOP_ID);
        assertThat(created.get("status").stringValue()).isEqualTo("active");

        assertThat(api.updateWebhook(KEY, id, "{\"status\":\"inactive\"}").status()).isEqualTo(204);
        assertThat(json(api.listWebhooks(KEY)).get("webhooks").get(0).get("status").stringValue()).isEqualTo("inactive");
        assertThat(api.deleteWebhook(KEY, id).status()).isEqualTo(204);
        assertThat(api.deleteWebhook(KEY, id).status()).isEqualTo(404);
        assertThat(json(api.listWebhooks(KEY)).get("webhooks")).isEmpty();
    }

    /** Parses a query string the way the controller's MultiValueMap would (values here need no decoding). */
    private static Map<String, List<String>> query(String url) {
        Map<String, List<String>> params = new java.util.HashMap<>();
        String query = url.substring(url.indexOf('?') + 1);
        for (String pair : query.split("&")) {
            String[] kv = pair.split("=", 2);
            params.computeIfAbsent(kv[0], k -> new ArrayList<>()).add(kv.length > 1 ? kv[1] : "");
        }
        return params;
    }
}
