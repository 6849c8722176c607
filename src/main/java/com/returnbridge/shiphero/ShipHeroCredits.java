package com.returnbridge.shiphero;

import com.returnbridge.vendor.VendorException;
import com.returnbridge.vendor.RateBudgets;
import com.returnbridge.connection.Connection;
import graphql.language.Argument;
import graphql.language.Document;
import graphql.language.Field;
import graphql.language.IntValue;
import graphql.language.OperationDefinition;
import graphql.language.Selection;
import graphql.language.SelectionSet;
import graphql.language.VariableReference;
import graphql.parser.Parser;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import com.returnbridge.vendor.VendorCallContext;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * ShipHero's credit budget, per ShipHero account and shared by every instance ({@link RateBudgets}): before a call
 * its estimated cost is taken from the bucket (ShipHero estimates from the requested maximum: every object selected,
 * multiplied by {@code first}/{@code last}); after it, the difference to the complexity ShipHero reported is given
 * back or taken. A call that does not fit waits (as throttling, not a failure) instead of being refused by ShipHero.
 *
 * <p>Waiting is in budget order. A job's call that does not fit joins the account's line and is given a turn: when
 * the refill will have covered what the jobs already in line are expected to be charged, plus what this run needs.
 * Expected, not estimated: ShipHero admits a call on its estimate but charges what it returned, far less, so a line
 * paced on estimates would drain at a fraction of the refill. What a run needs and is charged is learned per kind of
 * job from its runs (before any run of a kind is known, from the ratio of charge to estimate seen so far). The job
 * sleeps until its turn and is woken once; at its turn it takes its credits as usual, and the rest of that run goes
 * on without queueing, so a job that makes two calls is not sent to the back of the line between them. A call that
 * fits the budget goes at once (under a backlog none fits, so the line keeps the order). The line holds only the turns not yet
 * served (a turn nobody came for is dropped after a minute), so a wrong expectation delays the jobs in line at the
 * time and is not carried forward. Before this, every waiting job computed the same refill time, all woke together
 * and nearly all were held back again (hundreds of thousands of wake-ups for a 2,000-return backlog). The line lives
 * in this instance; on PostgreSQL the bucket is shared, so a turn can find the bucket short (another instance spent
 * it): the job then stays first in line for the refill it lacks.
 */
@Component
public class ShipHeroCredits {

    private static final Map<String, Document> PARSED = new java.util.concurrent.ConcurrentHashMap<>();
    /** A job woken this much before its turn (timer and clock jitter) is served; earlier it sleeps again. */
    private static final Duration EARLY = Duration.ofMillis(50);
    private static final Duration SHORTEST_WAIT = Duration.ofMillis(50);

    /** A turn nobody came for (the job was cancelled, or another instance ran it) is dropped after this. */
    private static final Duration TURN_KEPT = Duration.ofMinutes(1);

    /** An account's line: what the turns given out and not yet served are expected to be charged. */
    private static final class Line {
        long queued;
        Instant nextExpiry = Instant.EPOCH;
    }

    /**
     * A guessed turn (its kind of job had no charge learned yet) sleeps at most this long before it looks again
     * where the line really is.
     */
    private static final Duration GUESSED_TURN_CHECK = Duration.ofSeconds(30);

    /** A job execution's turn: when, the charge expected of its run, and whether that charge was a guess. */
    private record Turn(String bucketKey, Instant at, long charge, boolean guessed) {
    }

