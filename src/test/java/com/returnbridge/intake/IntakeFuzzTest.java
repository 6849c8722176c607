package com.returnbridge.intake;

import static org.assertj.core.api.Assertions.assertThat;

import com.returnbridge.ReturnbridgeApplication;
import com.returnbridge.sandbox.SandboxWebhookSender;
import com.returnbridge.support.Http;
import com.returnbridge.support.Tries;
import com.returnbridge.vendor.Signatures;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Garbage at the webhook endpoints, over real HTTP against the running service: random bytes, truncated and deeply
 * nested JSON, every field of a valid payload replaced by every JSON type, wrong content types, missing, wrong and
 * duplicated signatures, bodies just under and over the limit.
 *
 * <p>The contract (issue 9): a correctly signed body is always stored and answered 2xx — read and accepted or ignored
 * when we can, stored as UNREADABLE with a reason when we cannot — never 4xx or 5xx; an unsigned or wrongly signed
 * one is 401 and stores nothing; over 1 MiB is 413. Nothing intake let through as readable is garbage: every stored
 * link has a numeric Loop id and a bounded Loop state.
 *
 * <p>Seeded tries ({@link Tries}): each try draws from its own {@link Random}; the seed is in the try's name and in
 * a failure's message, and {@code -Dtries.seed=<seed>} replays that try alone.
 */
@ExtendWith(Tries.NameTheSeed.class)
class IntakeFuzzTest {

    private static final String LOOP_SECRET = "fuzz-loop-secret";
    private static final String SHIPHERO_SECRET = "fuzz-shiphero-secret";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final List<String> CONTENT_TYPES = Arrays.asList(null, "application/json", "text/plain",
            "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/xml", "*/*",
            "application/json; charset=latin1");
    private static final List<String> LOOP_FIELDS = List.of("topic", "trigger", "id", "state", "edited_at",
            "order_name", "provider_order_id", "customer", "line_items", "address", "customer_detail", "labels",
            "carrier", "tracking_number", "label_status");
    private static final List<String> SHIPHERO_FIELDS = List.of("webhook_type", "test", "return_id", "return_uuid",
            "status", "items", "order_uuid", "partner_order_id", "order_number");
    private static final List<String> SIGNATURE_CASES = List.of("missing", "wrong", "empty", "twice-same",
            "twice-different", "hex");
    private static final List<Object> SPECIAL_SCALARS = Arrays.asList("", " ", "open", "banana", "-1", "0", "1e400",
            "NaN", "12345678901234567890", "needs review", "review");

    private static ConfigurableApplicationContext app;
    private static String base;

