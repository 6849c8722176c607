package com.returnbridge.bridge;

import com.returnbridge.connection.StatusAction;
import com.returnbridge.connection.StatusPolicy;
import java.util.Optional;

/**
 * The policy applied to a re-read RMA: the mapped action, except that Process needs every expected unit
 * received (else Flag, as the incumbent integration does). The key names the decision, so the same decision
 * reached from several deliveries acts once.
 */
public record Decision(StatusAction action, boolean unmapped, String key, String explanation) {

    public static Decision of(StatusPolicy policy, WarehouseApi.RmaSnapshot rma) {
        Optional<StatusAction> mapped = policy.mapped(rma.status());
        StatusAction configured = mapped.orElse(policy.unmappedAction());
        String rule = mapped.isPresent()
                ? "status '" + rma.status() + "' maps to " + configured.name().toLowerCase()
                : "status '" + rma.status() + "' is unmapped → " + configured.name().toLowerCase();
        String counts = rma.received() + " of " + rma.expected() + " items received";
        StatusAction action = configured;
        String explanation;
        if (configured == StatusAction.PROCESS
                && !policy.receiptRule().allowsProcess(rma.expected(), rma.received(), rma.fullyReceived())) {
            action = StatusAction.FLAG;
            explanation = rule + ", but only " + counts + ": flag instead of process";
        } else {
            explanation = rule + " (" + counts + "): " + action.name().toLowerCase();
        }
        String key = action.name() + ":" + StatusPolicy.normalise(rma.status()) + ":" + rma.received() + "/"
                + rma.expected();
        return new Decision(action, mapped.isEmpty(), key, explanation);
    }

    /** The note that explains a flag in Loop: status, counts, RMA number, under Loop's {@link LoopApi#NOTE_LIMIT}. */
    public String note(WarehouseApi.RmaSnapshot rma) {
        String status = rma.status() == null ? "" : rma.status();
        if (status.length() > 60) {
            status = status.substring(0, 60);
        }
        String note = "Returnbridge: ShipHero RMA " + (rma.legacyId() != null ? rma.legacyId() : rma.id())
                + " status '" + status + "', " + rma.received() + " of " + rma.expected()
                + " items received. Flagged for review.";
        return note.length() < LoopApi.NOTE_LIMIT ? note : note.substring(0, LoopApi.NOTE_LIMIT - 1);
    }
}
