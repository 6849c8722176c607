package com.returnbridge.bridge;

import com.returnbridge.connection.Connection;
import com.returnbridge.connection.Connections;
import com.returnbridge.connection.StatusAction;
import com.returnbridge.connection.StatusPolicy;
import com.returnbridge.vendor.VendorException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * The jobs that move a return along: create its RMA, turn a warehouse status into a Loop decision, close the RMA.
 * Each job re-reads vendor state before acting and is safe to run again after a crash at any line.
 */
@Service
public class BridgeService {

    private final Connections connections;
    private final ReturnLinks links;
    private final Timeline timeline;
    private final WarehouseApi warehouse;
    private final LoopApi loop;
    private final JobQueue jobs;
    private final TransactionTemplate tx;
    private final JsonMapper json;
    private final Clock clock;
    private final BridgeProperties properties;
    private final Backoff backoff;
    private final LoopProcessing processing;
    private final OrderChoices orderChoices;

    public BridgeService(Connections connections, ReturnLinks links, Timeline timeline, WarehouseApi warehouse,
                         LoopApi loop, JobQueue jobs, TransactionTemplate tx, JsonMapper json, Clock clock,
                         BridgeProperties properties, LoopProcessing processing, OrderChoices orderChoices) {
        this.processing = processing;
        this.orderChoices = orderChoices;
        this.connections = connections;
        this.links = links;
        this.timeline = timeline;
        this.warehouse = warehouse;
        this.loop = loop;
        this.jobs = jobs;
        this.tx = tx;
        this.json = json;
        this.clock = clock;
        this.properties = properties;
        this.backoff = new Backoff(properties.firstRetry(), properties.maxRetry());
    }

    // ---------------------------------------------------------------- Loop → ShipHero

    public JobResult createRma(long linkId) {
        Optional<ReturnLink> found = links.find(linkId);
        if (found.isEmpty() || found.get().state() != LinkState.RECEIVED || found.get().loopReturnJson() == null) {
            return JobResult.done();
        }
        ReturnLink link = found.get();
        if (connections.isPaused(link.connectionId())) {
            return waitWhilePaused();
        }
        LoopReturn loopReturn = json.readValue(link.loopReturnJson(), LoopReturn.class);
        if (loopReturn.state() == null) {
            return JobResult.done(); // only a label so far; return.created brings the rest and schedules again
        }
        Connection connection = connections.find(link.connectionId()).orElse(null);
        if (connection == null) {
            return attention(link, "connection " + link.connectionId() + " is not configured on this instance");
        }
        try {
            return createRma(connection, link, loopReturn);
        } catch (VendorException e) {
            return retryOrAttention(link, "ShipHero", e);
        }
    }

