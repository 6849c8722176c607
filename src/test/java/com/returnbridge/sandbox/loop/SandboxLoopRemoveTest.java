package com.returnbridge.sandbox.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.returnbridge.sandbox.SandboxFaults;
import com.returnbridge.sandbox.SandboxWebhookSender;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** The simulated Loop's Remove Line Items, as loop.md §7.6 documents it (refusals included). */
class SandboxLoopRemoveTest {

    private static final String KEY = "test-key";

    private final JsonMapper mapper = JsonMapper.builder().build();
    private SandboxWebhookSender sender;
    private SandboxLoop loop;
    private SandboxLoopApi api;

    @BeforeEach
    void setUp() {
        sender = new SandboxWebhookSender(Duration.ofMillis(10));
        loop = new SandboxLoop(sender);
        loop.addApiKey(KEY);
        loop.setProcessingDelay(Duration.ofMillis(50));
        api = new SandboxLoopApi(loop);
    }

    @AfterEach
    void tearDown() {
        sender.close();
    }

    private LoopReturnView newReturn() {
        return loop.createReturn(NewReturn.builder()
                .item(new NewReturn.Item("TEE", "Tee", "Too small", 2, BigDecimal.TEN, NewReturn.Outcome.REFUND))
                .item(new NewReturn.Item("HAT", "Hat", "Too small", 1, BigDecimal.TEN, NewReturn.Outcome.EXCHANGE))
                .build());
    }

    private String message(LoopAnswer answer) {
        return mapper.readTree(answer.body()).path("errors").path("message").asString();
    }

    private static String id(LoopReturnView r, int index) {
        return Long.toString(r.lineItems().get(index).lineItemId());
    }

    @Test
    void refundItemsAreRemovedAndTheRestIsProcessedAndClosedAfterwards() {
        LoopReturnView r = newReturn();
        LoopAnswer answer = api.remove(KEY, r.id(), id(r, 0));
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.isTrue()).isTrue();
        assertThat(loop.returnById(r.id()).orElseThrow().lineItems()).extracting(LoopReturnView.LineItem::sku)
                .containsExactly("TEE", "HAT");
        await().atMost(Duration.ofSeconds(5)).until(() -> loop.returnById(r.id()).orElseThrow().is("closed"));
        assertThat(api.remove(KEY, r.id(), id(r, 1)).status()).isEqualTo(422);
    }

    @Test
    void itRefusesWhatDoesNotQualifyWithLoopsMessages() {
        LoopReturnView r = newReturn();
        assertThat(message(api.remove(KEY, r.id(), null))).isEqualTo("The line item id field is required.");
        assertThat(message(api.remove(KEY, r.id(), id(r, 2)))).isEqualTo("There are no line items that qualify for removal");
        assertThat(message(api.remove(KEY, r.id(), id(r, 0) + "," + id(r, 2))))
                .isEqualTo("Not all line items qualify for removal");
        assertThat(loop.returnById(r.id()).orElseThrow().lineItems()).hasSize(3);
        loop.closeInAdmin(r.id());
        assertThat(message(api.remove(KEY, r.id(), id(r, 0)))).isEqualTo("Return cannot be modified.");
    }

    @Test
    void aRefuseFaultAnswersTheDocumented422() {
        LoopReturnView r = newReturn();
        loop.faults().inject("remove", SandboxFaults.Fault.refuse(null), 1);
        LoopAnswer answer = api.remove(KEY, r.id(), id(r, 0));
        assertThat(answer.status()).isEqualTo(422);
        assertThat(message(answer)).isEqualTo("Not all line items qualify for removal");
        assertThat(loop.returnById(r.id()).orElseThrow().lineItems()).hasSize(3);
    }

    @Test
    void anExchangeItemCarriesItsExchangeVariantAsLoopDocuments() throws Exception {
        LoopReturnView r = newReturn();
        var details = mapper.readTree(api.details(KEY, Long.toString(r.id()), null, null).body());
        List<String> variants = details.path("line_items").valueStream()
                .map(i -> i.path("exchange_variant").asString()).toList();
        assertThat(variants.get(0)).isEmpty();
        assertThat(variants.get(2)).isNotEmpty();
        assertThat(details.path("line_items").get(2).path("outcome").asString()).isEqualTo("default");
    }
}
