package com.returnbridge.shiphero;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.returnbridge.connection.Connection;
import com.returnbridge.connection.Secret;
import com.returnbridge.vendor.VendorCallContext;
import com.returnbridge.vendor.VendorException;
import com.returnbridge.vendor.VendorFixture;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/**
 * Waiting for ShipHero credits in budget order: a job that does not fit takes a place in line and is told when its
 * turn comes; woken then, it is served without asking the bucket again, and woken early it sleeps again without
 * losing its place. The bucket refills at one credit a second, so real time passing in the test changes nothing.
 */
class ShipHeroCreditsTest {

    private final VendorFixture vendor = new VendorFixture();
    private final MovedClock clock = new MovedClock();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final Connection connection = new Connection("c1",
            new Connection.LoopSettings("http://127.0.0.1:1", Secret.of("k"), Secret.of("w")),
            new Connection.ShipHeroSettings("http://127.0.0.1:2", Secret.of("refresh"), null, null, "CA1", "WH1", null),
            null, null, null);
    private final long cost = Math.min(ShipHeroCredits.estimate(GraphQlDocuments.GET_RETURN.text(), Map.of()) * 3 / 2
            + 1, 10_000);
    /** Room for exactly one call; then one credit a second. */
    private final ShipHeroCredits credits = new ShipHeroCredits(vendor.budgets, clock, meters, cost, 1);

    @AfterEach
    void close() {
        MDC.clear();
        vendor.close();
    }

    @Test
    void jobsThatDoNotFitWaitInLineAndAreEachServedAtTheirTurn() {
        asJob("resolve-rma/1", "run-1");
        assertThat(reserve()).isEqualTo(cost);

        asJob("resolve-rma/2", "run-2");
        Duration second = held();
        asJob("resolve-rma/3", "run-3");
        Duration third = held();
        // budget order: the third waits for the refill of the second's credits and then its own
        assertThat(second.toSeconds()).isBetween(cost - 2, cost);
        assertThat(third.toSeconds()).isBetween(2 * cost - 2, 2 * cost);

        // woken early (a poll, an operator's "run now"): back to sleep for what is left of its wait, same place
        clock.advance(Duration.ofSeconds(1));
        asJob("resolve-rma/3", "run-4");
        assertThat(held()).isLessThan(third).isGreaterThan(third.minusSeconds(2));

        // the second's turn: served from its ticket, although the bucket is still in debt for the third
        clock.advance(second);
        asJob("resolve-rma/2", "run-5");
        assertThat(reserve()).isEqualTo(cost);
        assertThat(meters.counter("returnbridge.shiphero.credits.turns").count()).isEqualTo(1);
        assertThat(meters.counter("returnbridge.shiphero.credits.held", "reason", "in_line").count()).isEqualTo(2);
        assertThat(meters.counter("returnbridge.shiphero.credits.held", "reason", "woken_early").count())
                .isEqualTo(1);
    }

    @Test
    void aRunServedAtItsTurnMakesItsSecondCallWithoutGoingBackInLine() {
        // a kind of job whose runs make two calls (learned from one unhindered run)
        ShipHeroCredits roomy = new ShipHeroCredits(vendor.budgets, clock, meters, 2 * cost, 1);
        asJob("create-rma/1", "run-1");
        roomy.reserve(connection, GraphQlDocuments.GET_RETURN, Map.of());
        roomy.reserve(connection, GraphQlDocuments.GET_RETURN, Map.of());

        asJob("create-rma/2", "run-2");
        VendorException held = catchThrowableOfType(VendorException.class,
                () -> roomy.reserve(connection, GraphQlDocuments.GET_RETURN, Map.of()));
        // its place in line covers the whole run: two calls' credits
        assertThat(held.retryAfter().toSeconds()).isBetween(2 * cost - 2, 2 * cost);

        clock.advance(held.retryAfter());
        asJob("create-rma/2", "run-3");
        assertThat(roomy.reserve(connection, GraphQlDocuments.GET_RETURN, Map.of())).isEqualTo(cost);
        assertThat(roomy.reserve(connection, GraphQlDocuments.GET_RETURN, Map.of())).isEqualTo(cost);
    }

    @Test
    void aCallOutsideAJobIsToldTheRefillTimeAndTakesNoPlaceInLine() {
        assertThat(reserve()).isEqualTo(cost);
        VendorException refused = catchThrowableOfType(VendorException.class, this::reserve);
        assertThat(refused.kind()).isEqualTo(VendorException.Kind.THROTTLED);
        assertThat(meters.counter("returnbridge.shiphero.credits.held", "reason", "in_line").count()).isZero();

        // a job asking next is first in line: only its own credits to wait for
        asJob("resolve-rma/9", "run-9");
        assertThat(held().toSeconds()).isBetween(cost - 2, cost);
    }

    private long reserve() {
        return credits.reserve(connection, GraphQlDocuments.GET_RETURN, Map.of());
    }

    private Duration held() {
        VendorException e = catchThrowableOfType(VendorException.class, this::reserve);
        assertThat(e).isNotNull();
        assertThat(e.kind()).isEqualTo(VendorException.Kind.THROTTLED);
        return e.retryAfter();
    }

    private static void asJob(String execution, String run) {
        MDC.put(VendorCallContext.EXECUTION, execution);
        MDC.put(VendorCallContext.RUN, run);
    }

    /** Real time plus an offset the test moves (Bucket4j refills by its own clock, one credit a second). */
    static final class MovedClock extends Clock {
        private final AtomicReference<Duration> offset = new AtomicReference<>(Duration.ZERO);

        void advance(Duration by) {
            offset.updateAndGet(o -> o.plus(by));
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.now().plus(offset.get());
        }
    }
}