    private JobResult createRma(Connection connection, ReturnLink link, LoopReturn loopReturn) {
        String warehouseId = connection.shiphero().warehouseId();
        if (warehouseId == null) {
            return attention(link, "no ShipHero warehouse is configured for connection " + connection.id());
        }
        OrderChoice.Outcome choice = OrderChoice.of(
                warehouse.findOrders(connection, loopReturn.providerOrderId(), loopReturn.orderName()), loopReturn,
                orderChoices.chosenOrderId(link.id()));
        if (choice instanceof OrderChoice.NoneFound) {
            return orderNotFound(link, loopReturn);
        }
        if (!(choice instanceof OrderChoice.Found found)) {
            return orderUnclear(link, loopReturn, choice);
        }
        WarehouseApi.OrderMatch match = found.order();
        timeline.record(link, "ORDER_FOUND", "ShipHero order " + match.orderNumber() + " (" + match.orderId()
                + ") found by " + match.matchedBy());

        // A crash between ShipHero answering return_create and our commit leaves an RMA we do not know yet.
        List<WarehouseApi.RmaRef> ours = match.returns().stream()
                .filter(r -> link.loopReturnId().equals(r.partnerId())).toList();
        if (ours.size() > 1) {
            timeline.record(link, "DUPLICATE_RMA", ours.size() + " RMAs carry this return's partner_id in ShipHero ("
                    + ours.stream().map(r -> String.valueOf(r.legacyId())).collect(Collectors.joining(", "))
                    + "); keeping the first, cancel the others in ShipHero");
        }
        Optional<WarehouseApi.RmaRef> existing = ours.stream().findFirst();
        if (existing.isPresent()) {
            timeline.record(link, "RMA_ADOPTED", "RMA " + existing.get().legacyId()
                    + " with our partner_id already exists on the order; not creating another");
            return rmaStored(link, existing.get(), match.orderId());
        }

        Map<String, WarehouseApi.Line> lines = linesBySku(loopReturn);
        if (lines.isEmpty()) {
            return attention(link, "the Loop return has no line items with a SKU");
        }
        Set<String> missing = new LinkedHashSet<>(lines.keySet());
        missing.removeAll(match.skus());
        if (!missing.isEmpty()) {
            return attention(link, "SKU " + String.join(", ", missing) + " is not on ShipHero order "
                    + match.orderNumber() + "; fix the SKU mapping or the order, then retry");
        }

        WarehouseApi.RmaRequest request = rmaRequest(loopReturn, match, List.copyOf(lines.values()));
        // The order lookups took time: a cancellation may have arrived meanwhile, and an RMA cannot be taken back.
        LinkState now = links.find(link.id()).map(ReturnLink::state).orElse(null);
        if (now != LinkState.RECEIVED) {
            timeline.record(link, "RMA_NOT_CREATED", "the return moved to " + now
                    + " while its order was being looked up; no RMA created");
            return JobResult.done();
        }
        WarehouseApi.RmaRef rma = warehouse.createRma(connection, request);
        timeline.record(link, "RMA_CREATED", "RMA " + rma.legacyId() + " (" + rma.id() + ") created in ShipHero: "
                + lines.values().stream().map(l -> l.quantity() + " × " + l.sku()).collect(Collectors.joining(", "))
                + (request.label() != null && request.label().hasTracking()
                        ? ", tracking " + request.label().trackingNumber() : ""));
        // Just created: any status it gets reaches us as a Return Update (through resolveRma if one beats this
        // commit), so no look now; a look would re-read every new RMA once more, at a credit cost each time.
        return rmaStored(link, rma, match.orderId(), false);
    }

    private JobResult rmaStored(ReturnLink link, WarehouseApi.RmaRef rma, String orderId) {
        return rmaStored(link, rma, orderId, true);
    }

    private JobResult rmaStored(ReturnLink link, WarehouseApi.RmaRef rma, String orderId, boolean lookNow) {
        boolean moved = Boolean.TRUE.equals(tx.execute(s -> {
            if (links.rmaCreated(link.id(), rma, orderId)) {
                return true;
            }
            links.attachRma(link.id(), rma, orderId);
            return false;
        }));
        if (!moved) {
            ReturnLink now = links.find(link.id()).orElseThrow();
            timeline.record(now, "RMA_KEPT", "the return moved to " + now.state()
                    + " while its RMA was being created; RMA " + rma.legacyId() + " kept on the link");
            return JobResult.done();
        }
        // The warehouse may have set a status before we knew the RMA was ours: look once now.
        if (lookNow) {
            jobs.applyStatus(link.id());
        }
        return JobResult.done();
    }

    private JobResult orderNotFound(ReturnLink link, LoopReturn loopReturn) {
        Duration waited = Duration.between(link.createdAt().toInstant(), clock.instant());
        String what = "order " + loopReturn.orderName() + " (Shopify id " + loopReturn.providerOrderId() + ")";
        if (waited.compareTo(properties.orderLookupWindow()) >= 0) {
            return attention(link, what + " not found in ShipHero after " + human(waited)
                    + "; check that the order synced to ShipHero, then retry");
        }
        int attempt = links.incrementAttempts(link.id());
        Instant next = clock.instant().plus(backoff.after(attempt));
        timeline.record(link, "ORDER_NOT_FOUND", what + " not in ShipHero yet (it may not have synced); looking again at "
                + next);
        return JobResult.runAgainAt(next);
    }

