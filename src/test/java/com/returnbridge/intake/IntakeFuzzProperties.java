package com.returnbridge.intake;

import static org.assertj.core.api.Assertions.assertThat;

import com.returnbridge.ReturnbridgeApplication;
import com.returnbridge.sandbox.SandboxWebhookSender;
import com.returnbridge.support.Http;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Garbage at the webhook endpoints, over real HTTP against the running service: random bytes, truncated and deeply
 * nested JSON, every field of a valid payload replaced by every JSON type, wrong content types, missing, wrong and
 * duplicated signatures, bodies just under and over the limit. Every answer is a 4xx with a reason, or 200 saying
 * what was done; never a 5xx. And nothing intake let through is garbage: every stored link has a numeric Loop id and
 * a known Loop state, so no job fails later on what intake accepted.
 */
class IntakeFuzzProperties {

    private static final String LOOP_SECRET = "fuzz-loop-secret";
    private static final String SHIPHERO_SECRET = "fuzz-shiphero-secret";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Set<String> LOOP_STATES = Set.of("open", "closed", "cancelled", "expired", "review");
    private static final List<String> CONTENT_TYPES = Arrays.asList(null, "application/json", "text/plain",
            "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/xml", "*/*",
            "application/json; charset=latin1");

    private static ConfigurableApplicationContext app;
    private static String base;

    @BeforeContainer
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

    @AfterContainer
    static void stop() {
        if (app != null) {
            assertStoredLinksAreSound();
            app.close();
        }
    }

    // ---------------------------------------------------------------- properties

    @Property(tries = 150)
    void randomBytesSignedOrNot(@ForAll("bytes") byte[] body, @ForAll boolean sign, @ForAll("contentTypes") String type,
                                @ForAll boolean loop) {
        Http.Answer answer = post(loop, body, sign, type);
        assertSane(answer, loop);
        if (!sign) {
            // never accepted; 400 when the body is unreadable first (empty, or eaten by a multipart content type)
            assertThat(answer.status()).isIn(400, 401);
        }
    }

    @Property(tries = 250)
    void everyFieldOfALoopReturnWithEveryWrongType(@ForAll("loopFields") String field, @ForAll("jsonValues") Object value,
                                                  @ForAll("contentTypes") String type) {
        ObjectNode payload = validLoopReturn();
        payload.set(field, JSON.valueToTree(value));
        assertSane(post(true, JSON.writeValueAsBytes(payload), true, type), true);
    }

    @Property(tries = 150)
    void everyFieldOfAReturnUpdateWithEveryWrongType(@ForAll("shipheroFields") String field,
                                                    @ForAll("jsonValues") Object value) {
        ObjectNode payload = validReturnUpdate();
        payload.set(field, JSON.valueToTree(value));
        assertSane(post(false, JSON.writeValueAsBytes(payload), true, "application/json"), false);
    }

    @Property(tries = 100)
    void truncatedJson(@ForAll boolean loop, @ForAll("fractions") double keep) {
        byte[] full = JSON.writeValueAsBytes(loop ? validLoopReturn() : validReturnUpdate());
        byte[] cut = Arrays.copyOf(full, Math.max(1, (int) (full.length * keep)));
        Http.Answer answer = post(loop, cut, true, "application/json");
        assertSane(answer, loop);
        assertThat(answer.status()).isEqualTo(400);
    }

    @Property(tries = 30)
    void deeplyNestedJson(@ForAll("depths") int depth, @ForAll boolean loop, @ForAll boolean inField) {
        String nested = "[".repeat(depth) + "]".repeat(depth);
        String body = inField ? "{\"topic\":\"return\",\"trigger\":\"return.created\",\"id\":\"1\",\"state\":\"open\","
                + "\"line_items\":" + nested + ",\"webhook_type\":\"Return Update\",\"return_uuid\":" + nested + "}"
                : nested;
        assertSane(post(loop, body.getBytes(StandardCharsets.UTF_8), true, "application/json"), loop);
    }

    @Property(tries = 40)
    void signatureHeaders(@ForAll("signatureCases") String kind, @ForAll boolean loop) {
        byte[] body = JSON.writeValueAsBytes(loop ? validLoopReturn() : validReturnUpdate());
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
        Http.Answer answer = Http.send(request.build());
        assertSane(answer, loop);
        assertThat(answer.status()).isEqualTo(401);
    }

