package com.returnbridge.bridge;

import com.returnbridge.connection.ReceiptRule;
import com.returnbridge.connection.StatusAction;
import com.returnbridge.connection.StatusPolicy;
import com.returnbridge.vendor.Signatures;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The policy applied to a re-read RMA: the mapped action, except that Process needs what the receipt rule asks for
 * (else Flag, as the incumbent integration does). Under {@link ReceiptRule#PER_ITEM} each Loop line item gets its own
 * verdict ({@link #lines()}) and Process may become "remove the missing lines, process the rest" ({@link #removes()}).
 * The key names the decision, lines included, so the same decision reached from several deliveries acts once.
 */
public record Decision(StatusAction action, boolean unmapped, String key, String explanation,
                       List<LineDecision> lines, boolean perItem) {

    public Decision {
        lines = lines == null ? List.of() : List.copyOf(lines);
    }

    public Decision(StatusAction action, boolean unmapped, String key, String explanation) {
        this(action, unmapped, key, explanation, List.of(), false);
    }

    /** The whole-return decision (no line verdicts): the key every rule but per_item has always had. */
    public static Decision of(StatusPolicy policy, WarehouseApi.RmaSnapshot rma) {
        Optional<StatusAction> mapped = policy.mapped(rma.status());
        StatusAction configured = mapped.orElse(policy.unmappedAction());
        String rule = rule(mapped, configured, rma);
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

    /**
     * The decision for a return whose Loop side is known: with each line's verdict, and under per_item decided by
     * them. Without the Loop return (null), as {@link #of(StatusPolicy, WarehouseApi.RmaSnapshot)}.
     */
    public static Decision of(StatusPolicy policy, LoopReturn loopReturn, WarehouseApi.RmaSnapshot rma) {
        Decision whole = of(policy, rma);
        if (loopReturn == null || loopReturn.units().isEmpty()) {
            return whole;
        }
        List<LineDecision> lines = LineDecision.of(LineMatching.receipts(loopReturn, rma), loopReturn, policy);
        Optional<StatusAction> mapped = policy.mapped(rma.status());
        StatusAction configured = mapped.orElse(policy.unmappedAction());
        if (policy.receiptRule() != ReceiptRule.PER_ITEM || configured != StatusAction.PROCESS) {
            // Other rules keep their key, so links decided before per-item lines existed are not decided again.
            return new Decision(whole.action, whole.unmapped, whole.key, whole.explanation, lines, false);
        }
        String rule = rule(mapped, configured, rma) + ", receipt rule per_item";
        long received = lines.stream().filter(l -> l.verdict() == LineDecision.Verdict.RECEIVED).count();
        List<LineDecision> missing = filter(lines, LineDecision.Verdict.MISSING);
        List<LineDecision> problems = filter(lines, LineDecision.Verdict.PROBLEM);
        String counts = received + " of " + lines.size() + " line items received good";
        StatusAction action;
        boolean removes = false;
        String explanation;
        if (missing.isEmpty() && problems.isEmpty()) {
            action = StatusAction.PROCESS;
            explanation = rule + " (" + counts + "): process";
        } else if (problems.isEmpty() && missing.size() < lines.size()
                && missing.stream().allMatch(LineDecision::removable)) {
            action = StatusAction.PROCESS;
            removes = true;
            explanation = rule + " (" + counts + "): remove the " + missing.size() + " missing line item(s) in Loop ("
                    + "refund or store credit), which processes the rest";
        } else {
            action = StatusAction.FLAG;
            explanation = rule + " (" + counts + "): flag, " + whyFlag(lines, missing, problems);
        }
        String signature = lines.stream().map(l -> l.receipt().loopLineItemId() + "=" + l.verdict().word() + "/"
                + l.receipt().received() + "/" + l.receipt().condition()).collect(Collectors.joining(","));
        String key = action.name() + (removes ? "-REMOVE" : "") + ":" + StatusPolicy.normalise(rma.status()) + ":"
                + rma.received() + "/" + rma.expected() + ":"
                + Signatures.sha256Hex(signature.getBytes(StandardCharsets.UTF_8)).substring(0, 16);
        if (key.length() > 300) {
            key = key.substring(0, 300);
        }
        return new Decision(action, mapped.isEmpty(), key, explanation, lines, true);
    }

    private static String whyFlag(List<LineDecision> lines, List<LineDecision> missing, List<LineDecision> problems) {
        if (!problems.isEmpty()) {
            return problems.size() + " line item(s) with a problem";
        }
        if (missing.size() == lines.size()) {
            return "nothing received";
        }
        if (missing.stream().anyMatch(l -> l.outcome() == LoopReturn.Outcome.EXCHANGE)) {
            return "a missing line item is an exchange, which Loop cannot remove";
        }
        return "a missing line item cannot be removed in Loop (its id or outcome is not known)";
    }

    private static String rule(Optional<StatusAction> mapped, StatusAction configured, WarehouseApi.RmaSnapshot rma) {
        return mapped.isPresent()
                ? "status '" + rma.status() + "' maps to " + configured.name().toLowerCase()
                : "status '" + rma.status() + "' is unmapped → " + configured.name().toLowerCase();
    }

    private static List<LineDecision> filter(List<LineDecision> lines, LineDecision.Verdict verdict) {
        return lines.stream().filter(l -> l.verdict() == verdict).toList();
    }

    /** Process by removing the missing lines: Loop's Remove Line Items processes what is left. */
    public boolean removes() {
        return perItem && action == StatusAction.PROCESS
                && lines.stream().anyMatch(l -> l.verdict() == LineDecision.Verdict.MISSING);
    }

    /** The Loop line item ids Remove is asked for. */
    public List<String> removals() {
        return removes() ? lines.stream().filter(l -> l.verdict() == LineDecision.Verdict.MISSING)
                .map(l -> l.receipt().loopLineItemId()).toList() : List.of();
    }

    /** What the warehouse recorded per Loop line item (empty when the Loop return was not known). */
    public List<LineReceipt> receipts() {
        return lines.stream().map(LineDecision::receipt).toList();
    }

    /** The note that explains a flag in Loop: status, counts, RMA number, under Loop's {@link LoopApi#NOTE_LIMIT}. */
    public String note(WarehouseApi.RmaSnapshot rma) {
        String status = rma.status() == null ? "" : rma.status();
        if (status.length() > 60) {
            status = status.substring(0, 60);
        }
        String note = "Returnbridge: ShipHero RMA " + rmaNumber(rma) + " status '" + status + "', " + rma.received()
                + " of " + rma.expected() + " items received. Flagged for review.";
        List<LineDecision> wrong = lines.stream().filter(l -> l.verdict() != LineDecision.Verdict.RECEIVED).toList();
        if (perItem && !wrong.isEmpty() && action == StatusAction.FLAG) {
            note = note + " " + grouped(wrong, l -> l.verdict() == LineDecision.Verdict.MISSING
                    ? "missing (" + l.outcomeWord().replace('_', ' ') + ")" : l.why());
        }
        return fit(note);
    }

    /** The note before Remove: what is removed and why ("2 of 3 received; removed: TEE ×1, not in the parcel"). */
    public String removalNote(WarehouseApi.RmaSnapshot rma) {
        long received = lines.stream().filter(l -> l.verdict() == LineDecision.Verdict.RECEIVED).count();
        List<LineDecision> missing = filter(lines, LineDecision.Verdict.MISSING);
        return fit("Returnbridge: " + received + " of " + lines.size() + " received (ShipHero RMA " + rmaNumber(rma)
                + "); removed: " + grouped(missing, LineDecision::why));
    }

    /** The flag note when Loop refused to remove the missing lines: each line, and Loop's answer. */
    public String refusedRemovalNote(WarehouseApi.RmaSnapshot rma, String loopMessage) {
        List<LineDecision> missing = filter(lines, LineDecision.Verdict.MISSING);
        return fit("Returnbridge: ShipHero RMA " + rmaNumber(rma) + ", " + rma.received() + " of " + rma.expected()
                + " items received. Flagged for review: " + grouped(missing, l -> "missing ("
                + l.outcomeWord().replace('_', ' ') + ")") + "; Loop refused to remove them: " + loopMessage);
    }

    /** "TEE-BLK-M ×1, not in the parcel; HAT ×2, condition 'damaged'": one SKU and reason counted together. */
    private static String grouped(List<LineDecision> lines, java.util.function.Function<LineDecision, String> reason) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (LineDecision l : lines) {
            counts.merge(l.receipt().sku() + " ×%d, " + reason.apply(l), 1, Integer::sum);
        }
        return counts.entrySet().stream().map(e -> e.getKey().replace("×%d", "×" + e.getValue()))
                .collect(Collectors.joining("; "));
    }

    private static String rmaNumber(WarehouseApi.RmaSnapshot rma) {
        return String.valueOf(rma.legacyId() != null ? rma.legacyId() : rma.id());
    }

    private static String fit(String note) {
        return note.length() < LoopApi.NOTE_LIMIT ? note : note.substring(0, LoopApi.NOTE_LIMIT - 2) + "…";
    }
}
