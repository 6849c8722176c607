package com.returnbridge.bridge;

import static com.returnbridge.bridge.TimelineKind.LOOP_CLOSED_READ;
import static com.returnbridge.bridge.TimelineKind.LOOP_NOT_CLOSED_YET;
import static com.returnbridge.bridge.TimelineKind.LOOP_READ_FAILED;
import static com.returnbridge.bridge.TimelineKind.NEEDS_ATTENTION;

import com.returnbridge.connection.Connection;
import com.returnbridge.connection.Connections;
import com.returnbridge.jobs.JobProperties;
import com.returnbridge.jobs.JobResult;
import com.returnbridge.jobs.JobTask;
import com.returnbridge.vendor.VendorException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Loop's Process only queues the work (loop.md §0): Loop reports the result later, as {@code return.updated} /
 * {@code return.closed} with state closed, or as {@code return.processing.failed}. A PROCESSED link waits for that;
 * when no word came within {@code returnbridge.jobs.processing-confirm-after}, this job reads Return Details. The RMA
 * itself is closed by the link's apply-status job ({@link ApplyStatusJob}), the one place that closes it.
 */
@Component
public class LoopProcessing implements JobTask {

    static final String FAILED_WITHOUT_MESSAGE = "Loop could not process the return";

    private final Connections connections;
    private final ReturnLinks links;
    private final LoopReads reads;
    private final LoopApi loop;
    private final Timeline timeline;
    private final BridgeJobs jobs;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final BridgeProperties properties;
    private final JobProperties jobProperties;
    private final LoopStates states;
    private final ReturnClocks clocks;

    public LoopProcessing(Connections connections, ReturnLinks links, LoopReads reads, LoopApi loop,
                          Timeline timeline, BridgeJobs jobs, TransactionTemplate tx, Clock clock,
                          BridgeProperties properties, JobProperties jobProperties, LoopStates states,
                          ReturnClocks clocks) {
        this.states = states;
        this.clocks = clocks;
        this.connections = connections;
        this.links = links;
        this.reads = reads;
        this.loop = loop;
        this.timeline = timeline;
        this.jobs = jobs;
        this.tx = tx;
        this.clock = clock;
        this.properties = properties;
        this.jobProperties = jobProperties;
    }

    @Override
    public String name() {
        return BridgeJobs.CONFIRM_PROCESSING;
    }

    @Override
    public JobResult run(String instanceId) {
        return confirm(Long.parseLong(instanceId));
    }

    @Override
    public Map<String, String> logContext(String instanceId) {
        return jobs.linkLogContext(instanceId);
    }

    /** The reason a return.processing.failed gives, whatever Loop put in its (nullable, possibly generic) message. */
    public static String failureReason(String message) {
        return message == null || message.isBlank() ? FAILED_WITHOUT_MESSAGE
                : FAILED_WITHOUT_MESSAGE + ": " + message.strip();
    }

    /** Just before Process is asked: an earlier failure is about an earlier attempt. */
    void asking(ReturnLink link) {
        links.clearProcessingFailure(link.id());
    }

    /** Loop accepted Process: wait for its word, and read Return Details if none comes in time. */
    void accepted(ReturnLink link) {
        links.processedAt(link.id());
        jobs.confirmProcessing(link.id(), clock.instant().plus(properties.processingConfirmAfter()));
    }

    /** Loop reported a failed processing for this link, or empty. The Process intent goes so a retry asks again. */
    Optional<String> failure(ReturnLink link) {
        String failure = links.processingFailure(link.id());
        if (failure == null) {
            return Optional.empty();
        }
        loop.processFailed(link.connectionId(), link.loopReturnId());
        jobs.cancelConfirmProcessing(link.id());
        return Optional.of(failure);
    }

    private boolean closedInLoop(ReturnLink link) {
        return states.stage(link.loopState()) == LoopStage.CLOSED;
    }

    void closed(ReturnLink link) {
        jobs.cancelConfirmProcessing(link.id());
        clocks.confirmed(link.id());
    }

