package com.returnbridge.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import com.returnbridge.connection.ReceiptRule;
import com.returnbridge.connection.StatusAction;
import com.returnbridge.connection.StatusPolicy;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Matching ShipHero's lines back to Loop's line items, and the per_item rule's decision on them. */
class PerItemDecisionTest {

    private static final StatusPolicy PER_ITEM = new StatusPolicy(StatusPolicy.DEFAULT_PROCESS,
            StatusPolicy.DEFAULT_FLAG, StatusPolicy.DEFAULT_IGNORE, StatusAction.IGNORE, ReceiptRule.PER_ITEM);

    private static LoopReturn.Unit unit(String id, String sku, LoopReturn.Outcome outcome) {
        return new LoopReturn.Unit(sku, "Too small", "p-" + sku, id, outcome);
    }

    private static LoopReturn loopReturn(LoopReturn.Unit... units) {
        return new LoopReturn("48213377", "open", null, "#1001", "5981", "ana@example.com", null, List.of(units), null);
    }

    private static WarehouseApi.LineState line(String sku, int expected, int received, int restocked,
                                               String condition) {
        return new WarehouseApi.LineState(sku, expected, received, restocked, condition, false);
    }

    private static WarehouseApi.LineState component(String sku, int expected, int received) {
        return new WarehouseApi.LineState(sku, expected, received, received, null, true);
    }

    private static WarehouseApi.RmaSnapshot rma(String status, WarehouseApi.LineState... lines) {
        int expected = 0;
        int received = 0;
        for (WarehouseApi.LineState l : lines) {
            expected += l.expected();
            received += l.received();
        }
        return new WarehouseApi.RmaSnapshot("UmV0dXJuOjE=", 7712345L, "48213377", status, expected, received,
                new ArrayList<>(List.of(lines)));
    }

    // ------------------------------------------------------------------ matching

    @Test
    void eachLoopLineItemGetsOneUnitOfItsSkusLine() {
        var r = loopReturn(unit("1", "TEE", LoopReturn.Outcome.REFUND), unit("2", "HAT", LoopReturn.Outcome.REFUND));
        var receipts = LineMatching.receipts(r, rma("Warehouse Complete", line("TEE", 1, 1, 1, null),
                line("HAT", 1, 0, 0, null)));
        assertThat(receipts).extracting(LineReceipt::loopLineItemId, LineReceipt::sku, LineReceipt::expected,
                        LineReceipt::received, LineReceipt::restocked)
                .containsExactly(tuple("1", "TEE", 1, 1, 1), tuple("2", "HAT", 1, 0, 0));
    }

    @Test
    void unitsOfOneSkuShareItsLineAndTheReceivedOnesGoToExchangesFirst() {
        var r = loopReturn(unit("1", "TEE", LoopReturn.Outcome.REFUND), unit("2", "TEE", LoopReturn.Outcome.EXCHANGE),
                unit("3", "TEE", LoopReturn.Outcome.REFUND));
        var receipts = LineMatching.receipts(r, rma("Warehouse Complete", line("TEE", 3, 2, 1, "good")));
        // Loop's order kept; the exchange (2) and then the first refund (1) took the two units that came back
        assertThat(receipts).extracting(LineReceipt::loopLineItemId, LineReceipt::received, LineReceipt::restocked)
                .containsExactly(tuple("1", 1, 0), tuple("2", 1, 1), tuple("3", 0, 0));
        assertThat(receipts.get(0).condition()).isEqualTo("good");
        assertThat(receipts.get(2).condition()).isNull();
    }

    @Test
    void twoRmaLinesOfOneSkuAreCountedTogether() {
        var r = loopReturn(unit("1", "TEE", LoopReturn.Outcome.REFUND), unit("2", "TEE", LoopReturn.Outcome.REFUND));
        var receipts = LineMatching.receipts(r, rma("Complete", line("TEE", 1, 0, 0, null),
                line("TEE", 1, 1, 1, "damaged")));
        assertThat(receipts).extracting(LineReceipt::received).containsExactly(1, 0);
        assertThat(receipts.get(0).condition()).isEqualTo("damaged");
    }

    @Test
    void aKitHeldAsItsComponentsIsReceivedOnlyWhenEveryComponentCameBack() {
        var r = loopReturn(unit("1", "KIT-GIFT", LoopReturn.Outcome.REFUND),
                unit("2", "KIT-GIFT", LoopReturn.Outcome.REFUND), unit("3", "TEE", LoopReturn.Outcome.REFUND));
        // two kits of (1 mug + 2 spoons) each: both mugs back, only 3 of 4 spoons → one whole kit
        var receipts = LineMatching.receipts(r, rma("Warehouse Complete", component("MUG", 2, 2),
                component("SPOON", 4, 3), line("TEE", 1, 1, 1, null)));
        assertThat(receipts).extracting(LineReceipt::sku, LineReceipt::received)
                .containsExactly(tuple("KIT-GIFT", 1), tuple("KIT-GIFT", 0), tuple("TEE", 1));
    }

    @Test
    void aKitWithALineOfItsOwnIsCountedByThatLineAndItsComponentsAreNotLoopItems() {
        var r = loopReturn(unit("1", "KIT-GIFT", LoopReturn.Outcome.REFUND));
        var receipts = LineMatching.receipts(r, rma("Warehouse Complete", line("KIT-GIFT", 1, 1, 1, null),
                component("MUG", 1, 0)));
        assertThat(receipts).extracting(LineReceipt::sku, LineReceipt::received)
                .containsExactly(tuple("KIT-GIFT", 1));
    }

    // ------------------------------------------------------------------ the decision