    @BeforeAll
    static void start() {
        // Command-line arguments: they outrank application.properties (default properties would not).
        app = new SpringApplicationBuilder(ReturnbridgeApplication.class).run("--server.port=0",
                "--server.address=127.0.0.1",
                "--spring.datasource.url=jdbc:h2:mem:fuzz-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
                "--returnbridge.admin.password=pw", "--logging.level.root=WARN",
                "--logging.level.com.returnbridge.intake=ERROR",
                "--returnbridge.connections.fuzz.loop.base-url=http://127.0.0.1:9/loop",
                "--returnbridge.connections.fuzz.loop.api-key=k",
                "--returnbridge.connections.fuzz.loop.webhook-secret=" + LOOP_SECRET,
                "--returnbridge.connections.fuzz.shiphero.base-url=http://127.0.0.1:9/shiphero",
                "--returnbridge.connections.fuzz.shiphero.access-token=t",
                "--returnbridge.connections.fuzz.shiphero.webhook-secret=" + SHIPHERO_SECRET);
        base = "http://127.0.0.1:" + ((WebServerApplicationContext) app).getWebServer().getPort() + "/webhooks/";
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            try {
                assertStoredDeliveriesAndLinksAreSound();
            } finally {
                app.close();
            }
        }
    }

    // ---------------------------------------------------------------- properties

    static Stream<Long> tries12() {
        return Tries.seeds(12);
    }

    static Stream<Long> tries30() {
        return Tries.seeds(30);
    }

    static Stream<Long> tries40() {
        return Tries.seeds(40);
    }

    static Stream<Long> tries100() {
        return Tries.seeds(100);
    }

    static Stream<Long> tries150() {
        return Tries.seeds(150);
    }

    static Stream<Long> tries250() {
        return Tries.seeds(250);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("tries150")
    void randomBytesSignedOrNot(long seed) {
        Random r = new Random(seed);
        byte[] body = bytes(r, 0, 600);
        boolean sign = r.nextBoolean();
        boolean loop = r.nextBoolean();
        Http.Answer answer = post(loop, body, sign, contentType(r));
        assertSane(answer, loop);
        if (sign) {
            assertStored(answer, loop, body);
        } else {
            assertThat(answer.status()).isEqualTo(401);
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("tries250")
    void everyFieldOfALoopReturnWithEveryWrongType(long seed) {
        Random r = new Random(seed);
        ObjectNode payload = validLoopReturn(r);
        payload.set(pick(r, LOOP_FIELDS), JSON.valueToTree(jsonValue(r)));
        byte[] body = JSON.writeValueAsBytes(payload);
        Http.Answer answer = post(true, body, true, contentType(r));
        assertSane(answer, true);
        assertStored(answer, true, body);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("tries150")
    void everyFieldOfAReturnUpdateWithEveryWrongType(long seed) {
        Random r = new Random(seed);
        ObjectNode payload = validReturnUpdate();
        payload.set(pick(r, SHIPHERO_FIELDS), JSON.valueToTree(jsonValue(r)));
        byte[] body = JSON.writeValueAsBytes(payload);
        Http.Answer answer = post(false, body, true, "application/json");
        assertSane(answer, false);
        assertStored(answer, false, body);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("tries100")
    void truncatedJson(long seed) {
        Random r = new Random(seed);
        boolean loop = r.nextBoolean();
        byte[] full = JSON.writeValueAsBytes(loop ? validLoopReturn(r) : validReturnUpdate());
        byte[] cut = Arrays.copyOf(full, Math.max(1, (int) (full.length * r.nextDouble() * 0.98)));
        Http.Answer answer = post(loop, cut, true, "application/json");
        assertSane(answer, loop);
        assertStored(answer, loop, cut);
        assertThat(outcome(loop, cut)).as("a truncated body is never readable").isEqualTo("UNREADABLE");
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("tries30")
    void deeplyNestedJson(long seed) {
        Random r = new Random(seed);
        int depth = r.nextInt(4) == 0 ? pick(r, List.of(999, 1000, 1001, 5000, 100_000)) : 1 + r.nextInt(50);
        boolean loop = r.nextBoolean();
        String nested = "[".repeat(depth) + "]".repeat(depth);
        String body = r.nextBoolean()
                ? "{\"topic\":\"return\",\"trigger\":\"return.created\",\"id\":\"1\",\"state\":\"open\","
                + "\"line_items\":" + nested + ",\"webhook_type\":\"Return Update\",\"return_uuid\":" + nested + "}"
                : nested;
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        Http.Answer answer = post(loop, bytes, true, "application/json");
        assertSane(answer, loop);
        assertStored(answer, loop, bytes);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("tries40")
    void signatureHeaders(long seed) {
        Random r = new Random(seed);
        String kind = pick(r, SIGNATURE_CASES);
        boolean loop = r.nextBoolean();
        byte[] body = JSON.writeValueAsBytes(loop ? validLoopReturn(r) : validReturnUpdate());
        String header = loop ? "X-Loop-Signature" : "x-shiphero-hmac-sha256";
        String good = SandboxWebhookSender.sign(loop ? LOOP_SECRET : SHIPHERO_SECRET, body);
        var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + (loop ? "loop" : "shiphero")
                + "/fuzz")).POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(body))
                .header("Content-Type", "application/json");
        switch (kind) {
            case "missing" -> { }
            case "wrong" -> request.header(header, good.substring(1) + "A");
            case "empty" -> request.header(header, "");
            case "twice-same" -> request.header(header, good).header(header, good);
            case "twice-different" -> request.header(header, good).header(header, "x" + good);
            case "hex" -> request.header(header, Signatures.sha256Hex(body));
            default -> throw new IllegalArgumentException(kind);
        }
        long before = storedDeliveries();
        Http.Answer answer = Http.send(request.build());
        assertSane(answer, loop);
        assertThat(answer.status()).as(kind).isEqualTo(401);
        assertThat(storedDeliveries()).as("nothing stored for a bad signature").isEqualTo(before);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("tries12")
    void bodiesAroundTheSizeLimit(long seed) {
        Random r = new Random(seed);
        int size = WebhookController.MAX_BODY_BYTES + pick(r, List.of(-1000, -1, 0, 1, 2, 1000));
        boolean loop = r.nextBoolean();
        ObjectNode payload = loop ? validLoopReturn(r) : validReturnUpdate();
        String json = JSON.writeValueAsString(payload);
        String padded = json.substring(0, json.length() - 1) + ",\"padding\":\"";
        int fill = size - padded.length() - 2;
        byte[] body = fill < 0 ? json.getBytes(StandardCharsets.UTF_8)
                : (padded + "x".repeat(fill) + "\"}").getBytes(StandardCharsets.UTF_8);
        Http.Answer answer = post(loop, body, true, "application/json");
        assertSane(answer, loop);
        assertThat(answer.status()).isEqualTo(body.length > WebhookController.MAX_BODY_BYTES ? 413 : 200);
    }

    // ---------------------------------------------------------------- generators

    private static <T> T pick(Random r, List<T> values) {
        return values.get(r.nextInt(values.size()));
    }

    private static byte[] bytes(Random r, int min, int max) {
        byte[] out = new byte[min + r.nextInt(max - min + 1)];
        r.nextBytes(out);
        return out;
    }

    /** One of the content types, null one time in ten. */
    private static String contentType(Random r) {
        return r.nextInt(10) == 0 ? null : pick(r, CONTENT_TYPES);
    }

    /** Any text: control characters, every plane (no lone surrogates: those are not text). */
    private static String anyString(Random r, int maxLength) {
        int length = r.nextInt(maxLength + 1);
        StringBuilder s = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            int cp = switch (r.nextInt(4)) {
                case 0 -> r.nextInt(0x20);
                case 1 -> 0x20 + r.nextInt(0x5F);
                case 2 -> r.nextInt(0xD800);
                default -> 0xE000 + r.nextInt(0x110000 - 0xE000);
            };
            s.appendCodePoint(cp);
        }
        return s.toString();
    }

    private static String alpha(Random r, int min, int max) {
        int length = min + r.nextInt(max - min + 1);
        StringBuilder s = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            char c = (char) ('a' + r.nextInt(26));
            s.append(r.nextBoolean() ? Character.toUpperCase(c) : c);
        }
        return s.toString();
    }

    private static Object scalar(Random r) {
        return switch (r.nextInt(8)) {
            case 0 -> anyString(r, 300);
            case 1 -> alpha(r, 40, 5000);
            case 2 -> r.nextLong();
            case 3 -> r.nextBoolean() ? r.nextDouble() * Math.pow(10, r.nextInt(40) - 20) : -r.nextDouble();
            case 4 -> new BigInteger(100, r).subtract(BigInteger.TWO.pow(99));
            case 5 -> r.nextBoolean();
            case 6 -> null;
            default -> pick(r, SPECIAL_SCALARS);
        };
    }

    private static List<Object> list(Random r, java.util.function.Function<Random, Object> element, int max) {
        List<Object> out = new ArrayList<>();
        int size = r.nextInt(max + 1);
        for (int i = 0; i < size; i++) {
            out.add(element.apply(r));
        }
        return out;
    }

    /** A scalar, a list of scalars, a one-key object, or a list of lists. */
    private static Object jsonValue(Random r) {
        return switch (r.nextInt(4)) {
            case 0 -> scalar(r);
            case 1 -> list(r, IntakeFuzzTest::scalar, 4);
            case 2 -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put(alpha(r, 0, 8), scalar(r));
                yield m;
            }
            default -> list(r, x -> list(x, IntakeFuzzTest::scalar, 4), 3);
        };
    }

    // ---------------------------------------------------------------- helpers

    private static Http.Answer post(boolean loop, byte[] body, boolean sign, String contentType) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (contentType != null) {
            headers.put("Content-Type", contentType);
        }
        if (sign) {
            headers.put(loop ? "X-Loop-Signature" : "x-shiphero-hmac-sha256",
                    SandboxWebhookSender.sign(loop ? LOOP_SECRET : SHIPHERO_SECRET, body));
        }
        return Http.post(base + (loop ? "loop" : "shiphero") + "/fuzz", body, headers);
    }

    /** 4xx with a reason, or 200 saying what happened: never a 5xx, never an unexplained answer. */
    private static void assertSane(Http.Answer answer, boolean loop) {
        assertThat(answer.status()).as("status, body %s", answer.body()).isIn(200, 401, 404, 413);
        if (answer.status() == 200) {
            assertThat(answer.body()).isEqualTo(loop ? answer.body() : "{\"code\":\"200\",\"Status\":\"Success\"}");
            if (loop) {
                assertThat(answer.body()).matches("\\{\"status\":\"(accepted|ignored|duplicate|unreadable)\"}");
            }
        } else {
            assertThat(answer.body()).as("a reason for %s", answer.status()).contains("\"error\"");
        }
    }

    /** A signed body is 2xx and stored; when Loop's answer says unreadable, the row says why. */
    private static void assertStored(Http.Answer answer, boolean loop, byte[] body) {
        assertThat(answer.status()).as("a signed body is always answered 2xx: %s", answer.body()).isEqualTo(200);
        if (loop && answer.body().contains("unreadable") || !loop) {
            String outcome = outcome(loop, body);
            assertThat(outcome).as("stored").isNotNull();
            if (loop) {
                assertThat(outcome).isEqualTo("UNREADABLE");
            }
        }
    }

    /** The stored outcome of a delivery whose key is its body's hash (Loop: unreadable ones; ShipHero: all). */
    private static String outcome(boolean loop, byte[] body) {
        String key = (loop ? "unreadable:" : "sha256:") + Signatures.sha256Hex(body);
        Map<String, Object> row = app.getBean(JdbcClient.class).sql("""
                SELECT outcome, unreadable_reason FROM delivery WHERE connection_id = 'fuzz' AND dedupe_key = ?""")
                .param(key).query().listOfRows().stream().findFirst().orElse(null);
        if (row == null) {
            return null;
        }
        Object outcome = row.get("OUTCOME");
        if ("UNREADABLE".equals(outcome)) {
            assertThat(String.valueOf(row.get("UNREADABLE_REASON"))).as("an unreadable delivery says why")
                    .isNotBlank().doesNotContain("\n");
        }
        return String.valueOf(outcome);
    }

    private static long storedDeliveries() {
        return app.getBean(JdbcClient.class).sql("SELECT COUNT(*) FROM delivery").query(Long.class).single();
    }

    private static void assertStoredDeliveriesAndLinksAreSound() {
        JdbcClient jdbc = app.getBean(JdbcClient.class);
        for (Map<String, Object> link : jdbc.sql("SELECT loop_return_id, loop_state FROM return_link").query()
                .listOfRows()) {
            assertThat(String.valueOf(link.get("LOOP_RETURN_ID"))).matches("\\d{1,18}");
            Object state = link.get("LOOP_STATE");
            if (state != null) {
                // unknown states are kept as they came; Loop's "needs review" is review
                assertThat(String.valueOf(state)).hasSizeLessThanOrEqualTo(30).isNotBlank()
                        .isNotEqualToIgnoringCase("needs review");
            }
        }
        assertThat(jdbc.sql("""
                SELECT COUNT(*) FROM delivery WHERE outcome = 'UNREADABLE'
                   AND (unreadable_reason IS NULL OR unreadable_reason = '')""").query(Long.class).single())
                .as("every unreadable delivery has its reason").isZero();
    }

    private static ObjectNode validLoopReturn(Random r) {
        return (ObjectNode) JSON.readTree("""
                {"topic":"return","trigger":"return.created","shop_id":65432,"id":"%d","state":"open",
                 "created_at":"2025-03-04T15:22:09Z","edited_at":null,"order_name":"#10452",
                 "provider_order_id":"5981234567890","customer":"ana@example.com",
                 "address":{"name":"Ana","address1":"1 Main","city":"X","zip":"1","country_code":"US"},
                 "line_items":[{"line_item_id":1,"sku":"TEE","return_reason":"Too small","provider_line_item_id":"9"}],
                 "carrier":"N/A","tracking_number":"N/A","label_status":"N/A"}"""
                .formatted(1 + (r.nextLong() & Long.MAX_VALUE) % 1_000_000_000L));
    }

    private static ObjectNode validReturnUpdate() {
        return (ObjectNode) JSON.readTree("""
                {"test":"0","webhook_type":"Return Update","return_id":7712345,"return_uuid":"UmV0dXJuOjc3MTIzNDU=",
                 "status":"warehouse_complete","items":[{"id":1,"quantity":1,"quantity_received":1,"sku":"TEE"}],
                 "order_uuid":"T3JkZXI6NTQ4OTEyMzQ1","partner_order_id":"5776005693737","order_number":"#1001"}""");
    }
}
