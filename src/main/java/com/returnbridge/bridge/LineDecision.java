package com.returnbridge.bridge;

import com.returnbridge.connection.StatusPolicy;
import java.util.ArrayList;
import java.util.List;

/**
 * The verdict on one Loop line item: what the warehouse recorded ({@link LineReceipt}), what Loop gives the shopper for
 * it, and whether it came back good, did not come back, or came back with a problem (a condition the connection lists
 * among its problem conditions, or no SKU the RMA could carry).
 */
public record LineDecision(LineReceipt receipt, LoopReturn.Outcome outcome, Verdict verdict, String why) {

    public enum Verdict {
        RECEIVED, MISSING, PROBLEM;

        public String word() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** A missing line Loop's Remove Line Items can take: a refund or store credit with a known line item id. */
    public boolean removable() {
        return verdict == Verdict.MISSING && receipt.loopLineItemId() != null && outcome != null
                && outcome != LoopReturn.Outcome.EXCHANGE;
    }

    public String outcomeWord() {
        return outcome == null ? "unknown" : outcome.word();
    }

    /** The receipts come in the order of the return's units ({@link LineMatching#receipts}). */
    static List<LineDecision> of(List<LineReceipt> receipts, LoopReturn loopReturn, StatusPolicy policy) {
        List<LineDecision> out = new ArrayList<>();
        for (int i = 0; i < receipts.size(); i++) {
            LineReceipt r = receipts.get(i);
            LoopReturn.Outcome outcome = i < loopReturn.units().size() ? loopReturn.units().get(i).outcome() : null;
            if (r.sku() == null) {
                out.add(new LineDecision(r, outcome, Verdict.PROBLEM, "no SKU, so not on the RMA"));
            } else if (r.missing()) {
                out.add(new LineDecision(r, outcome, Verdict.MISSING, "not in the parcel"));
            } else if (r.condition() != null && policy.isProblemCondition(r.condition())) {
                out.add(new LineDecision(r, outcome, Verdict.PROBLEM, "condition '" + shorten(r.condition()) + "'"));
            } else {
                out.add(new LineDecision(r, outcome, Verdict.RECEIVED,
                        r.condition() == null ? "received" : "received, condition '" + shorten(r.condition()) + "'"));
            }
        }
        return out;
    }

    /** "TEE-BLK-M (99120001): missing, refund — not in the parcel", for the timeline. */
    String describe() {
        return receipt.sku() + (receipt.loopLineItemId() != null ? " (" + receipt.loopLineItemId() + ")" : "") + ": "
                + verdict.word() + ", " + outcomeWord() + " — " + why;
    }

    static String shorten(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "…";
    }
}
