package com.returnbridge.sandbox.loop;

import static org.assertj.core.api.Assertions.assertThat;

import com.returnbridge.sandbox.SandboxWebhookSender;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The simulated Item Grading and Disposition endpoints check what Loop documents, and keep only what they accept. */
class DispositioningTest {

    private static final String KEY = "test-key";

    private SandboxWebhookSender sender;
    private SandboxLoop loop;
    private SandboxLoopApi api;
    private LoopReturnView ret;

    @BeforeEach
    void setUp() {
        sender = new SandboxWebhookSender(Duration.ofMillis(10));
        loop = new SandboxLoop(sender, Clock.fixed(Instant.parse("2025-03-04T15:22:09Z"), ZoneOffset.UTC));
        loop.addApiKey(KEY);
        api = new SandboxLoopApi(loop);
        ret = loop.createReturn(NewReturn.builder().item("TEE-BLK-M", "Tee", "Too small", 2).build(), KEY);
    }

    @AfterEach
    void tearDown() {
        sender.close();
    }

    private long item(int i) {
        return ret.lineItems().get(i).lineItemId();
    }

    @Test
    void aValidGradeIsKeptAndEchoed() {
        LoopAnswer answer = api.grade(KEY, "{\"items\":[{\"line_item_id\":" + item(0)
                + ",\"description\":\"scuffed\",\"condition_category\":\"grade_c\",\"inspected_at\":\"2024-03-31 23:59:59\"}]}");
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).startsWith("[").contains("grade_c");
        assertThat(loop.dispositioning().grades(ret.id())).extracting(Dispositioning.Grade::category)
                .containsExactly("grade_c");
    }

    @Test
    void anInvalidItemIsRefusedWith422AndNothingOfTheCallIsKept() {
        String good = "{\"line_item_id\":" + item(0) + ",\"description\":\"ok\",\"condition_category\":\"grade_a\"}";
        assertThat(api.grade(KEY, "{\"items\":[" + good + ",{\"line_item_id\":" + item(1)
                + ",\"description\":\"x\",\"condition_category\":\"grade_z\"}]}").body())
                .contains("items.1.condition_category");
        assertThat(api.grade(KEY, "{\"items\":[{\"line_item_id\":\"" + item(0) + "\",\"description\":\"x\","
                + "\"condition_category\":\"grade_a\"}]}").status()).isEqualTo(422);
        assertThat(api.grade(KEY, "{\"items\":[{\"line_item_id\":" + item(0) + ",\"condition_category\":\"grade_a\"}]}")
                .body()).contains("description field is required");
        assertThat(api.grade(KEY, "{\"items\":[{\"line_item_id\":" + item(0) + ",\"description\":\"" + "x".repeat(256)
                + "\",\"condition_category\":\"grade_a\"}]}").status()).isEqualTo(422);
        assertThat(api.grade(KEY, "{\"items\":[{\"line_item_id\":1,\"description\":\"x\",\"condition_category\":"
                + "\"grade_a\"}]}").body()).contains("line_item_id is invalid");
        assertThat(api.assess(KEY, "{\"items\":[{\"line_item_id\":" + item(0) + ",\"disposition_outcome\":\"shred\"}]}")
                .status()).isEqualTo(422);
        assertThat(api.assess(KEY, "{\"items\":[]}").status()).isEqualTo(422);
        assertThat(loop.dispositioning().grades(ret.id())).isEmpty();
        assertThat(loop.dispositioning().assessments(ret.id())).isEmpty();
    }

    @Test
    void itemsOfAnotherShopAre403() {
        loop.addApiKey("other-shop");
        assertThat(api.assess("other-shop", "{\"items\":[{\"line_item_id\":" + item(0)
                + ",\"disposition_outcome\":\"missing\"}]}").status()).isEqualTo(403);
    }

    @Test
    void gradeTakesTwentyItemsAsTheGuideSaysOrThirtyAsTheOpenApiSays() {
        String items = IntStream.range(0, 21).mapToObj(i -> "{\"line_item_id\":" + item(i % 2)
                + ",\"description\":\"x\",\"condition_category\":\"grade_a\"}").collect(Collectors.joining(","));
        assertThat(api.grade(KEY, "{\"items\":[" + items + "]}").body()).contains("more than 20 items");
        loop.dispositioning().setGradeLimit(Dispositioning.OPENAPI_LIMIT);
        assertThat(api.grade(KEY, "{\"items\":[" + items + "]}").status()).isEqualTo(200);
    }

    @Test
    void theRefusalSwitchRefusesBothEndpoints() {
        loop.dispositioning().refuseWith("Grading is not enabled.");
        LoopAnswer answer = api.assess(KEY, "{\"items\":[{\"line_item_id\":" + item(0)
                + ",\"disposition_outcome\":\"missing\"}]}");
        assertThat(answer.status()).isEqualTo(422);
        assertThat(answer.body()).contains("Grading is not enabled.");
    }
}
