package com.returnbridge.bridge;

import static com.returnbridge.bridge.TimelineKind.DECISION;
import static com.returnbridge.bridge.TimelineKind.LINE_DECISION;
import static com.returnbridge.bridge.TimelineKind.LOOP_LINES_REMOVED;
import static com.returnbridge.bridge.TimelineKind.LOOP_REMOVE_REFUSED;
import static com.returnbridge.bridge.TimelineKind.LOOP_ALREADY_CLOSED;
import static com.returnbridge.bridge.TimelineKind.LOOP_FLAGGED;
import static com.returnbridge.bridge.TimelineKind.LOOP_PROCESSED;
import static com.returnbridge.bridge.TimelineKind.RMA_CLOSED;
import static com.returnbridge.bridge.TimelineKind.STATUS_NOT_APPLIED;
import static com.returnbridge.bridge.TimelineKind.UNMAPPED_STATUS;

import com.returnbridge.connection.Connection;
import com.returnbridge.connection.Connections;
import com.returnbridge.connection.StatusPolicy;
import com.returnbridge.jobs.JobResult;
import com.returnbridge.jobs.JobTask;
import com.returnbridge.vendor.VendorException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The apply-status job (ShipHero → Loop): re-reads the RMA, turns its status into a {@link Decision} and acts on
 * it in Loop (Process, Flag with a note, or nothing; under the per_item rule also a note and Remove Line Items for
 * the missing refund items, falling back to Flag when Loop refuses); once Loop has closed a processed return, it
 * closes the RMA — the one place that closes it. Every decision taken is recorded with its lines, and handed to
 * {@link AfterDecision}, in one transaction.
 */
@Component
public class ApplyStatusJob implements JobTask {

    private final Connections connections;
    private final ReturnLinks links;
    private final Timeline timeline;
    private final WarehouseApi warehouse;
    private final LoopApi loop;
    private final BridgeJobs jobs;
    private final Clock clock;
    private final FailurePolicy failures;
    private final LoopProcessing processing;
    private final LoopStates states;
    private final LineDecisions lineDecisions;
    private final List<AfterDecision> afterDecision;
    private final TransactionTemplate tx;
    private final ReturnClocks clocks;

    ApplyStatusJob(Connections connections, ReturnLinks links, Timeline timeline, WarehouseApi warehouse,
                   LoopApi loop, BridgeJobs jobs, Clock clock, FailurePolicy failures, LoopProcessing processing,
                   LoopStates states, LineDecisions lineDecisions, List<AfterDecision> afterDecision,
                   TransactionTemplate tx, ReturnClocks clocks) {
        this.states = states;
        this.lineDecisions = lineDecisions;
        this.afterDecision = afterDecision;
        this.tx = tx;
        this.clocks = clocks;
        this.connections = connections;
        this.links = links;
        this.timeline = timeline;
        this.warehouse = warehouse;
        this.loop = loop;
        this.jobs = jobs;
        this.clock = clock;
        this.failures = failures;
        this.processing = processing;
    }

    @Override
    public String name() {
        return BridgeJobs.APPLY_STATUS;
    }

    @Override
    public JobResult run(String instanceId) {
        return applyStatus(Long.parseLong(instanceId));
    }

    @Override
    public Optional<Long> lockedHint(long linkId) {
        return links.hintForUpdate(linkId);
    }

    @Override
    public Map<String, String> logContext(String instanceId) {
        return jobs.linkLogContext(instanceId);
    }

    @Override
    public Predicate<String> instancesOf(String connectionId) {
        return jobs.linksOf(connectionId);
    }