    @Test
    void everyLineReceivedAndGoodProcesses() {
        var r = loopReturn(unit("1", "TEE", LoopReturn.Outcome.REFUND), unit("2", "HAT", LoopReturn.Outcome.EXCHANGE));
        var d = Decision.of(PER_ITEM, r, rma("Warehouse Complete", line("TEE", 1, 1, 1, null),
                line("HAT", 1, 1, 1, "good")));
        assertThat(d.action()).isEqualTo(StatusAction.PROCESS);
        assertThat(d.removes()).isFalse();
        assertThat(d.lines()).extracting(LineDecision::verdict)
                .containsOnly(LineDecision.Verdict.RECEIVED);
    }

    @Test
    void missingRefundLinesAreRemovedWithANoteSayingWhatAndWhy() {
        var r = loopReturn(unit("11", "TEE-BLK-M", LoopReturn.Outcome.REFUND),
                unit("12", "HAT", LoopReturn.Outcome.STORE_CREDIT), unit("13", "SOCK", LoopReturn.Outcome.EXCHANGE));
        var rma = rma("Warehouse Complete", line("TEE-BLK-M", 1, 0, 0, null), line("HAT", 1, 1, 1, null),
                line("SOCK", 1, 1, 1, null));
        var d = Decision.of(PER_ITEM, r, rma);
        assertThat(d.action()).isEqualTo(StatusAction.PROCESS);
        assertThat(d.removes()).isTrue();
        assertThat(d.removals()).containsExactly("11");
        assertThat(d.removalNote(rma)).isEqualTo(
                "Returnbridge: 2 of 3 received (ShipHero RMA 7712345); removed: TEE-BLK-M ×1, not in the parcel");
    }

    @Test
    void aMissingExchangeIsFlaggedWithANoteNamingIt() {
        var r = loopReturn(unit("11", "TEE", LoopReturn.Outcome.REFUND), unit("12", "HAT", LoopReturn.Outcome.EXCHANGE));
        var rma = rma("Warehouse Complete", line("TEE", 1, 1, 1, null), line("HAT", 1, 0, 0, null));
        var d = Decision.of(PER_ITEM, r, rma);
        assertThat(d.action()).isEqualTo(StatusAction.FLAG);
        assertThat(d.explanation()).contains("exchange");
        assertThat(d.note(rma)).contains("HAT ×1, missing (exchange)").hasSizeLessThan(LoopApi.NOTE_LIMIT);
    }

    @Test
    void aProblemConditionFlagsAndTheConnectionSaysWhichConditionsAreProblems() {
        var r = loopReturn(unit("11", "TEE", LoopReturn.Outcome.REFUND), unit("12", "HAT", LoopReturn.Outcome.REFUND));
        var rma = rma("Warehouse Complete", line("TEE", 1, 1, 1, null), line("HAT", 1, 1, 0, "DAMAGED"));
        var flagged = Decision.of(PER_ITEM, r, rma);
        assertThat(flagged.action()).isEqualTo(StatusAction.FLAG);
        assertThat(flagged.note(rma)).contains("HAT ×1, condition 'DAMAGED'");
        var lenient = Decision.of(PER_ITEM.withProblemConditions(List.of("broken")), r, rma);
        assertThat(lenient.action()).isEqualTo(StatusAction.PROCESS);
        assertThat(lenient.removes()).isFalse();
    }

    @Test
    void nothingReceivedOrAnUnknownLineItemIdIsFlaggedNotRemoved() {
        var r = loopReturn(unit("11", "TEE", LoopReturn.Outcome.REFUND));
        assertThat(Decision.of(PER_ITEM, r, rma("Complete", line("TEE", 1, 0, 0, null))).action())
                .isEqualTo(StatusAction.FLAG);
        var old = loopReturn(new LoopReturn.Unit("TEE", "r", "p"), new LoopReturn.Unit("HAT", "r", "p2"));
        var d = Decision.of(PER_ITEM, old, rma("Complete", line("TEE", 1, 1, 1, null), line("HAT", 1, 0, 0, null)));
        assertThat(d.action()).isEqualTo(StatusAction.FLAG);
        assertThat(d.explanation()).contains("cannot be removed");
    }

    @Test
    void theKeyIncludesTheLinesAndOtherRulesKeepTheirKey() {
        var r = loopReturn(unit("11", "TEE", LoopReturn.Outcome.REFUND), unit("12", "HAT", LoopReturn.Outcome.REFUND));
        var good = rma("Warehouse Complete", line("TEE", 1, 1, 1, null), line("HAT", 1, 1, 1, null));
        var damaged = rma("Warehouse Complete", line("TEE", 1, 1, 1, null), line("HAT", 1, 1, 1, "damaged"));
        assertThat(Decision.of(PER_ITEM, r, good).key()).isNotEqualTo(Decision.of(PER_ITEM, r, damaged).key());
        assertThat(Decision.of(PER_ITEM, r, good).key()).isEqualTo(Decision.of(PER_ITEM, r, good).key());
        var allUnits = Decision.of(StatusPolicy.defaults(), r, damaged);
        assertThat(allUnits.key()).isEqualTo(Decision.of(StatusPolicy.defaults(), damaged).key());
        assertThat(allUnits.action()).isEqualTo(StatusAction.PROCESS);
        assertThat(allUnits.lines()).hasSize(2); // shown per line under every rule
    }

    @Test
    void aFlagStatusStillFlagsUnderPerItem() {
        var r = loopReturn(unit("11", "TEE", LoopReturn.Outcome.REFUND));
        var d = Decision.of(PER_ITEM, r, rma("Damaged", line("TEE", 1, 1, 1, null)));
        assertThat(d.action()).isEqualTo(StatusAction.FLAG);
    }
}