    /**
     * Several orders could be this return's and nothing tells them apart (or the pick is gone): a person chooses.
     * The candidates are kept so the pick can be checked against them.
     */
    private JobResult orderUnclear(ReturnLink link, LoopReturn loopReturn, OrderChoice.Outcome choice) {
        if (choice instanceof OrderChoice.ChosenMissing missing) {
            if (missing.candidates().isEmpty()) {
                return attention(link, "the chosen ShipHero order " + missing.orderId() + " is no longer found for "
                        + loopReturn.orderName() + "; check the order in ShipHero, then retry");
            }
            orderChoices.offer(link.id(), missing.candidates());
            return attention(link, "the chosen ShipHero order " + missing.orderId() + " is not among the orders "
                    + "ShipHero finds for " + loopReturn.orderName() + " now: "
                    + OrderChoice.describe(missing.candidates()) + "; choose one of them");
        }
        OrderChoice.Ambiguous ambiguous = (OrderChoice.Ambiguous) choice;
        List<WarehouseApi.OrderMatch> candidates = ambiguous.candidates();
        orderChoices.offer(link.id(), candidates);
        return attention(link, ambiguous.more()
                ? "more than " + candidates.size() + " ShipHero orders could be " + loopReturn.orderName() + ", among "
                        + "them " + OrderChoice.describe(candidates) + "; choose the order, or set the connection's "
                        + "ShipHero shop name and retry"
                : candidates.size() + " ShipHero orders could be " + loopReturn.orderName()
                        + " and their SKUs and customer do not tell them apart: " + OrderChoice.describe(candidates)
                        + "; choose the order (or set the connection's ShipHero shop name)");
    }

