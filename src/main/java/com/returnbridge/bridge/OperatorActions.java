package com.returnbridge.bridge;

import static com.returnbridge.bridge.TimelineKind.OPERATOR_BULK_RETRY;
import static com.returnbridge.bridge.TimelineKind.OPERATOR_PAUSE;
import static com.returnbridge.bridge.TimelineKind.OPERATOR_RERUN;
import static com.returnbridge.bridge.TimelineKind.OPERATOR_RESUME;
import static com.returnbridge.bridge.TimelineKind.OPERATOR_RETRY;
import static com.returnbridge.bridge.TimelineKind.ORDER_CHOSEN;

import com.github.kagkarlsson.scheduler.ScheduledExecution;
import com.returnbridge.connection.Connections;
import com.returnbridge.jobs.JobQueue;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What an operator can do to a return or a connection from the console or the admin API: retry now, re-run the
 * decision, retry everything in NEEDS_ATTENTION, pause and resume. Each action goes on the timeline with who did it,
 * and goes through the normal jobs, so it is as idempotent as they are.
 */
@Service
public class OperatorActions {

    /** What an action did, in words for the operator. */
    public record Outcome(boolean changed, String message) {
    }

    private final JdbcClient jdbc;
    private final ReturnLinks links;
    private final Timeline timeline;
    private final BridgeJobs jobs;
    private final JobQueue queue;
    private final Connections connections;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final MeterRegistry meters;
    private final OrderChoices orderChoices;

    public OperatorActions(JdbcClient jdbc, ReturnLinks links, Timeline timeline, BridgeJobs jobs,
                           JobQueue queue, Connections connections, TransactionTemplate tx,
                           Clock clock, MeterRegistry meters, OrderChoices orderChoices) {
        this.orderChoices = orderChoices;
        this.jdbc = jdbc;
        this.links = links;
        this.timeline = timeline;
        this.jobs = jobs;
        this.queue = queue;
        this.connections = connections;
        this.tx = tx;
        this.clock = clock;
        this.meters = meters;
    }

    /**
     * Why Retry now can do nothing for the return in its state, or empty when it can: the return page offers only
     * the actions that can act, and says why the others are not there.
     */
    public static Optional<String> whyNoRetry(ReturnLink link) {
        return switch (link.state()) {
            case NEEDS_ATTENTION, RECEIVED, RMA_CREATED, FLAGGED, PROCESSED -> Optional.empty();
            case CLOSED -> Optional.of("Retry now is not offered: the return is CLOSED in both systems, nothing is "
                    + "left to do");
            case CANCELLED_IN_LOOP -> Optional.of("Retry now is not offered: the return was cancelled, expired or "
                    + "closed in Loop, so the bridge no longer acts on it");
        };
    }

    /** Why Re-run the decision can do nothing for the return, or empty when it can. */
    public static Optional<String> whyNoRerun(ReturnLink link) {
        if (link.shipheroReturnId() == null) {
            return Optional.of("Re-run the decision is not offered: there is no RMA yet, so no decision to re-run");
        }
        if (!RERUNNABLE.contains(link.state())) {
            return Optional.of("Re-run the decision is not offered: the return is " + link.state()
                    + " and its decision is final");
        }
        return Optional.empty();
    }

    private static final Set<LinkState> RERUNNABLE = Set.of(LinkState.RMA_CREATED, LinkState.FLAGGED,
            LinkState.NEEDS_ATTENTION);

