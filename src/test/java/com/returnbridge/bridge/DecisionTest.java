package com.returnbridge.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import com.returnbridge.connection.StatusAction;
import com.returnbridge.connection.StatusPolicy;
import java.util.List;
import org.junit.jupiter.api.Test;

class DecisionTest {

    private static WarehouseApi.RmaSnapshot rma(String status, int expected, int received) {
        return new WarehouseApi.RmaSnapshot("UmV0dXJuOjE=", 1L, "48213377", status, expected, received,
                List.of(new WarehouseApi.LineState("TEE", expected, received)));
    }

    @Test
    void processOnlyWhenEveryUnitArrived() {
        var full = Decision.of(StatusPolicy.defaults(), rma("Warehouse Complete", 2, 2));
        assertThat(full.action()).isEqualTo(StatusAction.PROCESS);
        var partial = Decision.of(StatusPolicy.defaults(), rma("Warehouse Complete", 2, 1));
        assertThat(partial.action()).isEqualTo(StatusAction.FLAG);
        assertThat(partial.explanation()).contains("only 1 of 2 items received");
        var none = Decision.of(StatusPolicy.defaults(), rma("Complete", 2, 0));
        assertThat(none.action()).isEqualTo(StatusAction.FLAG);
    }

    @Test
    void perLineCountsMatterEvenWhenTotalsAgree() {
        var skewed = new WarehouseApi.RmaSnapshot("id", 1L, "p", "Complete", 2, 2,
                List.of(new WarehouseApi.LineState("A", 1, 2), new WarehouseApi.LineState("B", 1, 0)));
        assertThat(skewed.fullyReceived()).isFalse();
    }

    @Test
    void theSameDecisionHasTheSameKeyWhateverTheSpelling() {
        var a = Decision.of(StatusPolicy.defaults(), rma("warehouse_complete", 1, 1));
        var b = Decision.of(StatusPolicy.defaults(), rma("Warehouse Complete", 1, 1));
        assertThat(a.key()).isEqualTo(b.key());
        var c = Decision.of(StatusPolicy.defaults(), rma("Damaged", 1, 1));
        assertThat(c.key()).isNotEqualTo(a.key());
    }

    @Test
    void flagNoteNamesStatusCountsAndRmaUnderLoopsLimit() {
        var snapshot = rma("Damaged " + "x".repeat(400), 3, 1);
        var decision = Decision.of(StatusPolicy.defaults(), snapshot);
        String note = decision.note(snapshot);
        assertThat(note).contains("RMA 1").contains("1 of 3 items received").contains("Damaged");
        assertThat(note.length()).isLessThan(255);
    }

    @Test
    void unitsAreGroupedBySkuWithTheirReasons() {
        var units = List.of(new LoopReturn.Unit("TEE", "Too small", "1"), new LoopReturn.Unit("TEE", "Too small", "1"),
                new LoopReturn.Unit("CAP", "Damaged", "2"), new LoopReturn.Unit("TEE", "Wrong colour", "3"),
                new LoopReturn.Unit(null, "no sku", "4"));
        var lines = CreateRmaJob.linesBySku(new LoopReturn("1", "open", null, "#1", "1", null, null, units, null));
        assertThat(lines).containsOnlyKeys("TEE", "CAP");
        assertThat(lines.get("TEE").quantity()).isEqualTo(3);
        assertThat(lines.get("TEE").reason()).isEqualTo("Too small; Wrong colour");
        assertThat(lines.get("CAP").quantity()).isEqualTo(1);
    }
}
