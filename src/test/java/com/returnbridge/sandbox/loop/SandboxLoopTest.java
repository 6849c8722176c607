package com.returnbridge.sandbox.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.returnbridge.sandbox.SandboxWebhookSender;
import com.returnbridge.sandbox.loop.WebhookCapture.Delivery;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class SandboxLoopTest {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private final JsonMapper mapper = JsonMapper.builder().build();
    private SandboxWebhookSender sender;
    private WebhookCapture capture;
    private SandboxLoop loop;

    @BeforeEach
    void setUp() throws Exception {
        sender = new SandboxWebhookSender(Duration.ofMillis(50));
        capture = new WebhookCapture();
        loop = new SandboxLoop(sender);
    }

    @AfterEach
    void tearDown() {
        capture.close();
        sender.close();
    }

    @Test
    void eachUnitIsItsOwnLineItemSharingTheShopifyLineId() {
        LoopReturnView r = loop.createReturn(NewReturn.builder()
                .item("TEE-BLK-M", "Classic Tee - Black / M", "Too small", 2)
                .item("CAP-RED", "Red Cap", "Damaged", 1)
                .build());

        assertThat(r.id()).isGreaterThanOrEqualTo(48213377L);
        assertThat(r.state()).isEqualTo("open");
        assertThat(r.lineItems()).hasSize(3);
        assertThat(r.lineItems()).extracting(LoopReturnView.LineItem::sku)
                .containsExactly("TEE-BLK-M", "TEE-BLK-M", "CAP-RED");
        assertThat(r.lineItems().get(0).providerLineItemId()).isEqualTo(r.lineItems().get(1).providerLineItemId())
                .isNotEqualTo(r.lineItems().get(2).providerLineItemId());
        assertThat(r.lineItems()).extracting(LoopReturnView.LineItem::lineItemId).doesNotHaveDuplicates();
        assertThat(r.total()).isEqualByComparingTo("75.00");
    }

    /** Loop's return webhook documents the review state as "needs review"; the list API's filter says review. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"", "needs review", "review"})
    void aFlaggedReturnsWebhookSpellsTheReviewStateAsSet(String spelling) throws Exception {
        loop.addApiKey("k");
        if (!spelling.isEmpty()) {
            loop.setReviewStateInWebhooks(spelling);
        }
        loop.subscribe("return", "return.updated", capture.url("/updated"), "s3cret");
        LoopReturnView r = loop.createReturn(NewReturn.builder().item("TEE", "Tee", "Too small", 1).build());
        assertThat(new SandboxLoopApi(loop).flag("k", r.id()).isTrue()).isTrue();

        JsonNode json = mapper.readTree(capture.await(1, WAIT).get(0).body());
        assertThat(json.get("state").stringValue()).isEqualTo(spelling.isEmpty() ? "needs review" : spelling);
        assertThat(loop.returnById(r.id()).orElseThrow().state()).as("the API says review").isEqualTo("review");
        assertThatThrownBy(() -> loop.setReviewStateInWebhooks("Review")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void returnCreatedWebhookHasLoopsShapeAndAVerifiableSignature() throws Exception {
        loop.subscribe("return", "return.created", capture.url("/loop"), "s3cret");
        loop.subscribe("return", "return.closed", capture.url("/closed"), "other");

        LoopReturnView r = loop.createReturn(NewReturn.builder().orderName("#10452")
                .item("TEE-BLK-M", "Classic Tee", "Too small", 2).build());

        List<Delivery> got = capture.await(1, WAIT);
        assertThat(got).hasSize(1);
        Delivery d = got.get(0);
        assertThat(d.signature()).isEqualTo(SandboxWebhookSender.sign("s3cret", d.body()));
        assertThat(d.text()).doesNotContain("\n").contains("\\/"); // compact, PHP-style escaped slashes

        JsonNode json = mapper.readTree(d.body());
        assertThat(json.get("topic").stringValue()).isEqualTo("return");
        assertThat(json.get("trigger").stringValue()).isEqualTo("return.created");
        assertThat(json.get("id").isString()).isTrue();
        assertThat(json.get("id").stringValue()).isEqualTo(Long.toString(r.id()));
        assertThat(json.get("state").stringValue()).isEqualTo("open");
        assertThat(json.get("edited_at").isNull()).isTrue();
        assertThat(json.get("total").stringValue()).isEqualTo("50.00");
        assertThat(json.get("order_name").stringValue()).isEqualTo("#10452");
        assertThat(json.get("provider_order_number").asLong()).isEqualTo(10452);
        assertThat(json.get("carrier").stringValue()).isEqualTo("N/A");
        assertThat(json.get("tracking_number").stringValue()).isEqualTo("N/A");
        assertThat(json.get("label_status").stringValue()).isEqualTo("N/A");
        assertThat(json.get("label_updated_at").isNull()).isTrue();
        assertThat(json.get("labels")).isEmpty();
        for (String key : List.of("shop_id", "created_at", "order_id", "provider_order_id", "order_number",
                "customer", "customer_detail", "address", "currency", "is_gift_return", "refunds", "refund")) {
            assertThat(json.has(key)).as(key).isTrue();
        }
        assertThat(json.get("address").get("country_code").stringValue()).isEqualTo("US");
        JsonNode item = json.get("line_items").get(0);
        for (String key : List.of("line_item_id", "provider_line_item_id", "product_id", "variant_id", "sku",
                "barcode", "title", "price", "discount", "tax", "refund", "returned_at", "exchange_variant",
                "return_reason", "parent_return_reason", "outcome")) {
            assertThat(item.has(key)).as(key).isTrue();
        }
        assertThat(json.get("line_items")).hasSize(2);
    }

    @Test
    void labelGivenAtCreationFollowsAsLabelCreated() throws Exception {
        loop.subscribe("return", "return.created", capture.url("/return"), "k");
        loop.subscribe("label", "label.created", capture.url("/label"), "k");
        loop.subscribe("label", "label.updated", capture.url("/label"), "k");

        LoopReturnView r = loop.createReturn(NewReturn.builder().item("SKU-1", "One", "Other", 1)
                .label("USPS", "9400111899223197428490").build());
        loop.updateLabel(r.id(), "in_transit");

        List<Delivery> got = capture.await(3, WAIT);
        assertThat(got).hasSize(3);
        JsonNode created = mapper.readTree(got.stream().filter(d -> d.path().equals("/return")).findFirst()
                .orElseThrow().body());
        assertThat(created.get("carrier").stringValue()).isEqualTo("N/A");

        List<JsonNode> labels = got.stream().filter(d -> d.path().equals("/label"))
                .map(d -> mapper.readTree(d.body())).sorted(Comparator.comparing(j -> j.get("trigger").stringValue()))
                .toList();
        assertThat(labels).extracting(j -> j.get("trigger").stringValue())
                .containsExactly("label.created", "label.updated");
        JsonNode label = labels.get(0);
        assertThat(label.get("topic").stringValue()).isEqualTo("label");
        assertThat(label.get("id").stringValue()).isEqualTo(Long.toString(r.id()));
        assertThat(label.get("carrier").stringValue()).isEqualTo("USPS");
        assertThat(label.get("tracking_number").stringValue()).isEqualTo("9400111899223197428490");
        assertThat(label.get("label_status").stringValue()).isEqualTo("new");
        for (String key : List.of("shop_id", "order_id", "provider_order_id", "label_updated_at", "shipment_id")) {
            assertThat(label.has(key)).as(key).isTrue();
        }
        assertThat(labels.get(1).get("label_status").stringValue()).isEqualTo("in_transit");
        assertThat(loop.returnById(r.id()).orElseThrow().label().status()).isEqualTo("in_transit");
    }

    @Test
    void adminCloseFiresUpdatedAndClosedButInactiveSubscriptionsStaySilent() throws Exception {
        loop.subscribe("return", "return.updated", capture.url("/u"), "k");
        loop.subscribe("return", "return.closed", capture.url("/c"), "k");
        SandboxLoopApi api = new SandboxLoopApi(loop);
        loop.addApiKey("key");
        api.createWebhook("key", "{\"topic\":\"return\",\"trigger\":\"return.closed\",\"url\":\"" + capture.url("/inactive") + "\"}");
        LoopReturnView r = loop.createReturn(NewReturn.builder().item("A", "A", "Other", 1).build());

        loop.closeInAdmin(r.id());

        List<Delivery> got = capture.await(2, WAIT);
        assertThat(got).extracting(Delivery::path).containsExactlyInAnyOrder("/u", "/c");
        assertThat(mapper.readTree(got.get(0).body()).get("state").stringValue()).isEqualTo("closed");
        assertThat(loop.returnById(r.id()).orElseThrow().editedAt()).isNotNull();
    }

    @Test
    void apiCreatedWebhooksSignWithTheShopSecret() throws Exception {
        loop.addApiKey("key");
        loop.setWebhookSecret("shop-secret");
        new SandboxLoopApi(loop).createWebhook("key", "{\"topic\":\"return\",\"trigger\":\"return.updated\",\"url\":\""
                + capture.url("/api") + "\",\"status\":\"active\"}");
        LoopReturnView r = loop.createReturn(NewReturn.builder().item("A", "A", "Other", 1).build());

        loop.cancel(r.id());

        Delivery d = capture.await(1, WAIT).get(0);
        assertThat(d.signature()).isEqualTo(SandboxWebhookSender.sign("shop-secret", d.body()));
        assertThat(mapper.readTree(d.body()).get("state").stringValue()).isEqualTo("cancelled");
    }

    @Test
    void processIsQueuedThenClosesTheReturnOnItsOwnThreadWithSignedUpdatedAndClosedWebhooks() throws Exception {
        loop.subscribe("return", "return.updated", capture.url("/u"), "k");
        loop.subscribe("return", "return.closed", capture.url("/c"), "k");
        loop.addApiKey("key");
        loop.setProcessingDelay(Duration.ofMillis(300));
        SandboxLoopApi api = new SandboxLoopApi(loop);
        LoopReturnView r = loop.createReturn(NewReturn.builder().item("A", "A", "Other", 1).build());

        assertThat(api.process("key", r.id(), null).body()).isEqualTo("\"true\"");
        assertThat(loop.returnById(r.id()).orElseThrow().state()).as("queued, not processed yet").isEqualTo("open");
        assertThat(api.process("key", r.id(), null).isTrue()).as("a second Process while queued").isTrue();

        List<Delivery> got = capture.await(2, WAIT);
        assertThat(got).extracting(Delivery::path).containsExactlyInAnyOrder("/u", "/c"); // sent concurrently
        for (Delivery d : got) {
            assertThat(d.signature()).isEqualTo(SandboxWebhookSender.sign("k", d.body()));
            assertThat(mapper.readTree(d.body()).get("state").stringValue()).isEqualTo("closed");
        }
        assertThat(loop.returnById(r.id()).orElseThrow().state()).isEqualTo("closed");
        assertThat(loop.actions(r.id())).extracting(ActionCall::performed).containsExactly(true, false);
    }

    @Test
    void aProcessingFailedFaultSendsReturnProcessingFailedWithoutAnIdAndLeavesTheReturnOpen() throws Exception {
        loop.subscribe("return", "return.closed", capture.url("/c"), "k");
        loop.subscribe("return.processing", "return.processing.failed", capture.url("/p"), "k");
        loop.addApiKey("key");
        loop.faults().inject("process", com.returnbridge.sandbox.SandboxFaults.Fault.processingFailed(null), 1);
        SandboxLoopApi api = new SandboxLoopApi(loop);
        LoopReturnView r = loop.createReturn(NewReturn.builder().item("A", "A", "Other", 1).build());

        assertThat(api.process("key", r.id(), null).isTrue()).as("accepted, then failed").isTrue();

        List<Delivery> got = capture.await(1, WAIT);
        assertThat(got).extracting(Delivery::path).containsExactly("/p");
        Delivery d = got.get(0);
        assertThat(d.signature()).isEqualTo(SandboxWebhookSender.sign("k", d.body()));
        JsonNode body = mapper.readTree(d.body());
        assertThat(body.get("topic").stringValue()).isEqualTo("return.processing");
        assertThat(body.get("trigger").stringValue()).isEqualTo("return.processing.failed");
        assertThat(body.get("return_id").isIntegralNumber()).isTrue();
        assertThat(body.get("return_id").asLong()).isEqualTo(r.id());
        assertThat(body.get("return_state").stringValue()).isEqualTo("open");
        assertThat(body.get("message").isNull()).isTrue();
        assertThat(body.has("id")).isFalse();
        assertThat(loop.returnById(r.id()).orElseThrow().state()).isEqualTo("open");

        // Loop accepts Process again, and this time it goes through.
        assertThat(api.process("key", r.id(), null).isTrue()).isTrue();
        assertThat(capture.await(1, WAIT)).extracting(Delivery::path).containsExactly("/c");
    }

    @Test
    void silentProcessingClosesTheReturnWithoutWebhooks() throws Exception {
        loop.subscribe("return", "return.closed", capture.url("/c"), "k");
        loop.addApiKey("key");
        loop.setProcessingWebhooks(false);
        LoopReturnView r = loop.createReturn(NewReturn.builder().item("A", "A", "Other", 1).build());

        new SandboxLoopApi(loop).process("key", r.id(), null);

        org.awaitility.Awaitility.await().atMost(WAIT)
                .until(() -> loop.returnById(r.id()).orElseThrow().state().equals("closed"));
        assertThat(capture.await(1, Duration.ofMillis(300))).isEmpty();
    }

    @Test
    void theSuccessBodyAndTheCreateWebhookStatusPlayEachDocumentedVariant() {
        loop.addApiKey("key");
        SandboxLoopApi api = new SandboxLoopApi(loop);
        LoopReturnView r = loop.createReturn(NewReturn.builder().item("A", "A", "Other", 1).build());
        loop.setSuccessBody(SandboxLoop.SuccessBody.BOOLEAN);
        LoopAnswer flagged = api.flag("key", r.id());
        assertThat(flagged.body()).isEqualTo("true");
        assertThat(flagged.isTrue()).isTrue();
        loop.setSuccessBody(SandboxLoop.SuccessBody.STRING);
        assertThat(api.note("key", r.id(), "{\"content\":\"x\"}").body()).isEqualTo("\"true\"");

        String webhook = "{\"topic\":\"return.processing\",\"trigger\":\"return.processing.failed\","
                + "\"url\":\"https://x.test/h\",\"status\":\"active\"}";
        assertThat(api.createWebhook("key", webhook).status()).isEqualTo(201);
        loop.setWebhookCreateStatus(200);
        assertThat(api.createWebhook("key", webhook).status()).isEqualTo(200);
    }

    @Test
    void unknownReturnsAreRejected() {
        assertThatThrownBy(() -> loop.expire(1L)).isInstanceOf(NoSuchElementException.class);
        assertThat(loop.returnById(1L)).isEmpty();
    }
}
