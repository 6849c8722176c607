package com.returnbridge.bridge;

import static com.returnbridge.bridge.TimelineKind.NEEDS_ATTENTION;
import static com.returnbridge.bridge.TimelineKind.RETRY;
import static com.returnbridge.bridge.TimelineKind.THROTTLED;

import com.returnbridge.jobs.Backoff;
import com.returnbridge.jobs.JobProperties;
import com.returnbridge.jobs.JobQueue;
import com.returnbridge.jobs.JobResult;
import com.returnbridge.vendor.VendorException;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What a link's job does when a vendor call fails, or when it cannot go on: a refusal needs a person; throttling
 * waits as long as the vendor asks; anything else is retried with backoff until {@code transient-give-up} has passed
 * (then a person is asked). A write that may have happened waits its settle time before it is looked for.
 */
@Component
class FailurePolicy {

    /** How long a paused connection's job waits before it looks again; resuming runs it at once. */
    private static final Duration PAUSED_WAIT = Duration.ofSeconds(30);

    private final ReturnLinks links;
    private final Timeline timeline;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final BridgeProperties properties;
    private final Backoff backoff;
    private final JobQueue queue;

    FailurePolicy(ReturnLinks links, Timeline timeline, TransactionTemplate tx, Clock clock,
                  BridgeProperties properties, JobProperties jobs, JobQueue queue) {
        this.queue = queue;
        this.links = links;
        this.timeline = timeline;
        this.tx = tx;
        this.clock = clock;
        this.properties = properties;
        this.backoff = jobs.backoff();
    }

    JobResult retryOrAttention(ReturnLink link, String vendor, VendorException e) {
        if (e.kind() == VendorException.Kind.PERMANENT) {
            return attention(link, e.getMessage());
        }
        if (e.kind() == VendorException.Kind.THROTTLED) {
            Duration wait = waitFor(e, 1);
            // Under a backlog a job may be held back many times in a row: the story needs it once, not each time.
            if (!TimelineKind.THROTTLED.name().equals(timeline.lastKind(link.id()))) {
                timeline.record(link, THROTTLED, e.getMessage() + "; waiting " + human(wait));
            }
            return JobResult.runAgainAt(clock.instant().plus(wait));
        }
        int attempt = links.incrementAttempts(link.id());
        OffsetDateTime since = links.failingSince(link.id());
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
        timeline.record(link, RETRY, e.getMessage() + "; attempt " + attempt + ", trying again in " + human(wait)
                + (e.isUncertain() ? " (the write may have happened: we look for it before writing again)" : ""));
        return JobResult.runAgainAt(clock.instant().plus(wait));
    }

    /** A paused connection's jobs wait; resuming it (OperatorActions) runs them at once. */
    JobResult waitWhilePaused() {
        return JobResult.runAgainAt(clock.instant().plus(PAUSED_WAIT));
    }

    /** The vendor's Retry-After when it gave one, else the backoff for this attempt. */
    Duration waitFor(VendorException e, int attempt) {
        return e.retryAfter() != null ? e.retryAfter() : backoff.after(attempt);
    }

    Duration backoff(int attempt) {
        return backoff.after(attempt);
    }

    /**
     * The job cannot go on by itself: the link waits in NEEDS_ATTENTION with the reason, for a person. The job ends
     * with that write (one commit for the link, its timeline entry and the job's completion).
     */
    JobResult attention(ReturnLink link, String reason) {
        tx.executeWithoutResult(s -> {
            links.needsAttention(link.id(), reason);
            timeline.record(link, NEEDS_ATTENTION, reason);
            queue.finishInThisTransaction();
        });
        return JobResult.done();
    }

    static String human(Duration d) {
        if (d.toMillis() < 1000) {
            return d.toMillis() + " ms";
        }
        if (d.toSeconds() < 120) {
            return d.toSeconds() + " s";
        }
        return d.toMinutes() + " min";
    }
}
