package com.returnbridge.bridge;

import static com.returnbridge.bridge.TimelineKind.LOOP_EVENT;
import static com.returnbridge.bridge.TimelineKind.LOOP_LABEL;
import static com.returnbridge.bridge.TimelineKind.LOOP_PROCESSING_FAILED;

import com.returnbridge.connection.Connection;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What a Loop event does to the return's link, whoever brought it: a webhook (intake), an operator's replay, the
 * reconciliation sweep or a backfill. A return makes its link and queues the RMA, or updates a link still waiting for
 * its RMA; a finished return stops a link that waits; a label is merged into the return the RMA will carry; a failed
 * Process turns the link to NEEDS_ATTENTION. Runs in the caller's transaction, so storing a delivery and what it does
 * commit together.
 */
@Component
public class LoopSide {

    private static final Set<LinkState> OPEN = EnumSet.of(LinkState.RECEIVED, LinkState.RMA_CREATED, LinkState.FLAGGED);

    private final ReturnLinks links;
    private final Timeline timeline;
    private final BridgeJobs jobs;
    private final TransactionTemplate tx;
    private final LoopStates states;
    private final ReturnClocks clocks;

    public LoopSide(ReturnLinks links, Timeline timeline, BridgeJobs jobs, TransactionTemplate tx,
                    LoopStates states, ReturnClocks clocks) {
        this.clocks = clocks;
        this.links = links;
        this.timeline = timeline;
        this.jobs = jobs;
        this.tx = tx;
        this.states = states;
    }

    /** A return, label or processing event ({@link LoopEvent.Topic#OTHER} means nothing to the link). */
    public void apply(Connection connection, LoopEvent event) {
        Optional<ReturnLink> existing = links.findByLoopId(connection.id(), event.returnId());
        switch (event.topic()) {
            case PROCESSING -> onProcessingFailed(connection, event, existing);
            case LABEL -> onLabel(connection, event, existing);
            case RETURN -> onReturn(connection, event, existing);
            case OTHER -> { }
        }
        if (event.carrier() != null) {
            clocks.delivered(connection.id(), event.returnId(), event.carrier().at());
        }
    }

    /** A return read from Loop's API rather than sent (sweep, backfill): handled as its return webhook would be. */
    public void apply(Connection connection, LoopReturn found, String trigger) {
        apply(connection, new LoopEvent(LoopEvent.Topic.RETURN, trigger, found.id(), found.state(), found.editedAt(),
                found, found.label()));
    }

    /**
     * The reconciliation sweep found a Loop return the webhooks did not bring (or a state they missed): handled
     * exactly as that webhook would have been, in a transaction of its own.
     */
    public void reconcile(Connection connection, LoopReturn found) {
        RacingTransactions.run(tx, () -> {
            apply(connection, found, "reconciliation");
            return null;
        });
    }

