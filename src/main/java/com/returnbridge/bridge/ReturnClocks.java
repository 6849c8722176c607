package com.returnbridge.bridge;

import com.returnbridge.connection.StatusPolicy;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The SLA clocks of a return: created (the link's {@code created_at}) → carrier delivered → received in the warehouse
 * → decided → Loop confirmed. Each is written once, by the step that makes it happen (a conditional update, so a
 * replay or a second delivery never moves it), and its time since the step before goes to the histogram
 * {@code returnbridge.return.stage.duration{connection,stage}}. What the warehouse counted goes here too: it is
 * read at the same moment and the exceptions list asks for it.
 */
@Repository
public class ReturnClocks {

    /** The steps, in order; the name is the metric's {@code stage} tag and the API's field prefix. */
    public enum Stage {
        DELIVERED("delivered_at"), RECEIVED("received_at"), DECIDED("decided_at"), CONFIRMED("confirmed_at");

        private final String column;

        Stage(String column) {
            this.column = column;
        }

        public String tag() {
            return name().toLowerCase();
        }
    }

    /** A return's clocks; a step not reached yet is null. */
    public record Clocks(OffsetDateTime created, OffsetDateTime delivered, OffsetDateTime received,
                         OffsetDateTime decided, OffsetDateTime confirmed) {

        /** Where the processing SLA starts: delivery, else (no scan came) the warehouse's receipt, else creation. */
        public OffsetDateTime slaStart() {
            return delivered != null ? delivered : received != null ? received : created;
        }
    }

    private final JdbcClient jdbc;
    private final Clock clock;
    private final MeterRegistry meters;

    public ReturnClocks(JdbcClient jdbc, Clock clock, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.meters = meters;
    }

    public Optional<Clocks> of(long linkId) {
        return jdbc.sql("""
                SELECT created_at AS created, delivered_at AS delivered, received_at AS received, decided_at AS decided,
                       confirmed_at AS confirmed FROM return_link WHERE id = ?""")
                .param(linkId).query(Clocks.class).optional();
    }

    /** The carrier delivered the parcel ({@code at}: when Loop says it did; null: now). */
    public void delivered(String connectionId, String loopReturnId, Instant at) {
        jdbc.sql("SELECT id FROM return_link WHERE connection_id = ? AND loop_return_id = ?")
                .params(connectionId, loopReturnId).query(Long.class).optional()
                .ifPresent(id -> mark(id, Stage.DELIVERED, at));
    }

    /** The RMA was read with {@code status}: the first status that is not Pending is the warehouse's receipt. */
    public void statusRead(long linkId, String status) {
        if (status != null && !status.isBlank() && !"pending".equals(StatusPolicy.normalise(status))) {
            mark(linkId, Stage.RECEIVED, null);
        }
    }

    public void decided(long linkId) {
        mark(linkId, Stage.DECIDED, null);
    }

    public void confirmed(long linkId) {
        mark(linkId, Stage.CONFIRMED, null);
    }

    /** What the warehouse counted on the RMA, and which of its SKUs the Loop return does not have. */
    public void counted(long linkId, WarehouseApi.RmaSnapshot rma, LoopReturn loopReturn) {
        Set<String> extra = new LinkedHashSet<>();
        if (loopReturn != null && !loopReturn.units().isEmpty()) {
            Set<String> returned = new java.util.HashSet<>();
            loopReturn.units().forEach(u -> returned.add(u.sku()));
            rma.lines().stream().map(WarehouseApi.LineState::sku)
                    .filter(sku -> sku != null && !returned.contains(sku)).forEach(extra::add);
        }
        String skus = extra.isEmpty() ? null : String.join(",", extra);
        jdbc.sql("UPDATE return_link SET units_expected = ?, units_received = ?, unexpected_skus = ? WHERE id = ?")
                .params(rma.expected(), rma.received(), skus == null || skus.length() <= 1000 ? skus
                        : skus.substring(0, 1000), linkId).update();
    }

    private void mark(long linkId, Stage stage, Instant at) {
        Instant when = at != null ? at : clock.instant();
        int updated = jdbc.sql("UPDATE return_link SET " + stage.column + " = ? WHERE id = ? AND " + stage.column
                        + " IS NULL")
                .params(OffsetDateTime.ofInstant(when, ZoneOffset.UTC), linkId).update();
        if (updated == 1) {
            record(linkId, stage, when);
        }
    }

    /** The time since the step before that was reached (creation for the first). */
    private void record(long linkId, Stage stage, Instant when) {
        Optional<Clocks> found = of(linkId);
        String connectionId = jdbc.sql("SELECT connection_id FROM return_link WHERE id = ?").param(linkId)
                .query(String.class).optional().orElse(null);
        if (found.isEmpty() || connectionId == null) {
            return;
        }
        Clocks c = found.get();
        List<OffsetDateTime> steps = java.util.Arrays.asList(c.created(), c.delivered(), c.received(), c.decided());
        OffsetDateTime previous = null;
        for (int i = stage.ordinal(); i >= 0 && previous == null; i--) {
            previous = steps.get(i); // steps[k] is the step before stage k
        }
        if (previous != null) {
            timer(connectionId, stage.tag()).record(positive(Duration.between(previous.toInstant(), when)));
        }
        if (stage == Stage.CONFIRMED && c.created() != null) {
            timer(connectionId, "total").record(positive(Duration.between(c.created().toInstant(), when)));
        }
    }

    private static Duration positive(Duration d) {
        return d.isNegative() ? Duration.ZERO : d;
    }

    private Timer timer(String connectionId, String stage) {
        return Timer.builder("returnbridge.return.stage.duration")
                .description("time from the step before to this one, per connection (stage total: created to confirmed)")
                .tag("connection", connectionId).tag("stage", stage)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofSeconds(1)).maximumExpectedValue(Duration.ofDays(60))
                .register(meters);
    }
}
