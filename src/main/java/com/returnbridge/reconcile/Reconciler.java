package com.returnbridge.reconcile;

import static com.returnbridge.bridge.TimelineKind.RECONCILE;

import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import com.returnbridge.bridge.BridgeJobs;
import com.returnbridge.bridge.Decision;
import com.returnbridge.bridge.LinkState;
import com.returnbridge.bridge.LoopReads;
import com.returnbridge.bridge.LoopSide;
import com.returnbridge.bridge.LoopReturn;
import com.returnbridge.bridge.LoopStage;
import com.returnbridge.bridge.LoopStates;
import com.returnbridge.bridge.ReturnLink;
import com.returnbridge.bridge.ReturnLinks;
import com.returnbridge.bridge.Timeline;
import com.returnbridge.vendor.VendorException;
import com.returnbridge.bridge.WarehouseApi;
import com.returnbridge.bridge.WarehouseReads;
import com.returnbridge.connection.Connection;
import com.returnbridge.connection.Connections;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.stereotype.Service;

/**
 * The safety net for missed webhooks, per connection:
 * <ul>
 *   <li>Loop: every return updated since the watermark (minus an overlap), in every state, page by page. An open
 *   return without a link gets one, and its RMA job, exactly as its {@code return.created} would have done; a
 *   cancelled or expired one stops its link waiting.</li>
 *   <li>ShipHero: the RMAs of links still waiting on the warehouse that changed (on orders updated since the
 *   watermark), those of young links, and every {@code full-pass-interval} all of them, in batched, paginated reads
 *   with only the fields the decision needs. Where the decision differs from the one last taken, the same job a
 *   Return Update would start is started.</li>
 * </ul>
 * Everything goes through the same idempotent jobs (one per return and kind) as webhooks, so a sweep and a webhook
 * for one return never act twice.
 */
@Service
public class Reconciler {

    private static final Logger log = LoggerFactory.getLogger(Reconciler.class);
    static final String LOOP = "LOOP";
    /** How far the ShipHero sweep has read updated orders, and when its last full pass started. */
    static final String SHIPHERO_ORDERS = "SHIPHERO_ORDERS";
    public static final String SHIPHERO_FULL = "SHIPHERO_FULL";
    /** RMAs are looked for from this long before the oldest waiting link was created (clock skew between systems). */
    private static final Duration RMA_SKEW = Duration.ofHours(1);

    /**
     * {@code fullPass}: this sweep read every waiting RMA (not only what changed); {@code lastFullPass}: when the
     * last complete full pass of the connection started (null: none yet).
     */
    public record Result(String connectionId, int loopSeen, int loopMissed, int loopChanged, int rmasRead,
                         int rmasChanged, int rmasUnread, List<String> errors, boolean fullPass,
                         Instant lastFullPass) {
    }

    private final Connections connections;
    private final ReturnLinks links;
    private final Timeline timeline;
    private final BridgeJobs jobs;
    private final LoopSide loopSide;
    private final LoopReads loop;
    private final WarehouseReads warehouse;
    private final Watermarks watermarks;
    private final ReconcileProperties properties;
    private final Clock clock;
    private final MeterRegistry meters;
    private final com.returnbridge.bridge.LoopProcessing processing;
    private final LoopStates states;

    public Reconciler(Connections connections, ReturnLinks links, Timeline timeline, BridgeJobs jobs,
                      LoopSide loopSide, LoopReads loop, WarehouseReads warehouse, Watermarks watermarks,
                      ReconcileProperties properties, Clock clock, MeterRegistry meters,
                      com.returnbridge.bridge.LoopProcessing processing, LoopStates states) {
        this.processing = processing;
        this.states = states;
        this.connections = connections;
        this.links = links;
        this.timeline = timeline;
        this.jobs = jobs;
        this.loopSide = loopSide;
        this.loop = loop;
        this.warehouse = warehouse;
        this.watermarks = watermarks;
        this.properties = properties;
        this.clock = clock;
        this.meters = meters;
    }

    /** The recurring db-scheduler task: one sweep of every connection per interval, on one instance at a time. */
    @Bean("reconcileTask")
    public RecurringTask<Void> recurringTask() {
        return Tasks.recurring("reconcile", FixedDelay.of(properties.interval()))
                .execute((instance, context) -> sweepAll());
    }

