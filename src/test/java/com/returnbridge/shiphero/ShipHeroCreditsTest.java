package com.returnbridge.shiphero;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.returnbridge.connection.Connection;
import com.returnbridge.connection.Secret;
import com.returnbridge.support.MovableClock;
import com.returnbridge.vendor.VendorCallContext;
import com.returnbridge.vendor.VendorException;
import com.returnbridge.vendor.VendorFixture;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/**
 * Waiting for ShipHero credits in budget order: a job that does not fit joins the line and is told its turn, paced by
 * what the runs before it will be charged; woken early it sleeps again without losing its place, a newcomer queues
 * behind the line, and at its turn the job's whole run goes through. The bucket refills at one credit a second by
 * Bucket4j's own clock, so the test refills it by hand (addTokens) where time is meant to have passed.
 */
class ShipHeroCreditsTest {

    private final VendorFixture vendor = new VendorFixture();
    private final MovableClock clock = new MovableClock();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final Connection connection = new Connection("c1",
            new Connection.LoopSettings("http://127.0.0.1:1", Secret.of("k"), Secret.of("w")),
            new Connection.ShipHeroSettings("http://127.0.0.1:2", Secret.of("refresh"), null, null, "CA1", "WH1", null),
            null, null, null);
    private final long cost = Math.min(ShipHeroCredits.estimate(GraphQlDocuments.GET_RETURN.text(), Map.of()) * 3 / 2
            + 1, 10_000);

    @AfterEach
    void close() {
        MDC.clear();
        vendor.close();
    }

    @Test
    void jobsThatDoNotFitWaitInLinePacedByWhatEachRunIsCharged() {
        ShipHeroCredits credits = credits(2 * cost);
        asJob("resolve-rma/1", "run-1");
        long reserved = reserve(credits);
        credits.settle(connection, reserved, 2); // ShipHero charged 2: a run of this kind costs 2
        asJob("resolve-rma/1b", "run-1b");
        reserve(credits); // the bucket now holds cost - 2

        asJob("resolve-rma/2", "run-2");
        Duration second = held(credits);
        asJob("resolve-rma/3", "run-3");
        Duration third = held(credits);
        asJob("resolve-rma/4", "run-4");
        Duration fourth = held(credits);
        // the first waits for the 2 credits it lacks, each next one for the 2 the run before it will be charged,
        // not for a whole estimate
        assertThat(second.toMillis()).isBetween(1_500L, 2_000L);
        assertThat(third.minus(second).toMillis()).isBetween(1_900L, 2_100L);
        assertThat(fourth.minus(third).toMillis()).isBetween(1_900L, 2_100L);

        // woken early (a poll, an operator's "run now"): back to sleep for what is left, same place
        clock.advance(Duration.ofSeconds(1));
        asJob("resolve-rma/3", "run-5");
        assertThat(held(credits)).isLessThan(third).isGreaterThan(third.minusSeconds(2));

        // the second's turn: the refill has brought the bucket back to one call
        clock.advance(second);
        bucket().addTokens(2);
        asJob("resolve-rma/2", "run-6");
        assertThat(reserve(credits)).isEqualTo(cost);
        assertThat(meters.counter("returnbridge.shiphero.credits.turns").count()).isEqualTo(1);
        assertThat(meters.counter("returnbridge.shiphero.credits.held", "reason", "in_line").count()).isEqualTo(3);
        assertThat(meters.counter("returnbridge.shiphero.credits.held", "reason", "woken_early").count())
                .isEqualTo(1);
    }

    @Test
    void aCallThatFitsGoesAtOnceAndAJobAtItsTurnThatFindsTheBudgetShortStaysFirst() {
        ShipHeroCredits credits = credits(2 * cost);
        asJob("resolve-rma/1", "run-1");
        reserve(credits);
        reserve(credits);
        asJob("resolve-rma/2", "run-2");
        Duration turn = held(credits);

        bucket().addTokens(cost); // the refill has brought one call's worth
        asJob("resolve-rma/3", "run-3");
        assertThat(reserve(credits)).as("a call that fits is not held back").isEqualTo(cost);

        clock.advance(turn);
        asJob("resolve-rma/2", "run-4");
        Duration again = held(credits);
        assertThat(again).isLessThanOrEqualTo(Duration.ofSeconds(cost));
        assertThat(meters.counter("returnbridge.shiphero.credits.held", "reason", "short_at_turn").count())
                .isEqualTo(1);
    }

