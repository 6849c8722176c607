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
 * <p>Waiting is in budget order. A job's call that does not fit takes its place in line: its credits are taken from
 * the bucket now, into debt ({@code consumeIgnoringRateLimits}), and the debt tells when the refill reaches it, after
 * everyone already in line. The job sleeps until then and is woken once; its credits are waiting for it (a ticket),
 * so it runs without asking the bucket again. The ticket is sized for the whole run as this kind of job usually
 * spends it (learned from its runs), so a job that makes two calls is not sent to the back of the line between them;
 * what the run leaves unused goes back to the bucket. Before this, every waiting job computed the same refill time,
 * all woke together and nearly all were held back again (hundreds of thousands of wake-ups for a 2,000-return
 * backlog). Tickets live in this instance: a job picked up by another instance takes a new place there, which costs
 * time, never credits beyond the bucket.
 */
@Component
public class ShipHeroCredits {

    private static final Map<String, Document> PARSED = new java.util.concurrent.ConcurrentHashMap<>();
    /** A job woken this much before its turn (timer and clock jitter) is served; earlier it sleeps again. */
    private static final Duration EARLY = Duration.ofMillis(50);
    /** What a woken run has not used by then goes back to the bucket. */
    private static final Duration TICKET_LIFETIME = Duration.ofSeconds(30);

    /** Credits taken for a job execution's run, usable from {@code due}; {@code run} is set once a run uses it. */
    private static final class Ticket {
        final String bucketKey;
        final Instant due;
        long credits;
        String run;

        Ticket(String bucketKey, long credits, Instant due) {
            this.bucketKey = bucketKey;
            this.credits = credits;
            this.due = due;
        }
    }

    private final RateBudgets budgets;
    private final RateBudgets.Budget budget;
    private final Clock clock;
    private final Map<String, Ticket> tickets = new ConcurrentHashMap<>();
    /** Per job kind: the credits one run usually reserves (a moving average), to size its ticket. */
    private final Map<String, Long> perRun = new ConcurrentHashMap<>();
    /** Per run in progress: credits reserved so far (bounded: the oldest are dropped). */
    private final Map<String, long[]> runTotals = java.util.Collections.synchronizedMap(
            new java.util.LinkedHashMap<>(256, 0.75f, false) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, long[]> eldest) {
                    return size() > 4096;
                }
            });
    private final Counter heldForTurn;
    private final Counter heldEarly;
    private final Counter served;
    private volatile Instant nextExpiry = Instant.EPOCH;

    @Autowired
    public ShipHeroCredits(RateBudgets budgets, Clock clock, MeterRegistry meters,
                           @Value("${returnbridge.shiphero.credits.bucket:4004}") long bucket,
                           @Value("${returnbridge.shiphero.credits.per-second:60}") long perSecond) {
        this.budgets = budgets;
        this.clock = clock;
        this.budget = new RateBudgets.Budget("shiphero", bucket, perSecond, Duration.ofSeconds(1));
        this.heldForTurn = meters.counter("returnbridge.shiphero.credits.held", "reason", "in_line");
        this.heldEarly = meters.counter("returnbridge.shiphero.credits.held", "reason", "woken_early");
        this.served = meters.counter("returnbridge.shiphero.credits.turns");
    }

    /** For tests: a system clock and no meters. */
    public ShipHeroCredits(RateBudgets budgets, long bucket, long perSecond) {
        this(budgets, Clock.systemUTC(), new io.micrometer.core.instrument.simple.SimpleMeterRegistry(), bucket,
                perSecond);
    }

    /**
     * Takes the estimate from the account's budget (or from the job's ticket when its turn has come), or throws
     * throttled with the time until its turn.
     */
    public long reserve(Connection connection, GraphQlDocuments document, Map<String, Object> variables) {
        // Half again as much as the estimate: ShipHero charges what it returned, which can exceed the estimate for
        // plain lists (line items), and charges before our settle lands. The excess comes back at settle.
        long estimate = Math.min(estimate(document.text(), variables) * 3 / 2 + 1, budget.capacity());
        Bucket bucket = bucket(connection);
        String bucketKey = bucketKey(connection);
        Instant now = clock.instant();
        expireTickets(now);
        String execution = VendorCallContext.execution();
        String run = VendorCallContext.run();
        String job = execution == null ? null : execution.substring(0, Math.max(0, execution.indexOf('/')));
        if (execution == null) {
            return reserveWithoutLine(bucket, estimate);
        }
        String ticketKey = bucketKey + "|" + execution;
        Ticket ticket = tickets.get(ticketKey);
        if (ticket != null) {
            synchronized (ticket) {
                if (ticket.run == null && ticket.due.isAfter(now.plus(EARLY))) {
                    heldEarly.increment();
                    throw inLine(estimate, Duration.between(now, ticket.due));
                }
                if (ticket.run == null || ticket.run.equals(run)) {
                    if (ticket.run == null) {
                        ticket.run = run;
                        served.increment();
                    }
                    long fromTicket = Math.min(ticket.credits, estimate);
                    ticket.credits -= fromTicket;
                    if (ticket.credits == 0) {
                        tickets.remove(ticketKey, ticket);
                    }
                    long rest = estimate - fromTicket;
                    if (rest == 0 || bucket.tryConsume(rest)) {
                        counted(job, run, estimate);
                        return estimate;
                    }
                    bucket.addTokens(fromTicket); // not enough for this call: back in line with all of it
                } else {
                    // a ticket an earlier run was served from and did not use up
                    tickets.remove(ticketKey, ticket);
                    if (ticket.credits > 0) {
                        bucket.addTokens(ticket.credits);
                    }
                }
            }
        }
        if (bucket.tryConsume(estimate)) {
            counted(job, run, estimate);
            return estimate;
        }
        // Our place in line: the rest of this run as this kind of job usually spends it, taken into debt now.
        long soFar = run == null ? 0 : runTotals.getOrDefault(run, new long[1])[0];
        long credits = Math.min(budget.capacity(), Math.max(estimate, perRun.getOrDefault(job, 0L) - soFar));
        long waitNanos = bucket.consumeIgnoringRateLimits(credits);
        Duration wait = Duration.ofNanos(Math.max(waitNanos, 0));
        tickets.put(ticketKey, new Ticket(bucketKey, credits, now.plus(wait)));
        heldForTurn.increment();
        throw inLine(estimate, wait);
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

    /** Learns what a run of this job kind reserves: a moving average of each run's total so far, never below. */
    private void counted(String job, String run, long credits) {
        if (job == null || run == null) {
            return;
        }
        long total;
        synchronized (runTotals) {
            long[] t = runTotals.computeIfAbsent(run, r -> new long[1]);
            t[0] += credits;
            total = t[0];
        }
        perRun.merge(job, total, (old, now) -> now > old ? now : Math.max(now, (old * 7 + now) / 8));
    }

    /** Unused credits of tickets past their lifetime go back to their bucket (at most once a second). */
    private void expireTickets(Instant now) {
        if (now.isBefore(nextExpiry)) {
            return;
        }
        nextExpiry = now.plusSeconds(1);
        for (Map.Entry<String, Ticket> e : tickets.entrySet()) {
            Ticket t = e.getValue();
            if (t.due.plus(TICKET_LIFETIME).isBefore(now) && tickets.remove(e.getKey(), t)) {
                synchronized (t) {
                    if (t.credits > 0) {
                        budgets.bucket(budget, t.bucketKey).addTokens(t.credits);
                    }
                }
            }
        }
    }

    /** Squares the reservation with what ShipHero charged (its reported complexity). */
    public void settle(Connection connection, long reserved, long charged) {
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
