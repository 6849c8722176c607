package com.returnbridge.loop;

import static org.assertj.core.api.Assertions.assertThat;

import com.returnbridge.bridge.LoopReturn;
import com.returnbridge.bridge.LoopStage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.json.JsonMapper;

/** Loop's words read into the bridge's terms: states into stages, the "N/A" tracking into none. */
class LoopStateWordsTest {

    @ParameterizedTest
    @CsvSource({"open, OPEN", "review, REVIEW", "closed, CLOSED", "cancelled, CANCELLED", "expired, EXPIRED",
            "Open, OTHER", "awaiting_inspection, OTHER"})
    void eachWordHasItsStage(String word, LoopStage stage) {
        assertThat(new LoopStateWords().stage(word)).isEqualTo(stage);
    }

    @Test
    void noStateYetIsOther() {
        assertThat(LoopStateWords.of(null)).isEqualTo(LoopStage.OTHER);
    }

    @Test
    void onlyClosedCancelledAndExpiredAreFinished() {
        assertThat(LoopStage.values()).filteredOn(LoopStage::finished)
                .containsExactlyInAnyOrder(LoopStage.CLOSED, LoopStage.CANCELLED, LoopStage.EXPIRED);
    }

    @Test
    void notApplicableTrackingIsNoLabelAndLabelsArrayIsTriedInstead() {
        JsonMapper json = JsonMapper.builder().build();
        LoopReturn.Label none = LoopReturnMapper.label(json.readTree(
                "{\"carrier\":\"N/A\",\"tracking_number\":\"N/A\",\"label_status\":\"N/A\"}"));
        LoopReturn.Label fromArray = LoopReturnMapper.label(json.readTree("{\"tracking_number\":\"n/a\","
                + "\"labels\":[{\"carrier\":\"ups\",\"tracking_number\":\"1Z9\",\"status\":\"new\"}]}"));
        LoopReturn.Label stillNone = LoopReturnMapper.label(json.readTree(
                "{\"tracking_number\":\"N/A\",\"labels\":[{\"carrier\":\"ups\",\"tracking_number\":\"N/A\"}]}"));

        assertThat(none).isNull();
        assertThat(fromArray).isEqualTo(new LoopReturn.Label("ups", "1Z9", "new"));
        assertThat(stillNone).isNull();
    }

    @Test
    void notApplicableCarrierOnATrackedLabelIsNoCarrier() {
        JsonMapper json = JsonMapper.builder().build();
        LoopReturn.Label label = LoopReturnMapper.label(json.readTree(
                "{\"carrier\":\"N/A\",\"tracking_number\":\"1Z1\",\"label_status\":\"new\"}"));

        assertThat(label).isEqualTo(new LoopReturn.Label(null, "1Z1", "new"));
    }
}