    public List<Result> sweepAll() {
        List<Result> results = new ArrayList<>();
        for (Connection connection : connections.all()) {
            results.add(sweep(connection));
        }
        return results;
    }

    /** One sweep, a full ShipHero pass when it is due. */
    public Result sweep(Connection connection) {
        return sweep(connection, false);
    }

    /** {@code fullPass}: read every waiting RMA now, due or not (after a webhook outage, or when a person asks). */
    public Result sweep(Connection connection, boolean fullPass) {
        List<String> errors = new ArrayList<>();
        int[] loopCounts = {0, 0, 0};
        try {
            loopCounts = sweepLoop(connection);
        } catch (VendorException e) {
            errors.add("Loop: " + e.getMessage());
        }
        RmaCounts rmaCounts;
        try {
            rmaCounts = sweepShipHero(connection, fullPass);
        } catch (VendorException e) {
            errors.add("ShipHero: " + e.getMessage());
            rmaCounts = new RmaCounts(0, 0, 0, false,
                    watermarks.find(connection.id(), SHIPHERO_FULL).orElse(null));
        }
        Result result = new Result(connection.id(), loopCounts[0], loopCounts[1], loopCounts[2], rmaCounts.read(),
                rmaCounts.changed(), rmaCounts.unread(), errors, rmaCounts.fullPass(), rmaCounts.lastFullPass());
        meters.counter("returnbridge.reconcile.found", "connection", connection.id(), "kind", "loop_missed")
                .increment(result.loopMissed() + result.loopChanged());
        meters.counter("returnbridge.reconcile.found", "connection", connection.id(), "kind", "warehouse_changed")
                .increment(result.rmasChanged());
        if (!errors.isEmpty() || result.loopMissed() + result.loopChanged() + result.rmasChanged() > 0) {
            log.info("reconciliation of {}: {}", connection.id(), result);
        }
        return result;
    }

    // ---------------------------------------------------------------- Loop

    private int[] sweepLoop(Connection connection) {
        Instant to = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Instant from = watermarks.find(connection.id(), LOOP).map(w -> w.minus(properties.overlap()))
                .orElse(to.minus(properties.firstLookback()));
        if (Duration.between(from, to).compareTo(Duration.ofDays(119)) > 0) {
            from = to.minus(Duration.ofDays(119)); // Loop refuses windows over 120 days
        }
        AtomicInteger seen = new AtomicInteger();
        AtomicInteger missed = new AtomicInteger();
        AtomicInteger changed = new AtomicInteger();
        loop.updatedBetween(connection, from, to, found -> {
            seen.incrementAndGet();
            Optional<ReturnLink> link = links.findByLoopId(connection.id(), found.id());
            if (link.isEmpty()) {
                if (!states.stage(found.state()).finished()) {
                    loopSide.reconcile(connection, found);
                    missed.incrementAndGet();
                }
                return;
            }
            ReturnLink l = link.get();
            boolean placeholder = l.state() == LinkState.RECEIVED && l.loopState() == null;
            LoopStage stage = states.stage(found.state());
            boolean stopped = stage.finished() && stage != LoopStage.CLOSED && l.state().awaitsWarehouse();
            boolean finishedBeforeRma = stage.finished() && l.state() == LinkState.RECEIVED;
            boolean processedInLoop = stage == LoopStage.CLOSED && l.state() == LinkState.PROCESSED
                    && states.stage(l.loopState()) != LoopStage.CLOSED;
            if (placeholder || stopped || finishedBeforeRma || processedInLoop) {
                loopSide.reconcile(connection, found);
                changed.incrementAndGet();
            } else if (l.state() == LinkState.RECEIVED) {
                jobs.createRma(l.id()); // no-op when its job exists, as it should
            }
        });
        watermarks.advance(connection.id(), LOOP, to);
        return new int[] {seen.get(), missed.get(), changed.get()};
    }

    // ---------------------------------------------------------------- ShipHero

    /** What one ShipHero sweep did: counts, and whether (and when last) it was a full pass. */
    private record RmaCounts(int read, int changed, int unread, boolean fullPass, Instant lastFullPass) {
    }