    private final RateBudgets budgets;
    private final RateBudgets.Budget budget;
    private final Clock clock;
    private final Map<String, Line> lines = new ConcurrentHashMap<>();
    /** Per job execution in line (account and execution): its turn. */
    private final Map<String, Turn> turns = new ConcurrentHashMap<>();
    /** Everything reserved and charged so far, for a first guess of a new kind of job's charge. */
    private final java.util.concurrent.atomic.AtomicLong reservedTotal = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong chargedTotal = new java.util.concurrent.atomic.AtomicLong();
    /** Per job execution served at its turn: the run that was, whose further calls do not queue. */
    private final Map<String, String> servedRuns = bounded();
    /** Per run in progress: credits reserved (estimates) and charged so far. */
    private final Map<String, long[]> runTotals = bounded();
    /** Per job kind: what one run reserves at most at once (estimates) and is charged, moving averages. */
    private final Map<String, Long> runNeeds = new ConcurrentHashMap<>();
    private final Map<String, Long> runCharges = new ConcurrentHashMap<>();
    private final Counter heldForTurn;
    private final Counter heldEarly;
    private final Counter heldShort;
    private final Counter served;

    @Autowired
    public ShipHeroCredits(RateBudgets budgets, Clock clock, MeterRegistry meters,
                           @Value("${returnbridge.shiphero.credits.bucket:4004}") long bucket,
                           @Value("${returnbridge.shiphero.credits.per-second:60}") long perSecond) {
        this.budgets = budgets;
        this.clock = clock;
        this.budget = new RateBudgets.Budget("shiphero", bucket, perSecond, Duration.ofSeconds(1));
        this.heldForTurn = meters.counter("returnbridge.shiphero.credits.held", "reason", "in_line");
        this.heldEarly = meters.counter("returnbridge.shiphero.credits.held", "reason", "woken_early");
        this.heldShort = meters.counter("returnbridge.shiphero.credits.held", "reason", "short_at_turn");
        this.served = meters.counter("returnbridge.shiphero.credits.turns");
    }

    /** For tests: a system clock and no meters. */
    public ShipHeroCredits(RateBudgets budgets, long bucket, long perSecond) {
        this(budgets, Clock.systemUTC(), new io.micrometer.core.instrument.simple.SimpleMeterRegistry(), bucket,
                perSecond);
    }

    /**
     * Takes the estimate from the account's budget, or throws throttled with the time until the job's turn (outside
     * a job: until the refill would fit it).
     */
    public long reserve(Connection connection, GraphQlDocuments document, Map<String, Object> variables) {
        // Half again as much as the estimate: ShipHero charges what it returned, which can exceed the estimate for
        // plain lists (line items), and charges before our settle lands. The excess comes back at settle.
        long estimate = Math.min(estimate(document.text(), variables) * 3 / 2 + 1, budget.capacity());
        Bucket bucket = bucket(connection);
        String execution = VendorCallContext.execution();
        if (execution == null) {
            return reserveWithoutLine(bucket, estimate);
        }
        String run = VendorCallContext.run();
        String job = execution.substring(0, Math.max(0, execution.indexOf('/')));
        String bucketKey = bucketKey(connection);
        String key = bucketKey + "|" + execution;
        Line line = lines.computeIfAbsent(bucketKey, k -> new Line());
        Instant now = clock.instant();
        synchronized (line) {
            expireTurns(line, bucketKey, now);
            Turn turn = turns.get(key);
            boolean ours = run != null && run.equals(servedRuns.get(key));
            long soFar = run == null ? 0 : runTotals.getOrDefault(run, new long[2])[0];
            long need = Math.min(budget.capacity(), Math.max(estimate, runNeeds.getOrDefault(job, 0L) - soFar));
            if (turn != null && turn.at().isAfter(now.plus(EARLY))) {
                // Woken before its turn. A guessed turn looks where the line really is (charges learned since it was
                // given): now, or when the refill covers those still before it. A learned one sleeps on.
                Instant again = !turn.guessed() ? turn.at() : now.plus(refillTime(chargesBefore(bucketKey, turn)
                        + need - bucket.getAvailableTokens()));
                if (again.isAfter(now.plus(EARLY))) {
                    Turn moved = new Turn(bucketKey, again.isBefore(turn.at()) ? again : turn.at(), turn.charge(),
                            turn.guessed());
                    turns.put(key, moved);
                    heldEarly.increment();
                    throw inLine(estimate, sleep(now, moved));
                }
            }
            if (turn != null) {
                turns.remove(key);
                line.queued -= turn.charge();
                served.increment();
                if (run != null) {
                    servedRuns.put(key, run);
                }
                ours = true;
            }
            // A call that fits goes (a line only forms when the budget is short, and then newcomers do not fit either;
            // holding a fitting call back for turns that may never be taken only made single returns wait).
            ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(estimate);
            if (probe.isConsumed()) {
                tally(run, estimate, 0);
                return estimate;
            }
            if (ours) {
                // our turn (or our run), and the bucket is short: first in line for what it lacks
                Duration wait = max(Duration.ofNanos(probe.getNanosToWaitForRefill()), SHORTEST_WAIT);
                turns.put(key, new Turn(bucketKey, now.plus(wait), 0, false));
                heldShort.increment();
                throw inLine(estimate, wait);
            }
            long available = probe.getRemainingTokens();
            // Into the line: its turn comes when the refill has covered the charges expected of those before it and
            // what this run needs to be admitted.
            Instant at = now.plus(refillTime(line.queued + need - available));
            boolean guessed = !runCharges.containsKey(job);
            long charge = expectedCharge(job, need);
            line.queued += charge;
            Turn given = new Turn(bucketKey, at, charge, guessed);
            turns.put(key, given);
            heldForTurn.increment();
            throw inLine(estimate, sleep(now, given));
        }
    }

