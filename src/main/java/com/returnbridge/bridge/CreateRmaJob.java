package com.returnbridge.bridge;

import static com.returnbridge.bridge.TimelineKind.DUPLICATE_RMA;
import static com.returnbridge.bridge.TimelineKind.ORDER_FOUND;
import static com.returnbridge.bridge.TimelineKind.ORDER_NOT_FOUND;
import static com.returnbridge.bridge.TimelineKind.RMA_ADOPTED;
import static com.returnbridge.bridge.TimelineKind.RMA_CREATED;
import static com.returnbridge.bridge.TimelineKind.RMA_KEPT;
import static com.returnbridge.bridge.TimelineKind.RMA_NOT_CREATED;

import com.returnbridge.connection.Connection;
import com.returnbridge.connection.Connections;
import com.returnbridge.jobs.JobResult;
import com.returnbridge.jobs.JobTask;
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
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * The create-RMA job (Loop → ShipHero): find the return's ShipHero order, adopt an RMA already carrying our
 * partner_id, else create one. It re-reads the order before acting and is safe to run again after a crash at any line.
 */
@Component
public class CreateRmaJob implements JobTask {

    private final Connections connections;
    private final ReturnLinks links;
    private final Timeline timeline;
    private final WarehouseApi warehouse;
    private final BridgeJobs jobs;
    private final TransactionTemplate tx;
    private final JsonMapper json;
    private final Clock clock;
    private final BridgeProperties properties;
    private final FailurePolicy failures;
    private final OrderChoices orderChoices;

    CreateRmaJob(Connections connections, ReturnLinks links, Timeline timeline, WarehouseApi warehouse,
                 BridgeJobs jobs, TransactionTemplate tx, JsonMapper json, Clock clock, BridgeProperties properties,
                 FailurePolicy failures, OrderChoices orderChoices) {
        this.connections = connections;
        this.links = links;
        this.timeline = timeline;
        this.warehouse = warehouse;
        this.jobs = jobs;
        this.tx = tx;
        this.json = json;
        this.clock = clock;
        this.properties = properties;
        this.failures = failures;
        this.orderChoices = orderChoices;
    }

    @Override
    public String name() {
        return BridgeJobs.CREATE_RMA;
    }

    @Override
    public JobResult run(String instanceId) {
        return createRma(Long.parseLong(instanceId));
    }

    @Override
    public Map<String, String> logContext(String instanceId) {
        return jobs.linkLogContext(instanceId);
    }

    @Override
    public Predicate<String> instancesOf(String connectionId) {
        return jobs.linksOf(connectionId);
    }

    JobResult createRma(long linkId) {
        Optional<ReturnLink> found = links.find(linkId);
        if (found.isEmpty() || found.get().state() != LinkState.RECEIVED || found.get().loopReturnJson() == null) {
            return JobResult.done();
        }
        ReturnLink link = found.get();
        if (connections.isPaused(link.connectionId())) {
            return failures.waitWhilePaused();
        }
        LoopReturn loopReturn = StoredLoopReturn.read(link.loopReturnJson());
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
            return failures.retryOrAttention(link, "ShipHero", e);
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
        timeline.record(link, ORDER_FOUND, "ShipHero order " + match.orderNumber() + " (" + match.orderId()
                + ") found by " + match.matchedBy());

        // A crash between ShipHero answering return_create and our commit leaves an RMA we do not know yet.
        List<WarehouseApi.RmaRef> ours = match.returns().stream()
                .filter(r -> link.loopReturnId().equals(r.partnerId())).toList();
        if (ours.size() > 1) {
            timeline.record(link, DUPLICATE_RMA, ours.size() + " RMAs carry this return's partner_id in ShipHero ("
                    + ours.stream().map(r -> String.valueOf(r.legacyId())).collect(Collectors.joining(", "))
                    + "); keeping the first, cancel the others in ShipHero");
        }
        Optional<WarehouseApi.RmaRef> existing = ours.stream().findFirst();
        if (existing.isPresent()) {
            timeline.record(link, RMA_ADOPTED, "RMA " + existing.get().legacyId()
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
            timeline.record(link, RMA_NOT_CREATED, "the return moved to " + now
                    + " while its order was being looked up; no RMA created");
            return JobResult.done();
        }
        WarehouseApi.RmaRef rma = warehouse.createRma(connection, request);
        timeline.record(link, RMA_CREATED, "RMA " + rma.legacyId() + " (" + rma.id() + ") created in ShipHero: "
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
                if (!lookNow) {
                    jobs.finishInThisTransaction(); // nothing follows: the RMA stored and the job ended, one commit
                }
                return true;
            }
            links.attachRma(link.id(), rma, orderId);
            return false;
        }));
        if (!moved) {
            ReturnLink now = links.find(link.id()).orElseThrow();
            timeline.record(now, RMA_KEPT, "the return moved to " + now.state()
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
            return attention(link, what + " not found in ShipHero after " + FailurePolicy.human(waited)
                    + "; check that the order synced to ShipHero, then retry");
        }
        int attempt = links.incrementAttempts(link.id());
        Instant next = clock.instant().plus(failures.backoff(attempt));
        timeline.record(link, ORDER_NOT_FOUND, what + " not in ShipHero yet (it may not have synced); looking again at "
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

    private JobResult attention(ReturnLink link, String reason) {
        return failures.attention(link, reason);
    }
}