    /**
     * Retry now: a return in NEEDS_ATTENTION goes back to where it was (RECEIVED without an RMA, RMA_CREATED with
     * one) and its job runs at once; a job waiting for its next attempt runs at once.
     */
    public Outcome retry(long linkId, String by) {
        ReturnLink link = links.find(linkId).orElseThrow(() -> new NotFound("no return link " + linkId));
        count("retry");
        if (link.state() == LinkState.NEEDS_ATTENTION) {
            LinkState to = link.shipheroReturnId() == null ? LinkState.RECEIVED : LinkState.RMA_CREATED;
            boolean reopened = Boolean.TRUE.equals(tx.execute(s -> {
                if (!reopen(linkId, to)) {
                    return false;
                }
                timeline.record(link, OPERATOR_RETRY, "retry requested by " + by + " (was: " + link.attentionReason()
                        + "); the return goes back to " + to);
                return true;
            }));
            if (!reopened) {
                return new Outcome(false, "the return left NEEDS_ATTENTION meanwhile; nothing to retry");
            }
            jobs.runNow(to == LinkState.RECEIVED ? BridgeJobs.CREATE_RMA : BridgeJobs.APPLY_STATUS, linkId);
            return new Outcome(true, "retrying: back to " + to);
        }
        String task = switch (link.state()) {
            case RECEIVED -> BridgeJobs.CREATE_RMA;
            case RMA_CREATED, FLAGGED -> BridgeJobs.APPLY_STATUS;
            // waiting for Loop to finish Process: read Return Details now instead of waiting for the webhook
            case PROCESSED -> BridgeJobs.CONFIRM_PROCESSING;
            default -> null;
        };
        if (task == null) {
            return new Outcome(false, "nothing to retry: the return is " + link.state());
        }
        timeline.record(link, OPERATOR_RETRY, "retry requested by " + by + " (state " + link.state() + ")");
        jobs.runNow(task, linkId);
        return new Outcome(true, "job " + task + " runs now");
    }

    /**
     * The operator says which ShipHero order a return belongs to, when several could be and the bridge asked: the
     * return goes back to RECEIVED and its RMA is created on that order (after the usual look for our partner_id).
     *
     * @throws IllegalArgumentException when the order is not one of the candidates named
     * @throws Conflict when the return is not waiting for that choice
     */
    public Outcome chooseOrder(long linkId, String orderId, String by) {
        ReturnLink link = links.find(linkId).orElseThrow(() -> new NotFound("no return link " + linkId));
        count("choose_order");
        if (orderId == null || orderId.isBlank()) {
            throw new IllegalArgumentException("orderId is required: the ShipHero order id of one of the candidates");
        }
        String id = orderId.trim();
        OrderChoices.Choice choice = orderChoices.find(linkId).orElseThrow(() -> new Conflict(
                "return " + link.loopReturnId() + " is not waiting for an order to be chosen"));
        OrderChoices.Candidate picked = choice.candidates().stream().filter(c -> c.orderId().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("order " + (id.length() > 60 ? id.substring(0, 60)
                        + "…" : id) + " is not one of the candidates: " + choice.candidates().stream()
                        .map(OrderChoices.Candidate::orderId).reduce((a, b) -> a + ", " + b).orElse("none")));
        if (link.state() != LinkState.NEEDS_ATTENTION || link.shipheroReturnId() != null) {
            throw new Conflict("return " + link.loopReturnId() + " is " + link.state()
                    + (link.shipheroReturnId() != null ? " with an RMA" : "") + ": no order to choose");
        }
        boolean reopened = Boolean.TRUE.equals(tx.execute(s -> {
            if (!reopen(linkId, LinkState.RECEIVED)) {
                return false;
            }
            orderChoices.choose(linkId, id, by);
            timeline.record(link, ORDER_CHOSEN, "ShipHero order " + id + " (" + picked.orderNumber() + ", shop "
                    + (picked.shopName() == null ? "unknown" : picked.shopName()) + ") chosen by " + by
                    + "; the RMA is created on it");
            return true;
        }));
        if (!reopened) {
            throw new Conflict("return " + link.loopReturnId() + " left NEEDS_ATTENTION meanwhile");
        }
        jobs.runNow(BridgeJobs.CREATE_RMA, linkId);
        return new Outcome(true, "order " + id + " chosen; creating the RMA on it");
    }

    /** Candidates named for this return when several ShipHero orders could be its order, with any pick made. */
    public Optional<OrderChoices.Choice> orderChoice(long linkId) {
        return orderChoices.find(linkId);
    }