    /** How long to sleep for a turn: until it, or, for a guessed one, until it is time to look again. */
    private static Duration sleep(Instant now, Turn turn) {
        Duration until = max(Duration.between(now, turn.at()), Duration.ZERO);
        return turn.guessed() && until.compareTo(GUESSED_TURN_CHECK) > 0 ? GUESSED_TURN_CHECK : until;
    }

    /** What the turns given out before this one are expected to be charged. */
    private long chargesBefore(String bucketKey, Turn mine) {
        long sum = 0;
        for (Turn t : turns.values()) {
            if (t != mine && t.bucketKey().equals(bucketKey) && t.at().isBefore(mine.at())) {
                sum += t.charge();
            }
        }
        return sum;
    }

    /** What a run of this kind is expected to be charged: learned, else the estimate at the charge ratio seen so far. */
    private long expectedCharge(String job, long need) {
        Long learned = runCharges.get(job);
        if (learned != null) {
            return learned;
        }
        // Before any call was charged, a tenth of the estimate: too little costs a job a second wake-up at its
        // turn, too much would hold the whole line back.
        long reserved = reservedTotal.get();
        return reserved <= 0 ? Math.max(1, need / 10) : Math.max(1, need * chargedTotal.get() / reserved);
    }

    /** Turns nobody came for leave the line (at most once a second per line). */
    private void expireTurns(Line line, String bucketKey, Instant now) {
        if (now.isBefore(line.nextExpiry)) {
            return;
        }
        line.nextExpiry = now.plusSeconds(1);
        for (Map.Entry<String, Turn> e : turns.entrySet()) {
            Turn t = e.getValue();
            if (t.bucketKey().equals(bucketKey) && t.at().plus(TURN_KEPT).isBefore(now) && turns.remove(e.getKey(), t)) {
                line.queued -= t.charge();
            }
        }
    }

    /** Outside a job (an operator's read): it fits now or is refused with the refill time; no place in line. */
    private long reserveWithoutLine(Bucket bucket, long estimate) {
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(estimate);
        if (!probe.isConsumed()) {
            throw VendorException.throttled("ShipHero credit budget (" + budget.capacity() + ", +" + budget.refill()
                    + "/s) has not " + estimate + " credits left", Duration.ofNanos(
                    Math.max(probe.getNanosToWaitForRefill(), Duration.ofMillis(200).toNanos())));
        }
        return estimate;
    }

    private VendorException inLine(long estimate, Duration wait) {
        return VendorException.throttled("ShipHero credit budget (" + budget.capacity() + ", +" + budget.refill()
                + "/s) has not " + estimate + " credits left; waiting in line", wait);
    }