    /**
     * Cost follows what changed: an ordinary sweep reads the orders ShipHero updated since the watermark (with their
     * RMAs) and, in full, only the RMAs of young links (created within {@code full-pass-after}); every
     * {@code full-pass-interval} (and when asked) a full pass reads every RMA created since the oldest waiting link,
     * as all sweeps once did. The full pass is also the net under the undocumented: whether a change to a return
     * moves its order's {@code updated_at}. Watermarks move only after a complete read.
     */
    private RmaCounts sweepShipHero(Connection connection, boolean forceFull) {
        // not to the second: an update in this second, after the window's end, would wait a sweep for the overlap
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        List<ReturnLink> waiting = new ArrayList<>();
        waiting.addAll(links.findByState(connection.id(), LinkState.RMA_CREATED));
        waiting.addAll(links.findByState(connection.id(), LinkState.FLAGGED));
        waiting.removeIf(l -> l.shipheroReturnId() == null);
        for (ReturnLink processed : links.findByState(connection.id(), LinkState.PROCESSED)) {
            processing.sweep(processed); // Loop accepted Process: is the return closed in Loop by now?
        }
        Optional<Instant> lastFull = watermarks.find(connection.id(), SHIPHERO_FULL);
        boolean full = forceFull || lastFull.isEmpty()
                || !lastFull.get().plus(properties.fullPassInterval()).isAfter(now);
        if (waiting.isEmpty()) {
            // nothing waits: every RMA we care about is read, trivially, up to now
            watermarks.advance(connection.id(), SHIPHERO_ORDERS, now);
            watermarks.advance(connection.id(), SHIPHERO_FULL, now);
            return new RmaCounts(0, 0, 0, full, now);
        }
        Map<String, ReturnLink> byRma = new HashMap<>();
        waiting.forEach(l -> byRma.put(l.shipheroReturnId(), l));
        Map<String, WarehouseApi.RmaSnapshot> read = new HashMap<>();
        java.util.function.Consumer<WarehouseApi.RmaSnapshot> keep = rma -> {
            if (rma.id() != null && byRma.containsKey(rma.id())) {
                read.put(rma.id(), rma);
            }
        };
        if (full) {
            Instant from = waiting.stream().map(l -> l.createdAt().toInstant()).min(Comparator.naturalOrder())
                    .orElseThrow().minus(RMA_SKEW);
            warehouse.rmasCreatedSince(connection, from, keep);
        } else {
            Instant from = watermarks.find(connection.id(), SHIPHERO_ORDERS).map(w -> w.minus(properties.overlap()))
                    .orElse(now.minus(properties.firstLookback()));
            warehouse.rmasOnOrdersUpdated(connection, from, now, keep);
            Instant youngSince = now.minus(properties.fullPassAfter());
            waiting.stream().map(l -> l.createdAt().toInstant()).filter(c -> c.isAfter(youngSince))
                    .min(Comparator.naturalOrder())
                    .ifPresent(oldestYoung -> warehouse.rmasCreatedSince(connection, oldestYoung.minus(RMA_SKEW), keep));
        }
        int changed = 0;
        int unread = 0;
        for (ReturnLink link : waiting) {
            WarehouseApi.RmaSnapshot rma = read.get(link.shipheroReturnId());
            if (rma == null) {
                if (full) {
                    unread++; // not in the batch (another account, deleted): its own job re-reads it by id
                    jobs.applyStatus(link.id());
                }
                continue; // an ordinary sweep reads only what changed
            }
            Decision decision = com.returnbridge.bridge.ApplyStatusJob.decisionFor(connection, link, rma);
            if (!decision.key().equals(link.lastDecision())) {
                changed++;
                links.bumpHint(link.id());
                timeline.record(link, RECONCILE, "the sweep found ShipHero status '" + rma.status() + "' ("
                        + rma.received() + " of " + rma.expected() + " received) not yet acted on");
                jobs.applyStatus(link.id());
            }
        }
        watermarks.advance(connection.id(), SHIPHERO_ORDERS, now);
        if (full) {
            watermarks.advance(connection.id(), SHIPHERO_FULL, now);
        }
        return new RmaCounts(read.size(), changed, unread, full, full ? now : lastFull.orElse(null));
    }
}