    @Test
    void aRunServedAtItsTurnMakesItsSecondCallWithoutGoingBackInLine() {
        ShipHeroCredits credits = credits(3 * cost);
        // a kind of job whose runs make two calls (learned from one unhindered run)
        asJob("create-rma/1", "run-1");
        reserve(credits);
        reserve(credits);
        bucket().tryConsume(cost); // someone else spent the rest

        asJob("create-rma/2", "run-2");
        Duration wait = held(credits);
        // first in line: until the bucket holds what the whole run needs, two calls
        assertThat(wait.toSeconds()).isBetween(2 * cost - 2, 2 * cost);

        clock.advance(wait);
        bucket().addTokens(2 * cost);
        asJob("create-rma/2", "run-3");
        assertThat(reserve(credits)).isEqualTo(cost);
        assertThat(reserve(credits)).isEqualTo(cost);
        assertThat(meters.counter("returnbridge.shiphero.credits.held", "reason", "short_at_turn").count()).isZero();
    }

    @Test
    void aLineOfAKindNotSeenYetIsPacedByTheChargesSeenSoFarAndTurnsNobodyTakesAreDropped() {
        ShipHeroCredits credits = credits(cost);
        asJob("other-job/1", "run-1");
        credits.settle(connection, credits.reserve(connection, GraphQlDocuments.GET_RETURN, Map.of()), 1);
        bucket().tryConsume(1); // one credit short of a call
        // a backlog of a kind of job never run before (after a restart, say): eight of them join the line
        Duration last = Duration.ZERO;
        for (int i = 1; i <= 8; i++) {
            asJob("create-rma/" + i, "run-c" + i);
            last = held(credits);
        }
        // paced by what calls are charged (1 of every `cost` estimated), not by whole estimates: 8 s, not 8 × cost
        assertThat(last.toSeconds()).isLessThan(10);

        // none of them came back for its turn (cancelled, run elsewhere): after a minute the line is empty again
        clock.advance(Duration.ofMinutes(2));
        asJob("create-rma/9", "run-c9");
        assertThat(held(credits).toSeconds()).isLessThan(3);
    }

    @Test
    void aCallOutsideAJobIsToldTheRefillTimeAndTakesNoPlaceInLine() {
        ShipHeroCredits credits = credits(cost);
        assertThat(reserve(credits)).isEqualTo(cost);
        VendorException refused = catchThrowableOfType(VendorException.class, () -> reserve(credits));
        assertThat(refused.kind()).isEqualTo(VendorException.Kind.THROTTLED);
        assertThat(meters.counter("returnbridge.shiphero.credits.held", "reason", "in_line").count()).isZero();

        // a job asking next is first in line: only its own credits to wait for
        asJob("resolve-rma/9", "run-9");
        assertThat(held(credits).toSeconds()).isBetween(cost - 2, cost);
    }

    /** A budget of {@code size} credits refilling one a second. */
    private ShipHeroCredits credits(long size) {
        return new ShipHeroCredits(vendor.budgets, clock, meters, size, 1);
    }

    /** The account's bucket itself, to stand for the refill (or another instance) where the test needs it. */
    private io.github.bucket4j.Bucket bucket() {
        return vendor.budgets.bucket(new com.returnbridge.vendor.RateBudgets.Budget("shiphero", 1, 1,
                Duration.ofSeconds(1)), "http://127.0.0.1:2|refresh");
    }

    private long reserve(ShipHeroCredits credits) {
        return credits.reserve(connection, GraphQlDocuments.GET_RETURN, Map.of());
    }

    private Duration held(ShipHeroCredits credits) {
        VendorException e = catchThrowableOfType(VendorException.class, () -> reserve(credits));
        assertThat(e).isNotNull();
        assertThat(e.kind()).isEqualTo(VendorException.Kind.THROTTLED);
        return e.retryAfter();
    }

    private static void asJob(String execution, String run) {
        MDC.put(VendorCallContext.EXECUTION, execution);
        MDC.put(VendorCallContext.RUN, run);
    }
}
