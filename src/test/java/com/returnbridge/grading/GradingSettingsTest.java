package com.returnbridge.grading;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.returnbridge.bridge.LineReceipt;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The grading tables: conditions compared as statuses are, the unmapped fallback, dispositions from the counts. */
class GradingSettingsTest {

    @Test
    void offByDefaultWithTheDefaultTables() {
        GradingSettings d = GradingSettings.defaults();
        assertThat(d.enabled()).isFalse();
        assertThat(d.category("Damaged")).contains(ConditionCategory.GRADE_D);
        assertThat(d.unmappedCondition()).isNull();
        assertThat(d.restocked()).isEqualTo(Disposition.BACK_TO_STOCK);
        assertThat(d.notRestocked()).isEqualTo(Disposition.RESALE_HOLD);
        assertThat(d.missing()).isEqualTo(Disposition.MISSING);
    }

    @Test
    void conditionsMeetWhateverTheWarehouseSpelling() {
        GradingSettings s = GradingSettings.parse(true, Map.of("Like New", "Grade A"), null, null, null, null);
        assertThat(s.category("like_new")).contains(ConditionCategory.GRADE_A);
        assertThat(s.category("LIKE-NEW")).contains(ConditionCategory.GRADE_A);
        assertThat(s.category("scuffed")).isEmpty();
        assertThat(s.category(null)).isEmpty();
    }

    @Test
    void theUnmappedFallbackGradesTheRestButNeverALineWithoutACondition() {
        GradingSettings s = GradingSettings.parse(true, Map.of(), "grade_c", null, null, null);
        assertThat(s.category("scuffed")).contains(ConditionCategory.GRADE_C);
        assertThat(s.category(" ")).isEmpty();
        assertThat(GradingSettings.parse(true, Map.of(), "none", null, null, null).unmappedCondition()).isNull();
    }

    @Test
    void dispositionsFollowTheCounts() {
        GradingSettings s = GradingSettings.parse(true, Map.of(), null, "back_to_stock", "donate", "missing");
        assertThat(s.disposition(new LineReceipt("1", "A", 1, 1, 1, null))).isEqualTo(Disposition.BACK_TO_STOCK);
        assertThat(s.disposition(new LineReceipt("1", "A", 2, 2, 1, null))).isEqualTo(Disposition.DONATE);
        assertThat(s.disposition(new LineReceipt("1", "A", 1, 1, 0, null))).isEqualTo(Disposition.DONATE);
        assertThat(s.disposition(new LineReceipt("1", "A", 1, 0, 0, null))).isEqualTo(Disposition.MISSING);
    }

    @Test
    void wordsLoopDoesNotKnowAreRefusedWithTheChoices() {
        assertThatThrownBy(() -> GradingSettings.parse(true, Map.of("Damaged", "grade_e"), null, null, null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("grade_e")
                .hasMessageContaining("grade_a, grade_b");
        assertThatThrownBy(() -> GradingSettings.parse(true, Map.of(), null, "shred", null, null))
                .hasMessageContaining("back_to_stock");
        Map<String, String> twice = new LinkedHashMap<>();
        twice.put("Damaged", "grade_d");
        twice.put("damaged ", "grade_c");
        assertThatThrownBy(() -> GradingSettings.parse(true, twice, null, null, null, null))
                .hasMessageContaining("listed twice");
        assertThatThrownBy(() -> GradingSettings.parseLines("Damaged grade_d")).hasMessageContaining("=");
    }

    @Test
    void theConsolesTextAreaReadsBackTheTable() {
        GradingSettings s = GradingSettings.parse(true, GradingSettings.parseLines("Good = grade_b\n\nWrong Item=incorrect_item\n"),
                null, null, null, null);
        assertThat(s.conditionWords()).containsExactly(Map.entry("Good", "grade_b"),
                Map.entry("Wrong Item", "incorrect_item"));
        assertThat(GradingSettings.parse(true, GradingSettings.parseLines(s.conditionLines()), null, null, null, null))
                .isEqualTo(s);
    }

    @Test
    void configurationWithoutConditionsKeepsTheDefaultTableAndReadsTheDispositionKeysRelaxed() {
        GradingProperties.GradingConfig config = new GradingProperties.GradingConfig();
        config.setEnabled(true);
        config.setDispositions(Map.of("not-restocked", "recycle"));
        GradingSettings s = config.toSettings();
        assertThat(s.enabled()).isTrue();
        assertThat(s.category("wrong item")).contains(ConditionCategory.INCORRECT_ITEM);
        assertThat(s.notRestocked()).isEqualTo(Disposition.RECYCLE);
    }
}