    private void onReturn(Connection connection, LoopEvent event, Optional<ReturnLink> existing) {
        LoopReturn incoming = event.loopReturn();
        String what = "Loop " + event.trigger() + " (state " + event.state() + ")";
        LoopStage stage = states.stage(incoming.state());
        if (existing.isEmpty()) {
            LinkState initial = stage.finished() ? LinkState.CANCELLED_IN_LOOP : LinkState.RECEIVED;
            long id = links.insert(connection.id(), incoming.id(), incoming.state(), StoredLoopReturn.write(incoming),
                    incoming.orderName());
            if (initial == LinkState.CANCELLED_IN_LOOP) {
                links.transition(id, LinkState.RECEIVED, LinkState.CANCELLED_IN_LOOP);
                timeline.record(id, connection.id(), incoming.id(), LOOP_EVENT, what
                        + " before any RMA: no RMA will be created");
            } else {
                timeline.record(id, connection.id(), incoming.id(), LOOP_EVENT, what + " for order "
                        + incoming.orderName() + ", " + incoming.units().size() + " unit(s)");
                jobs.createRma(id);
            }
            return;
        }
        ReturnLink link = existing.get();
        links.bumpHint(link.id());
        if (stage.finished()) {
            // "closed" after the RMA exists is usually our own Process (or Loop auto-processing): the warehouse
            // decision still runs, and Loop's "already closed" answer then completes it.
            boolean stopsWaiting = stage != LoopStage.CLOSED || link.state() == LinkState.RECEIVED;
            if (stopsWaiting && OPEN.contains(link.state())) {
                links.transition(link.id(), link.state(), LinkState.CANCELLED_IN_LOOP);
                links.updateLoopReturn(link.id(), incoming.state(), null, null);
                timeline.record(link, LOOP_EVENT, what + ": the return is " + incoming.state()
                        + " in Loop, the link stops waiting" + (link.shipheroReturnId() == null
                        ? "; no RMA will be created" : " (RMA " + link.shipheroLegacyId() + " stays in ShipHero)"));
            } else {
                links.updateLoopReturn(link.id(), incoming.state(), null, null);
                timeline.record(link, LOOP_EVENT, what + " (link is " + link.state() + ")");
                if (link.state() == LinkState.PROCESSED && stage == LoopStage.CLOSED) {
                    jobs.applyStatus(link.id()); // Loop has finished our Process: the RMA can be closed now
                }
            }
            return;
        }
        if (link.state() == LinkState.RECEIVED) {
            LoopReturn stored = link.loopReturnJson() == null ? null : StoredLoopReturn.read(link.loopReturnJson());
            LoopReturn merged = incoming.label() == null && stored != null && stored.label() != null
                    ? incoming.withLabel(stored.label()) : incoming;
            links.updateLoopReturn(link.id(), incoming.state(), StoredLoopReturn.write(merged), incoming.orderName());
            timeline.record(link, LOOP_EVENT, what);
            jobs.createRma(link.id());
        } else {
            timeline.record(link, LOOP_EVENT, what + " (link is " + link.state() + ")");
        }
    }

    private void onLabel(Connection connection, LoopEvent event, Optional<ReturnLink> existing) {
        LoopReturn.Label label = event.label();
        String what = "Loop " + event.trigger() + ": " + (label == null ? "no tracking yet"
                : label.carrier() + " " + label.trackingNumber() + " (" + label.status() + ")");
        if (existing.isEmpty()) {
            // The label beat the return: keep it on a placeholder until return.created brings the rest.
            LoopReturn placeholder = new LoopReturn(event.returnId(), null, null, null, null, null, null, null, label);
            long id = links.insert(connection.id(), event.returnId(), null, StoredLoopReturn.write(placeholder), null);
            timeline.record(id, connection.id(), event.returnId(), LOOP_LABEL,
                    what + "; kept until the return arrives");
            return;
        }
        ReturnLink link = existing.get();
        links.bumpHint(link.id());
        if (link.state() == LinkState.RECEIVED && label != null && link.loopReturnJson() != null) {
            LoopReturn stored = StoredLoopReturn.read(link.loopReturnJson());
            links.updateLoopReturn(link.id(), link.loopState(), StoredLoopReturn.write(stored.withLabel(label)), null);
            timeline.record(link, LOOP_LABEL, what + "; the RMA will carry this tracking");
        } else {
            timeline.record(link, LOOP_LABEL, what);
        }
    }

    /**
     * Loop could not finish a Process it had accepted. The link's job turns this into NEEDS_ATTENTION (a job that is
     * asking Process right now sees the hint move and runs again); the RMA stays open.
     */
    private void onProcessingFailed(Connection connection, LoopEvent event, Optional<ReturnLink> existing) {
        String reason = LoopProcessing.failureReason(event.processing().message());
        String what = "Loop " + event.trigger() + ": " + reason + " (return " + event.state() + " in Loop, source "
                + event.processing().source() + ")";
        if (existing.isEmpty()) {
            timeline.record(null, connection.id(), event.returnId(), LOOP_PROCESSING_FAILED, what
                    + "; no return of ours has this id");
            return;
        }
        ReturnLink link = existing.get();
        links.bumpHint(link.id());
        timeline.record(link, LOOP_PROCESSING_FAILED, what + " (link is " + link.state() + ")");
        if (EnumSet.of(LinkState.RMA_CREATED, LinkState.FLAGGED, LinkState.PROCESSED).contains(link.state())) {
            links.processingFailed(link.id(), reason);
            if (link.state() == LinkState.PROCESSED) {
                jobs.applyStatus(link.id());
            }
        }
    }
}