    private Duration refillTime(long credits) {
        return credits <= 0 ? Duration.ZERO
                : Duration.ofNanos(credits * budget.per().toNanos() / Math.max(1, budget.refill()));
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    /** Squares the reservation with what ShipHero charged (its reported complexity). */
    public void settle(Connection connection, long reserved, long charged) {
        tally(VendorCallContext.run(), 0, charged > 0 ? charged : reserved);
        reservedTotal.addAndGet(reserved);
        chargedTotal.addAndGet(charged > 0 ? charged : reserved);
        if (charged <= 0 || charged == reserved) {
            return;
        }
        Bucket bucket = bucket(connection);
        if (charged > reserved) {
            bucket.consumeIgnoringRateLimits(charged - reserved);
        } else {
            bucket.addTokens(reserved - charged);
        }
    }

    /**
     * Learns per kind of job what a run reserves (the sum of its estimates) and is charged: moving averages of each
     * run's totals, which move up at once and down slowly.
     */
    private void tally(String run, long reserved, long charged) {
        String execution = VendorCallContext.execution();
        if (run == null || execution == null) {
            return;
        }
        String job = execution.substring(0, Math.max(0, execution.indexOf('/')));
        long[] t;
        synchronized (runTotals) {
            t = runTotals.computeIfAbsent(run, r -> new long[2]);
            t[0] += reserved;
            t[1] += charged;
        }
        runNeeds.merge(job, t[0], ShipHeroCredits::average);
        if (charged > 0) {
            runCharges.merge(job, t[1], ShipHeroCredits::average);
        }
    }

    private static long average(long old, long now) {
        return now > old ? now : Math.max(now, (old * 7 + now) / 8);
    }

    private static <V> Map<String, V> bounded() {
        return java.util.Collections.synchronizedMap(new java.util.LinkedHashMap<>(256, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > 8192;
            }
        });
    }

    private Bucket bucket(Connection connection) {
        return budgets.bucket(budget, bucketKey(connection));
    }

    /** The account's key: its endpoint and credential (RateBudgets stores only a hash of it). */
    private static String bucketKey(Connection connection) {
        Connection.ShipHeroSettings s = connection.shiphero();
        String credential = s.refreshToken() != null ? s.refreshToken().reveal()
                : s.accessToken() != null ? s.accessToken().reveal() : connection.id();
        return s.baseUrl() + "|" + credential;
    }

    /** 1 + the objects the operation may return, each {@code first}/{@code last} multiplying what is below it. */
    static long estimate(String text, Map<String, Object> variables) {
        Document document = PARSED.computeIfAbsent(text, Parser::parse);
        long total = 0;
        for (var definition : document.getDefinitions()) {
            if (definition instanceof OperationDefinition operation) {
                for (Selection<?> selection : operation.getSelectionSet().getSelections()) {
                    if (selection instanceof Field field) {
                        total += 1 + objects(field, 1, variables);
                    }
                }
            }
        }
        return Math.max(1, total);
    }

    private static long objects(Field field, long multiplier, Map<String, Object> variables) {
        SelectionSet set = field.getSelectionSet();
        if (set == null) {
            return 0;
        }
        long below = multiplier * pageSize(field, variables);
        long total = multiplier;
        for (Selection<?> selection : set.getSelections()) {
            if (selection instanceof Field child) {
                total += objects(child, below, variables);
            }
        }
        return total;
    }

    private static long pageSize(Field field, Map<String, Object> variables) {
        for (Argument argument : field.getArguments()) {
            if (argument.getName().equals("first") || argument.getName().equals("last")) {
                Object value = argument.getValue() instanceof IntValue i ? i.getValue()
                        : argument.getValue() instanceof VariableReference v ? variables.get(v.getName()) : null;
                if (value instanceof Number n) {
                    return Math.max(1, n.longValue());
                }
            }
        }
        return 1;
    }
}
