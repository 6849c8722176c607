package com.returnbridge.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.returnbridge.grading.ConditionCategory;
import com.returnbridge.grading.Disposition;
import com.returnbridge.grading.LoopGradingApi;
import com.returnbridge.vendor.VendorException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The grading calls in Loop's shape (vendor notes §14), and Loop's answers read once. */
class LoopGradingClientTest {

    private final LoopTestKit kit = new LoopTestKit();
    private final LoopGradingClient client = new LoopGradingClient(kit.http,
            Clock.fixed(Instant.parse("2026-03-31T23:59:59Z"), ZoneOffset.UTC));

    @AfterEach
    void close() {
        kit.close();
    }

    @Test
    void gradesGoAsLoopsItemsWithIntegerLineItemIdsAndItsCategoryWords() {
        kit.loop.answer(200, "[{\"line_item_id\":99120001}]");
        LoopGradingApi.Answer answer = client.grade(kit.connection, List.of(new LoopGradingApi.Grade("99120001",
                ConditionCategory.INCORRECT_ITEM, "Warehouse condition: wrong item")));
        assertThat(answer.accepted()).isTrue();
        assertThat(kit.loop.last().path()).isEqualTo("/dispositioning/grade");
        assertThat(kit.loop.last().header("X-Authorization")).isEqualTo(LoopTestKit.API_KEY);
        assertThat(kit.loop.last().body()).isEqualTo("{\"items\":[{\"line_item_id\":99120001,"
                + "\"condition_category\":\"incorrect_item\",\"description\":\"Warehouse condition: wrong item\","
                + "\"inspected_at\":\"2026-03-31 23:59:59\"}]}");
    }

    @Test
    void dispositionsGoToAssessWithLoopsOutcomeWords() {
        kit.loop.answer(200, "[]");
        client.assess(kit.connection, List.of(new LoopGradingApi.Assessment("7", Disposition.BACK_TO_STOCK, "1 of 1"),
                new LoopGradingApi.Assessment("8", Disposition.RESALE_HOLD, null)));
        assertThat(kit.loop.last().path()).isEqualTo("/dispositioning/assess");
        assertThat(kit.loop.last().body()).contains("\"disposition_outcome\":\"back_to_stock\"")
                .contains("\"disposition_outcome\":\"resale_hold\"").contains("\"line_item_id\":8");
    }

    @Test
    void aValidationRefusalIsHandedBackWithLoopsMessageAndAKeyWithoutTheScopeIsPermanent() {
        kit.loop.answer(422, "{\"message\":\"The selected items.0.line_item_id is invalid.\",\"errors\":{}}")
                .answer(403, "{\"message\":\"This action is unauthorized.\"}");
        LoopGradingApi.Answer refused = client.grade(kit.connection, List.of(new LoopGradingApi.Grade("1",
                ConditionCategory.GRADE_A, "x")));
        assertThat(refused.accepted()).isFalse();
        assertThat(refused.message()).isEqualTo("HTTP 422: The selected items.0.line_item_id is invalid.");
        assertThatThrownBy(() -> client.assess(kit.connection, List.of(new LoopGradingApi.Assessment("1",
                Disposition.MISSING, null)))).isInstanceOf(VendorException.class)
                .extracting(e -> ((VendorException) e).kind()).isEqualTo(VendorException.Kind.PERMANENT);
    }

    @Test
    void everyCategoryAndDispositionHasLoopsWord() {
        for (ConditionCategory c : ConditionCategory.values()) {
            assertThat(LoopGradingClient.category(c)).isEqualTo(c.word());
        }
        for (Disposition d : Disposition.values()) {
            assertThat(LoopGradingClient.disposition(d)).isEqualTo(d.word());
        }
        assertThat(LoopGradingClient.GRADE_LIMIT).isEqualTo(20);
    }
}
