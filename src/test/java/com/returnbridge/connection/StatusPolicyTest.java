package com.returnbridge.connection;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class StatusPolicyTest {

    private final StatusPolicy defaults = StatusPolicy.defaults();

    @ParameterizedTest
    @CsvSource({
            "Warehouse Complete, PROCESS", "warehouse_complete, PROCESS", "WAREHOUSE-COMPLETE, PROCESS",
            "'  warehouse  complete ', PROCESS", "Complete, PROCESS", "complete, PROCESS",
            "Issue, FLAG", "ISSUE, FLAG", "Damaged, FLAG", "damaged, FLAG",
            "Pending, IGNORE", "pending, IGNORE", "RTS, IGNORE", "rts, IGNORE"})
    void defaultTableMapsEverySpelling(String status, StatusAction expected) {
        assertThat(defaults.mapped(status)).contains(expected);
    }

    @Test
    void unknownStatusesAreUnmappedAndTakeTheConnectionsAction() {
        assertThat(defaults.mapped("Missing Inventory")).isEmpty();
        assertThat(defaults.mapped(null)).isEmpty();
        assertThat(defaults.unmappedAction()).isEqualTo(StatusAction.IGNORE);
        StatusPolicy strict = new StatusPolicy(List.of("Complete"), List.of(), List.of(), StatusAction.FLAG);
        assertThat(strict.mapped("Warehouse Complete")).isEmpty();
        assertThat(strict.unmappedAction()).isEqualTo(StatusAction.FLAG);
    }

    @Test
    void aStatusListedTwiceKeepsItsFirstAction() {
        StatusPolicy policy = new StatusPolicy(List.of("QA Done"), List.of("qa_done"), List.of(), StatusAction.IGNORE);
        assertThat(policy.mapped("QA-DONE")).contains(StatusAction.PROCESS);
    }

    @Test
    void normalisationIgnoresCaseSpacesUnderscoresAndHyphens() {
        assertThat(StatusPolicy.normalise(" Warehouse_Complete-")).isEqualTo("warehousecomplete");
        assertThat(StatusPolicy.normalise(null)).isEmpty();
    }
}
