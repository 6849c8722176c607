package com.returnbridge.bridge;

import static com.returnbridge.bridge.TimelineKind.RMA_MATCHED;
import static com.returnbridge.bridge.TimelineKind.WEBHOOK_IGNORED;

import com.returnbridge.connection.Connection;
import com.returnbridge.connection.Connections;
import com.returnbridge.jobs.JobMetrics;
import com.returnbridge.jobs.JobResult;
import com.returnbridge.jobs.JobTask;
import com.returnbridge.vendor.VendorException;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The resolve-RMA job (instance id "connection|rmaId"): a Return Update came for an RMA no link knows yet — its
 * webhook may have overtaken our own commit of the RMA, or the RMA is not ours at all.
 */
@Component
public class ResolveRmaJob implements JobTask {

    private final Connections connections;
    private final ReturnLinks links;
    private final Timeline timeline;
    private final WarehouseApi warehouse;
    private final BridgeJobs jobs;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final FailurePolicy failures;
    private final ApplicationEventPublisher events;

    ResolveRmaJob(Connections connections, ReturnLinks links, Timeline timeline, WarehouseApi warehouse,
                  BridgeJobs jobs, TransactionTemplate tx, Clock clock, FailurePolicy failures,
                  ApplicationEventPublisher events) {
        this.connections = connections;
        this.links = links;
        this.timeline = timeline;
        this.warehouse = warehouse;
        this.jobs = jobs;
        this.tx = tx;
        this.clock = clock;
        this.failures = failures;
        this.events = events;
    }

    @Override
    public String name() {
        return BridgeJobs.RESOLVE_RMA;
    }

    @Override
    public JobResult run(String instanceId) {
        String[] parts = instanceId.split("\\|", 2);
        return resolveRma(parts[0], parts[1]);
    }

    @Override
    public Map<String, String> logContext(String instanceId) {
        String[] parts = instanceId.split("\\|", 2);
        Map<String, String> context = new HashMap<>();
        context.put(JobMetrics.MDC_CONNECTION, parts[0]);
        // the RMA's link often exists by now (the webhook overtook our own commit): its calls belong there
        links.findByRmaId(parts[0], parts.length > 1 ? parts[1] : "")
                .ifPresent(link -> context.put(JobMetrics.MDC_RETURN, link.loopReturnId()));
        return context;
    }

    @Override
    public Predicate<String> instancesOf(String connectionId) {
        return id -> id.startsWith(connectionId + "|");
    }

    /** A Return Update for an RMA we have no link for: ours only if its partner_id names one of our Loop returns. */
    JobResult resolveRma(String connectionId, String rmaId) {
        Connection connection = connections.find(connectionId).orElse(null);
        if (connection == null) {
            return JobResult.done();
        }
        if (connections.isPaused(connectionId)) {
            return failures.waitWhilePaused();
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
                timeline.record(null, connectionId, null, WEBHOOK_IGNORED,
                        "Return Update for RMA " + rmaId + " could not be read: " + e.getMessage());
                return JobResult.done();
            }
            return JobResult.runAgainAt(clock.instant().plus(failures.waitFor(e, 1)));
        }
        String partnerId = rma.map(WarehouseApi.RmaSnapshot::partnerId).orElse(null);
        Optional<ReturnLink> link = partnerId == null ? Optional.empty() : links.findByLoopId(connectionId, partnerId);
        if (link.isEmpty()) {
            timeline.record(null, connectionId, null, WEBHOOK_IGNORED, "Return Update for RMA " + rmaId
                    + " ignored: not created by Returnbridge (partner_id " + partnerId + ")");
            events.publishEvent(new RmaNotOurs(connectionId, rmaId));
            return JobResult.done();
        }
        WarehouseApi.RmaSnapshot snapshot = rma.get();
        tx.executeWithoutResult(s -> {
            WarehouseApi.RmaRef ref = new WarehouseApi.RmaRef(snapshot.id(), snapshot.legacyId(), snapshot.partnerId(),
                    snapshot.status());
            if (!links.rmaCreated(link.get().id(), ref, null)) {
                links.attachRma(link.get().id(), ref, null);
            }
            timeline.record(link.get(), RMA_MATCHED, "Return Update for RMA " + snapshot.legacyId()
                    + " matched to this return by its partner_id");
            jobs.applyStatus(link.get().id());
        });
        return JobResult.done();
    }
}