    @Property(tries = 12)
    void bodiesAroundTheSizeLimit(@ForAll("sizes") int delta, @ForAll boolean loop) {
        int size = WebhookController.MAX_BODY_BYTES + delta;
        ObjectNode payload = loop ? validLoopReturn() : validReturnUpdate();
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

    @Provide
    Arbitrary<byte[]> bytes() {
        return Arbitraries.bytes().array(byte[].class).ofMinSize(0).ofMaxSize(600);
    }

    @Provide
    Arbitrary<String> contentTypes() {
        return Arbitraries.of(CONTENT_TYPES).injectNull(0.1);
    }

    @Provide
    Arbitrary<String> loopFields() {
        return Arbitraries.of("topic", "trigger", "id", "state", "edited_at", "order_name", "provider_order_id",
                "customer", "line_items", "address", "customer_detail", "labels", "carrier", "tracking_number",
                "label_status");
    }

    @Provide
    Arbitrary<String> shipheroFields() {
        return Arbitraries.of("webhook_type", "test", "return_id", "return_uuid", "status", "items", "order_uuid",
                "partner_order_id", "order_number");
    }

    @Provide
    Arbitrary<Object> jsonValues() {
        Arbitrary<Object> strings = Arbitraries.strings().all().ofMaxLength(300).map(s -> s);
        Arbitrary<Object> longStrings = Arbitraries.strings().alpha().ofMinLength(40).ofMaxLength(5000).map(s -> s);
        Arbitrary<Object> numbers = Arbitraries.oneOf(Arbitraries.longs().map(n -> n),
                Arbitraries.doubles().map(d -> d), Arbitraries.bigIntegers().between(
                        java.math.BigInteger.TEN.pow(30).negate(), java.math.BigInteger.TEN.pow(30)).map(b -> b));
        Arbitrary<Object> scalars = Arbitraries.oneOf(strings, longStrings, numbers,
                Arbitraries.of(true, false).map(b -> b), Arbitraries.just(null),
                Arbitraries.of("", " ", "open", "banana", "-1", "0", "1e400", "NaN", "12345678901234567890").map(s -> s));
        Arbitrary<Object> lists = scalars.list().ofMaxSize(4).map(l -> l);
        Arbitrary<Object> objects = Combinators.combine(Arbitraries.strings().alpha().ofMaxLength(8), scalars)
                .as((k, v) -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put(k, v);
                    return (Object) m;
                });
        return Arbitraries.oneOf(scalars, lists, objects, lists.list().ofMaxSize(3).map(l -> l));
    }

    @Provide
    Arbitrary<Double> fractions() {
        return Arbitraries.doubles().between(0.0, 0.98);
    }

    @Provide
    Arbitrary<Integer> depths() {
        return Arbitraries.oneOf(Arbitraries.integers().between(1, 50), Arbitraries.of(999, 1000, 1001, 5000, 100_000));
    }

    @Provide
    Arbitrary<String> signatureCases() {
        return Arbitraries.of("missing", "wrong", "empty", "twice-same", "twice-different", "hex");
    }

    @Provide
    Arbitrary<Integer> sizes() {
        return Arbitraries.of(-1000, -1, 0, 1, 2, 1000);
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
        assertThat(answer.status()).as("status, body %s", answer.body()).isIn(200, 400, 401, 404, 413, 415);
        if (answer.status() == 200) {
            assertThat(answer.body()).contains(loop ? "\"status\"" : "\"Success\"");
        } else {
            assertThat(answer.body()).as("a reason for %s", answer.status()).contains("\"error\"");
        }
    }

    private static void assertStoredLinksAreSound() {
        JdbcClient jdbc = app.getBean(JdbcClient.class);
        List<Map<String, Object>> links = jdbc.sql("SELECT loop_return_id, loop_state FROM return_link")
                .query().listOfRows();
        for (Map<String, Object> link : links) {
            assertThat(String.valueOf(link.get("LOOP_RETURN_ID"))).matches("\\d{1,18}");
            Object state = link.get("LOOP_STATE");
            if (state != null) {
                assertThat(LOOP_STATES).contains(String.valueOf(state));
            }
        }
    }

    private static ObjectNode validLoopReturn() {
        return (ObjectNode) JSON.readTree("""
                {"topic":"return","trigger":"return.created","shop_id":65432,"id":"%d","state":"open",
                 "created_at":"2025-03-04T15:22:09Z","edited_at":null,"order_name":"#10452",
                 "provider_order_id":"5981234567890","customer":"ana@example.com",
                 "address":{"name":"Ana","address1":"1 Main","city":"X","zip":"1","country_code":"US"},
                 "line_items":[{"line_item_id":1,"sku":"TEE","return_reason":"Too small","provider_line_item_id":"9"}],
                 "carrier":"N/A","tracking_number":"N/A","label_status":"N/A"}"""
                .formatted(Math.abs(UUID.randomUUID().getMostSignificantBits() % 1_000_000_000L)));
    }

    private static ObjectNode validReturnUpdate() {
        return (ObjectNode) JSON.readTree("""
                {"test":"0","webhook_type":"Return Update","return_id":7712345,"return_uuid":"UmV0dXJuOjc3MTIzNDU=",
                 "status":"warehouse_complete","items":[{"id":1,"quantity":1,"quantity_received":1,"sku":"TEE"}],
                 "order_uuid":"T3JkZXI6NTQ4OTEyMzQ1","partner_order_id":"5776005693737","order_number":"#1001"}""");
    }
}