    JobResult applyStatus(long linkId) {
        Optional<ReturnLink> found = links.find(linkId);
        if (found.isEmpty()) {
            return JobResult.done();
        }
        ReturnLink link = found.get();
        if (connections.isPaused(link.connectionId())) {
            return failures.waitWhilePaused();
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
                    timeline.record(link, STATUS_NOT_APPLIED, "warehouse status update not applied: the return is "
                            + link.state());
                    yield JobResult.done();
                }
            };
        } catch (VendorException e) {
            return failures.retryOrAttention(link, "vendor", e);
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
        clocks.statusRead(link.id(), rma.status());
        clocks.counted(link.id(), rma, link.loopReturnJson() == null ? null
                : StoredLoopReturn.read(link.loopReturnJson()));
        Decision decision = decisionFor(connection, link, rma);
        if (decision.key().equals(link.lastDecision())) {
            return JobResult.done();
        }
        if (decision.unmapped()) {
            timeline.record(link, UNMAPPED_STATUS, "ShipHero status '" + rma.status()
                    + "' is in no list of the status mapping; the connection's unmapped action is "
                    + decision.action().name().toLowerCase());
        }
        timeline.record(link, DECISION, decision.explanation());
        if (decision.action() != com.returnbridge.connection.StatusAction.IGNORE) {
            clocks.decided(link.id());
        }
        if (decision.action() != com.returnbridge.connection.StatusAction.IGNORE && !decision.lines().isEmpty()) {
            timeline.record(link, LINE_DECISION, decision.lines().stream().map(LineDecision::describe)
                    .collect(java.util.stream.Collectors.joining("; ")));
        }
        return switch (decision.action()) {
            case IGNORE -> {
                if (!links.decided(link.id(), link.state(), link.state(), rma.status(), decision.key())) {
                    stateMovedMeanwhile(link);
                }
                yield JobResult.done();
            }
            case FLAG -> flag(connection, link, rma, decision, decision.note(rma));
            // Loop took our removal, then failed to process the rest: what is left needs Process, not a second Remove
            case PROCESS -> decision.removes() && !removedThenFailed(link) ? remove(connection, link, rma, decision)
                    : process(connection, link, rma, decision);
        };
    }

    /**
     * The decision for the RMA as read now, with the Loop return's line items when the link holds them. The sweep
     * ({@code reconcile}) compares the same key to see whether a return needs its job.
     */
    public static Decision decisionFor(Connection connection, ReturnLink link, WarehouseApi.RmaSnapshot rma) {
        LoopReturn loopReturn = null;
        if (link.loopReturnJson() != null) {
            try {
                loopReturn = StoredLoopReturn.read(link.loopReturnJson());
            } catch (RuntimeException e) {
                loopReturn = null; // decided on the RMA alone, as before line items were read
            }
        }
        return Decision.of(connection.statusPolicy(), loopReturn, rma);
    }

    private boolean removedThenFailed(ReturnLink link) {
        return links.processingFailure(link.id()) != null && timeline.forLink(link.id()).stream()
                .anyMatch(e -> LOOP_LINES_REMOVED.name().equals(e.kind()));
    }

    /** The decision taken: the link, its lines and what follows a decision, together. */
    private void decided(Connection connection, ReturnLink link, LinkState to, WarehouseApi.RmaSnapshot rma,
                         Decision decision) {
        tx.executeWithoutResult(s -> {
            if (!links.decided(link.id(), link.state(), to, rma.status(), decision.key())) {
                stateMovedMeanwhile(link);
            }
            lineDecisions.save(link.id(), decision);
            for (AfterDecision after : afterDecision) {
                after.decided(connection, link.loopReturnId(), decision.receipts());
            }
        });
    }

    /** Something else moved the return while this job decided: its state wins, and the timeline says so. */
    private void stateMovedMeanwhile(ReturnLink link) {
        LinkState now = links.find(link.id()).map(ReturnLink::state).orElse(null);
        timeline.record(link, STATUS_NOT_APPLIED, "the return became " + now + " while this status was decided on"
                + " (it was " + link.state() + "); it stays " + now);
    }

    /**
     * Per item, some refund or store-credit lines missing: a note saying what is removed and why, then one Remove
     * Line Items with all their ids. Loop then processes the rest and closes the return in its own time, as after
     * Process; a refusal falls back to Flag with a note naming each line.
     */
    private JobResult remove(Connection connection, ReturnLink link, WarehouseApi.RmaSnapshot rma, Decision decision) {
        String note = decision.removalNote(rma);
        LoopApi.LoopAnswer noted = loop.note(connection, link.loopReturnId(), note);
        processing.asking(link);
        List<String> ids = decision.removals();
        LoopApi.LoopAnswer answer = loop.removeLineItems(connection, link.loopReturnId(), ids);
        switch (answer.outcome()) {
            case ACCEPTED -> timeline.record(link, LOOP_LINES_REMOVED, "Loop accepted Remove Line Items for "
                    + String.join(", ", ids) + "; Loop processes the rest and closes the return, then the RMA is "
                    + "closed. Note " + (noted.accepted() ? "added" : "refused (" + noted.message() + ")") + ": "
                    + note);
            case ALREADY_CLOSED -> timeline.record(link, LOOP_ALREADY_CLOSED,
                    "Loop says the return is already closed: nothing left to remove (" + answer.message() + ")");
            case REFUSED -> {
                timeline.record(link, LOOP_REMOVE_REFUSED, "Loop refused Remove Line Items for "
                        + String.join(", ", ids) + ": " + answer.message() + "; flagging the return instead");
                return flag(connection, link, rma, decision, decision.refusedRemovalNote(rma, answer.message()));
            }
        }
        decided(connection, link, LinkState.PROCESSED, rma, decision);
        if (answer.outcome() == LoopApi.LoopAnswer.Outcome.ACCEPTED) {
            processing.accepted(link);
            return JobResult.done();
        }
        return close(connection, links.find(link.id()).orElseThrow(), rma.status());
    }

    private JobResult process(Connection connection, ReturnLink link, WarehouseApi.RmaSnapshot rma,
                              Decision decision) {
        LoopApi.ProcessDetails details = new LoopApi.ProcessDetails(rma.id(), rma.legacyId(),
                connection.shiphero().warehouseId(), rma.received(), rma.expected());
        processing.asking(link);
        LoopApi.LoopAnswer answer = loop.process(connection, link.loopReturnId(), details);
        switch (answer.outcome()) {
            case ACCEPTED -> timeline.record(link, LOOP_PROCESSED, "Loop accepted Process (queued in Loop); the RMA"
                    + " is closed once Loop reports the return closed");
            case ALREADY_CLOSED -> timeline.record(link, LOOP_ALREADY_CLOSED,
                    "Loop says the return is already closed: nothing left to process (" + answer.message() + ")");
            case REFUSED -> {
                return attention(link, "Loop refused Process: " + answer.message());
            }
        }
        decided(connection, link, LinkState.PROCESSED, rma, decision);
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
        if (states.stage(link.loopState()) != LoopStage.CLOSED) {
            return JobResult.done(); // still queued in Loop
        }
        // The status our decision read is enough to tell whether the RMA needs its close status: setting it again is
        // harmless, and a re-read here cost a ShipHero call (5 credits) per return.
        return close(connection, link, link.lastStatus());
    }

    private JobResult flag(Connection connection, ReturnLink link, WarehouseApi.RmaSnapshot rma, Decision decision,
                           String note) {
        LoopApi.LoopAnswer answer = loop.flag(connection, link.loopReturnId());
        if (answer.outcome() == LoopApi.LoopAnswer.Outcome.ALREADY_CLOSED) {
            return attention(link, "the warehouse reported '" + rma.status() + "' but Loop has already closed the return"
                    + " (" + answer.message() + "); check the refund or exchange by hand");
        }
        if (answer.outcome() == LoopApi.LoopAnswer.Outcome.REFUSED) {
            return attention(link, "Loop refused Flag: " + answer.message());
        }
        LoopApi.LoopAnswer noted = loop.note(connection, link.loopReturnId(), note);
        timeline.record(link, LOOP_FLAGGED, "Loop return flagged for review; note "
                + (noted.accepted() ? "added" : "refused (" + noted.message() + ")") + ": " + note);
        decided(connection, link, LinkState.FLAGGED, rma, decision);
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
            timeline.record(link, RMA_CLOSED, "RMA already has status '" + status + "'; nothing to change");
        } else {
            warehouse.setRmaStatus(connection, link.shipheroReturnId(), closeStatus);
            timeline.record(link, RMA_CLOSED, "RMA status set to '" + closeStatus + "' in ShipHero");
        }
        links.transition(link.id(), LinkState.PROCESSED, LinkState.CLOSED);
        processing.closed(link);
        return JobResult.done();
    }

    private JobResult attention(ReturnLink link, String reason) {
        return failures.attention(link, reason);
    }
}