    static Map<String, WarehouseApi.Line> linesBySku(LoopReturn loopReturn) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        Map<String, Set<String>> reasons = new LinkedHashMap<>();
        for (LoopReturn.Unit unit : loopReturn.units()) {
            if (unit.sku() == null || unit.sku().isBlank()) {
                continue;
            }
            counts.merge(unit.sku(), 1, Integer::sum);
            if (unit.reason() != null && !unit.reason().isBlank()) {
                reasons.computeIfAbsent(unit.sku(), k -> new LinkedHashSet<>()).add(unit.reason());
            }
        }
        Map<String, WarehouseApi.Line> lines = new LinkedHashMap<>();
        counts.forEach((sku, count) -> lines.put(sku, new WarehouseApi.Line(sku, count,
                String.join("; ", reasons.getOrDefault(sku, Set.of("Returned via Loop"))))));
        return lines;
    }

    private static WarehouseApi.RmaRequest rmaRequest(LoopReturn loopReturn, WarehouseApi.OrderMatch match,
                                                      List<WarehouseApi.Line> lines) {
        return new WarehouseApi.RmaRequest(match.orderId(), loopReturn.id(), "Loop return " + loopReturn.id(), lines,
                loopReturn.address(), loopReturn.label());
    }

    // ---------------------------------------------------------------- ShipHero → Loop

    /** A Return Update for an RMA we have no link for: ours only if its partner_id names one of our Loop returns. */
    public JobResult resolveRma(String connectionId, String rmaId) {
        Connection connection = connections.find(connectionId).orElse(null);
        if (connection == null) {
            return JobResult.done();
        }
        if (connections.isPaused(connectionId)) {
            return waitWhilePaused();
        }
        Optional<ReturnLink> known = links.findByRmaId(connectionId, rmaId);
        if (known.isPresent()) {
            jobs.applyStatus(known.get().id());
            return JobResult.done();
        }
        Optional<WarehouseApi.RmaSnapshot> rma;
        try {
            rma = warehouse.readRma(connection, rmaId);
        } catch (VendorException e) {
            if (e.kind() == VendorException.Kind.PERMANENT) {
                timeline.record(null, connectionId, null, "WEBHOOK_IGNORED",
                        "Return Update for RMA " + rmaId + " could not be read: " + e.getMessage());
                return JobResult.done();
            }
            return JobResult.runAgainAt(clock.instant().plus(waitFor(e, 1)));
        }
        String partnerId = rma.map(WarehouseApi.RmaSnapshot::partnerId).orElse(null);
        Optional<ReturnLink> link = partnerId == null ? Optional.empty() : links.findByLoopId(connectionId, partnerId);
        if (link.isEmpty()) {
            timeline.record(null, connectionId, null, "WEBHOOK_IGNORED", "Return Update for RMA " + rmaId
                    + " ignored: not created by Returnbridge (partner_id " + partnerId + ")");
            links.markDeliveriesNotOurs(connectionId, rmaId);
            return JobResult.done();
        }
        WarehouseApi.RmaSnapshot snapshot = rma.get();
        tx.executeWithoutResult(s -> {
            WarehouseApi.RmaRef ref = new WarehouseApi.RmaRef(snapshot.id(), snapshot.legacyId(), snapshot.partnerId(),
                    snapshot.status());
            if (!links.rmaCreated(link.get().id(), ref, null)) {
                links.attachRma(link.get().id(), ref, null);
            }
            timeline.record(link.get(), "RMA_MATCHED", "Return Update for RMA " + snapshot.legacyId()
                    + " matched to this return by its partner_id");
            jobs.applyStatus(link.get().id());
        });
        return JobResult.done();
    }

    public JobResult applyStatus(long linkId) {
        Optional<ReturnLink> found = links.find(linkId);
        if (found.isEmpty()) {
            return JobResult.done();
        }
        ReturnLink link = found.get();
        if (connections.isPaused(link.connectionId())) {
            return waitWhilePaused();
        }
        long hintAtStart = link.hintSeq();
        Connection connection = connections.find(link.connectionId()).orElse(null);
        if (connection == null || link.shipheroReturnId() == null) {
            return JobResult.done();
        }
        JobResult result;
        try {
            result = switch (link.state()) {
                case RMA_CREATED, FLAGGED -> decide(connection, link);
                case PROCESSED -> afterProcess(connection, link);
                case CLOSED -> JobResult.done(); // usually the echo of our own close
                default -> {
                    timeline.record(link, "STATUS_NOT_APPLIED", "warehouse status update not applied: the return is "
                            + link.state());
                    yield JobResult.done();
                }
            };
        } catch (VendorException e) {
            return retryOrAttention(link, "vendor", e);
        }
        // A delivery that arrived while we worked may carry a newer status: look again rather than lose it — now if
        // it has committed, else when the scheduler removes this job (JobResult.DoneUnlessHinted).
        if (result instanceof JobResult.Done) {
            return links.hintSeq(linkId) != hintAtStart ? JobResult.runAgainAt(clock.instant())
                    : JobResult.doneUnlessHinted(linkId, hintAtStart);
        }
        return result;
    }

    private JobResult decide(Connection connection, ReturnLink link) {
        Optional<WarehouseApi.RmaSnapshot> read = warehouse.readRma(connection, link.shipheroReturnId());
        if (read.isEmpty()) {
            return attention(link, "RMA " + link.shipheroLegacyId() + " no longer exists in ShipHero");
        }
        WarehouseApi.RmaSnapshot rma = read.get();
        Decision decision = Decision.of(connection.statusPolicy(), rma);
        if (decision.key().equals(link.lastDecision())) {
            return JobResult.done();
        }
        if (decision.unmapped()) {
            timeline.record(link, "UNMAPPED_STATUS", "ShipHero status '" + rma.status()
                    + "' is in no list of the status mapping; the connection's unmapped action is "
                    + decision.action().name().toLowerCase());
        }
        timeline.record(link, "DECISION", decision.explanation());
        return switch (decision.action()) {
            case IGNORE -> {
                links.decided(link.id(), link.state(), rma.status(), decision.key());
                yield JobResult.done();
            }
            case FLAG -> flag(connection, link, rma, decision);
            case PROCESS -> process(connection, link, rma, decision);
        };
    }

    private JobResult process(Connection connection, ReturnLink link, WarehouseApi.RmaSnapshot rma,
                              Decision decision) {
        LoopApi.ProcessDetails details = new LoopApi.ProcessDetails(rma.id(), rma.legacyId(),
                connection.shiphero().warehouseId(), rma.received(), rma.expected());
        processing.asking(link);
        LoopApi.LoopAnswer answer = loop.process(connection, link.loopReturnId(), details);
        switch (answer.outcome()) {
            case ACCEPTED -> timeline.record(link, "LOOP_PROCESSED", "Loop accepted Process (queued in Loop); the RMA"
                    + " is closed once Loop reports the return closed");
            case ALREADY_CLOSED -> timeline.record(link, "LOOP_ALREADY_CLOSED",
                    "Loop says the return is already closed: nothing left to process (" + answer.message() + ")");
            case REFUSED -> {
                return attention(link, "Loop refused Process: " + answer.message());
            }
        }
        links.decided(link.id(), LinkState.PROCESSED, rma.status(), decision.key());
        if (answer.outcome() == LoopApi.LoopAnswer.Outcome.ACCEPTED) {
            // Queued, not done: Loop's webhook (or a re-read when none comes) says when the return is closed.
            // One arriving while this job runs moves the hint, and the job then runs again (applyStatus).
            processing.accepted(link);
            return JobResult.done();
        }
        return close(connection, links.find(link.id()).orElseThrow(), rma.status());
    }

    /** PROCESSED: close the RMA once Loop has closed the return; a failed processing needs a person, RMA open. */
    private JobResult afterProcess(Connection connection, ReturnLink link) {
        Optional<String> failure = processing.failure(link);
        if (failure.isPresent()) {
            return attention(link, failure.get());
        }
        if (!"closed".equals(link.loopState())) {
            return JobResult.done(); // still queued in Loop
        }
        return close(connection, link, null);
    }

    private JobResult flag(Connection connection, ReturnLink link, WarehouseApi.RmaSnapshot rma, Decision decision) {
        LoopApi.LoopAnswer answer = loop.flag(connection, link.loopReturnId());
        if (answer.outcome() == LoopApi.LoopAnswer.Outcome.ALREADY_CLOSED) {
            return attention(link, "the warehouse reported '" + rma.status() + "' but Loop has already closed the return"
                    + " (" + answer.message() + "); check the refund or exchange by hand");
        }
        if (answer.outcome() == LoopApi.LoopAnswer.Outcome.REFUSED) {
            return attention(link, "Loop refused Flag: " + answer.message());
        }
        String note = decision.note(rma);
        LoopApi.LoopAnswer noted = loop.note(connection, link.loopReturnId(), note);
        timeline.record(link, "LOOP_FLAGGED", "Loop return flagged for review; note "
                + (noted.accepted() ? "added" : "refused (" + noted.message() + ")") + ": " + note);
        links.decided(link.id(), LinkState.FLAGGED, rma.status(), decision.key());
        return JobResult.done();
    }

    /** Once Loop has closed the return, the RMA gets the connection's close status unless it already has it. */
    private JobResult close(Connection connection, ReturnLink link, String knownStatus) {
        String status = knownStatus;
        if (status == null) {
            status = warehouse.readRma(connection, link.shipheroReturnId())
                    .map(WarehouseApi.RmaSnapshot::status).orElse(null);
        }
        String closeStatus = connection.closeStatus();
        if (StatusPolicy.normalise(closeStatus).equals(StatusPolicy.normalise(status))) {
            timeline.record(link, "RMA_CLOSED", "RMA already has status '" + status + "'; nothing to change");
        } else {
            warehouse.setRmaStatus(connection, link.shipheroReturnId(), closeStatus);
            timeline.record(link, "RMA_CLOSED", "RMA status set to '" + closeStatus + "' in ShipHero");
        }
        links.transition(link.id(), LinkState.PROCESSED, LinkState.CLOSED);
        processing.closed(link);
        return JobResult.done();
    }

    // ---------------------------------------------------------------- failures

    private JobResult retryOrAttention(ReturnLink link, String vendor, VendorException e) {
        if (e.kind() == VendorException.Kind.PERMANENT) {
            return attention(link, e.getMessage());
        }
        if (e.kind() == VendorException.Kind.THROTTLED) {
            Duration wait = waitFor(e, 1);
            // Under a backlog a job may be held back many times in a row: the story needs it once, not each time.
            if (!"THROTTLED".equals(timeline.lastKind(link.id()))) {
                timeline.record(link, "THROTTLED", e.getMessage() + "; waiting " + human(wait));
            }
            return JobResult.runAgainAt(clock.instant().plus(wait));
        }
        int attempt = links.incrementAttempts(link.id());
        java.time.OffsetDateTime since = links.failingSince(link.id());
        Duration waited = since == null ? Duration.ZERO : Duration.between(since.toInstant(), clock.instant());
        if (attempt > 3 && waited.compareTo(properties.transientGiveUp()) > 0) {
            return attention(link, "still failing after " + attempt + " attempts over " + human(waited) + ": "
                    + e.getMessage());
        }
        Duration wait = waitFor(e, attempt);
        // A 5xx is an answer: the vendor is done with the write, so its effect shows in seconds. Only a write with
        // no answer may still be running there, and waits the long settle before we look.
        Duration settle = e.isAnswered() ? properties.answeredWriteSettle() : properties.uncertainWriteSettle();
        if (e.isUncertain() && wait.compareTo(settle) < 0) {
            wait = settle;
        }
        timeline.record(link, "RETRY", e.getMessage() + "; attempt " + attempt + ", trying again in " + human(wait)
                + (e.isUncertain() ? " (the write may have happened: we look for it before writing again)" : ""));
        return JobResult.runAgainAt(clock.instant().plus(wait));
    }

    /** A paused connection's jobs wait; resuming it (OperatorActions) runs them at once. */
    private JobResult waitWhilePaused() {
        return JobResult.runAgainAt(clock.instant().plus(Duration.ofSeconds(30)));
    }

    private Duration waitFor(VendorException e, int attempt) {
        return e.retryAfter() != null ? e.retryAfter() : backoff.after(attempt);
    }

    private JobResult attention(ReturnLink link, String reason) {
        tx.executeWithoutResult(s -> {
            links.needsAttention(link.id(), reason);
            timeline.record(link, "NEEDS_ATTENTION", reason);
        });
        return JobResult.done();
    }

    private static String human(Duration d) {
        if (d.toMillis() < 1000) {
            return d.toMillis() + " ms";
        }
        if (d.toSeconds() < 120) {
            return d.toSeconds() + " s";
        }
        return d.toMinutes() + " min";
    }

    // ---------------------------------------------------------------- the decision rule

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

        /** The note that explains a flag in Loop: status, counts, RMA number, under Loop's 255 characters. */
        public String note(WarehouseApi.RmaSnapshot rma) {
            String status = rma.status() == null ? "" : rma.status();
            if (status.length() > 60) {
                status = status.substring(0, 60);
            }
            String note = "Returnbridge: ShipHero RMA " + (rma.legacyId() != null ? rma.legacyId() : rma.id())
                    + " status '" + status + "', " + rma.received() + " of " + rma.expected()
                    + " items received. Flagged for review.";
            return note.length() < 255 ? note : note.substring(0, 254);
        }
    }
}