    /**
     * The sweep's look at a PROCESSED link: Loop's word already here → the link's job acts on it; waited past
     * processing-confirm-after (or since an unknown time) → Return Details are read now.
     */
    public void sweep(ReturnLink link) {
        if (closedInLoop(link) || links.processingFailure(link.id()) != null) {
            jobs.applyStatus(link.id());
            return;
        }
        OffsetDateTime at = links.processedSince(link.id());
        if (at == null || since(at).compareTo(properties.processingConfirmAfter()) >= 0) {
            jobs.confirmProcessingNow(link.id());
        }
    }

    /** The confirm-processing job: no webhook said the return is closed, so ask Loop. */
    JobResult confirm(long linkId) {
        Optional<ReturnLink> found = links.find(linkId);
        if (found.isEmpty() || found.get().state() != LinkState.PROCESSED) {
            return JobResult.done();
        }
        ReturnLink link = found.get();
        if (connections.isPaused(link.connectionId())) {
            return JobResult.runAgainAt(clock.instant().plus(Duration.ofSeconds(30)));
        }
        Connection connection = connections.find(link.connectionId()).orElse(null);
        if (connection == null) {
            return JobResult.done();
        }
        if (closedInLoop(link) || links.processingFailure(linkId) != null) {
            jobs.applyStatus(linkId); // Loop's word came: the link's own job acts on it
            return JobResult.done();
        }
        Optional<String> state;
        try {
            state = reads.state(connection, link.loopReturnId());
        } catch (VendorException e) {
            Duration wait = e.retryAfter() != null ? e.retryAfter()
                    : min(properties.processingConfirmAfter(), jobProperties.maxRetry());
            timeline.record(link, LOOP_READ_FAILED, "could not read the return in Loop to see whether it is "
                    + "processed: " + e.getMessage() + "; trying again at " + clock.instant().plus(wait));
            return JobResult.runAgainAt(clock.instant().plus(wait));
        }
        Duration waited = since(links.processedSince(linkId));
        if (state.isPresent() && states.stage(state.get()) == LoopStage.CLOSED) {
            tx.executeWithoutResult(s -> {
                links.updateLoopReturn(linkId, state.get(), null, null);
                links.bumpHint(linkId);
                timeline.record(link, LOOP_CLOSED_READ, "no webhook from Loop " + human(waited)
                        + " after " + asked(link) + "; Return Details say the return is closed");
                jobs.applyStatus(linkId);
            });
            return JobResult.done();
        }
        String now = state.orElse("unknown to Loop");
        if (waited.compareTo(properties.transientGiveUp()) > 0) {
            tx.executeWithoutResult(s -> {
                if (links.transition(linkId, LinkState.PROCESSED, LinkState.NEEDS_ATTENTION)) {
                    String reason = "Loop accepted " + asked(link) + " " + human(waited) + " ago but has not closed the "
                            + "return (state " + now + " in Loop); check it in Loop admin, then retry";
                    links.needsAttention(linkId, reason);
                    timeline.record(link, NEEDS_ATTENTION, reason);
                }
            });
            return JobResult.done();
        }
        Instant next = clock.instant().plus(properties.processingConfirmAfter());
        if (!TimelineKind.LOOP_NOT_CLOSED_YET.name().equals(timeline.lastKind(linkId))) {
            timeline.record(link, LOOP_NOT_CLOSED_YET, "Loop accepted " + asked(link) + " " + human(waited)
                    + " ago; the return is " + now + " in Loop, not closed yet: looking again at " + next);
        }
        return JobResult.runAgainAt(next);
    }

    /** What Loop was asked to do: Process, or (per item) Remove Line Items, which processes the rest. */
    private String asked(ReturnLink link) {
        return TimelineKind.LOOP_LINES_REMOVED.name().equals(timeline.lastKindAmong(link.id(),
                TimelineKind.LOOP_LINES_REMOVED, TimelineKind.LOOP_PROCESSED)) ? "Remove Line Items" : "Process";
    }

    private Duration since(OffsetDateTime at) {
        return at == null ? Duration.ZERO : Duration.between(at.toInstant(), clock.instant());
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static String human(Duration d) {
        if (d.toSeconds() < 120) {
            return d.toSeconds() + " s";
        }
        return d.toMinutes() + " min";
    }
}