    /** Forgets the last decision and decides again from the RMA as it is now, with the current status mapping. */
    public Outcome rerunDecision(long linkId, String by) {
        ReturnLink link = links.find(linkId).orElseThrow(() -> new NotFound("no return link " + linkId));
        count("rerun_decision");
        if (link.shipheroReturnId() == null) {
            return new Outcome(false, "no RMA yet: there is no decision to re-run");
        }
        if (!RERUNNABLE.contains(link.state())) {
            return new Outcome(false, "the return is " + link.state() + ": its decision is final");
        }
        tx.executeWithoutResult(s -> {
            LinkState to = link.state() == LinkState.NEEDS_ATTENTION ? LinkState.RMA_CREATED : link.state();
            jdbc.sql("""
                    UPDATE return_link SET state = ?, last_decision = NULL, attention_reason = NULL, attempts = 0,
                           updated_at = ? WHERE id = ? AND state = ?""")
                    .params(to.name(), now(), linkId, link.state().name()).update();
            timeline.record(link, OPERATOR_RERUN, "decision re-run requested by " + by + " (last decision "
                    + (link.lastDecision() == null ? "none" : link.lastDecision()) + ")");
        });
        jobs.runNow(BridgeJobs.APPLY_STATUS, linkId);
        return new Outcome(true, "deciding again from the current RMA and mapping");
    }

    /** After a fix (credentials, mapping, SKU): every return of the connection in NEEDS_ATTENTION is retried. */
    public Outcome retryAllNeedingAttention(String connectionId, String by) {
        List<ReturnLink> waiting = links.findByState(connectionId, LinkState.NEEDS_ATTENTION);
        count("bulk_retry");
        timeline.record(null, connectionId, null, OPERATOR_BULK_RETRY, "bulk retry of " + waiting.size()
                + " return(s) in NEEDS_ATTENTION requested by " + by);
        int retried = 0;
        for (ReturnLink link : waiting) {
            if (retry(link.id(), by).changed()) {
                retried++;
            }
        }
        return new Outcome(retried > 0, retried + " of " + waiting.size() + " return(s) retried");
    }

    public Outcome pause(String connectionId, String by) {
        requireConnection(connectionId);
        count("pause");
        if (!connections.setPaused(connectionId, true, by)) {
            return new Outcome(false, "already paused");
        }
        timeline.record(null, connectionId, null, OPERATOR_PAUSE, "connection paused by " + by
                + ": deliveries are still stored, jobs wait");
        return new Outcome(true, "paused");
    }

    public Outcome resume(String connectionId, String by) {
        requireConnection(connectionId);
        count("resume");
        if (!connections.setPaused(connectionId, false, by)) {
            return new Outcome(false, "not paused");
        }
        int woken = queue.wakeConnection(connectionId);
        timeline.record(null, connectionId, null, OPERATOR_RESUME, "connection resumed by " + by + "; " + woken
                + " waiting job(s) run now");
        return new Outcome(true, "resumed; " + woken + " waiting job(s) run now");
    }

    /** Jobs that exist for this link, by task name, with when they run next and how often they failed. */
    public List<ScheduledExecution<Object>> jobsFor(long linkId) {
        return queue.executionsFor(String.valueOf(linkId));
    }

    // ---------------------------------------------------------------- plumbing

    private boolean reopen(long linkId, LinkState to) {
        return jdbc.sql("""
                UPDATE return_link SET state = ?, attention_reason = NULL, last_decision = NULL, attempts = 0,
                       updated_at = ? WHERE id = ? AND state = ?""")
                .params(to.name(), now(), linkId, LinkState.NEEDS_ATTENTION.name()).update() == 1;
    }

    private void requireConnection(String connectionId) {
        if (connections.find(connectionId).isEmpty()) {
            throw new NotFound("no connection " + connectionId);
        }
    }

    private void count(String action) {
        meters.counter("returnbridge.operator.actions", "action", action).increment();
    }

    private OffsetDateTime now() {
        return OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
    }

    /** The return or connection named does not exist. */

    public Optional<ReturnLink> link(long id) {
        return links.find(id);
    }
}
