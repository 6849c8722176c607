package com.returnbridge.grading;

import static com.returnbridge.bridge.TimelineKind.RESTOCK_DOUBLED;
import static com.returnbridge.bridge.TimelineKind.RESTOCK_REQUESTED;

import com.returnbridge.bridge.ReturnLink;
import com.returnbridge.bridge.ReturnLinks;
import com.returnbridge.bridge.Timeline;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * ShipHero owns inventory: when Loop restocks a return too (its {@code restock.requested} webhook) that ShipHero
 * restocked, each unit is counted twice in Shopify. Whichever comes second — Loop's webhook or the warehouse's counts
 * after the decision — says so once per return: on its timeline (which the alert hook sends), on the connection's
 * page and in {@code returnbridge.restock.doubled{connection}}. Any restock.requested means Loop's restock setting is
 * on, so the onboarding checklist shows it as wrong until a week has passed without one.
 */
@Component
public class RestockGuard {

    /** How long without a restock.requested before the merchant's restock setting is shown as right again. */
    public static final Duration QUIET_PERIOD = Duration.ofDays(7);

    /**
     * The merchant's restock setting as the deliveries show it. {@code wrong}: a restock.requested came within the
     * quiet period (until {@code rightAgainAt} if none follows); {@code doubled}: returns of the period that ShipHero
     * restocked too.
     */
    public record Setting(boolean wrong, OffsetDateTime lastRequestAt, String lastLoopReturnId, long doubled,
                          OffsetDateTime rightAgainAt, String message) {
    }

    private final JdbcClient jdbc;
    private final Clock clock;
    private final ReturnLinks links;
    private final Timeline timeline;
    private final GradingStore receipts;
    private final MeterRegistry meters;

    RestockGuard(JdbcClient jdbc, Clock clock, ReturnLinks links, Timeline timeline, GradingStore receipts,
                 MeterRegistry meters) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.links = links;
        this.timeline = timeline;
        this.receipts = receipts;
        this.meters = meters;
    }

    private OffsetDateTime now() {
        return OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
    }

    /** A restock.requested delivery, in the delivery's transaction: stored, shown, and compared with the warehouse. */
    public void requested(String connectionId, String loopReturnId) {
        jdbc.sql("INSERT INTO restock_event (connection_id, loop_return_id, received_at) VALUES (?, ?, ?)")
                .params(connectionId, loopReturnId, now()).update();
        timeline.record(linkId(connectionId, loopReturnId), connectionId, loopReturnId, RESTOCK_REQUESTED,
                "Loop sent restock.requested: Loop restocks this return in Shopify, so its restock setting is on."
                        + " ShipHero owns inventory: switch restock off in Loop");
        compare(connectionId, loopReturnId);
    }

    /** The warehouse's counts of the return were recorded (after a decision): compared with Loop's restocks. */
    void warehouseRecorded(String connectionId, String loopReturnId) {
        compare(connectionId, loopReturnId);
    }

    private void compare(String connectionId, String loopReturnId) {
        int restocked = receipts.restocked(connectionId, loopReturnId);
        if (restocked <= 0) {
            return;
        }
        boolean saidBefore = jdbc.sql("""
                SELECT COUNT(*) FROM restock_event
                 WHERE connection_id = ? AND loop_return_id = ? AND doubled_at IS NOT NULL""")
                .params(connectionId, loopReturnId).query(Long.class).single() > 0;
        int marked = jdbc.sql("""
                UPDATE restock_event SET doubled_at = ?
                 WHERE connection_id = ? AND loop_return_id = ? AND doubled_at IS NULL""")
                .params(now(), connectionId, loopReturnId).update();
        if (marked == 0 || saidBefore) {
            return;
        }
        timeline.record(linkId(connectionId, loopReturnId), connectionId, loopReturnId, RESTOCK_DOUBLED,
                "restocked twice: Loop restocked return " + loopReturnId + " in Shopify and ShipHero restocked "
                        + restocked + " unit(s) of it, so Shopify counts each unit twice. Switch restock off in Loop"
                        + " (ShipHero owns inventory) and correct the stock of these items in Shopify");
        meters.counter("returnbridge.restock.doubled", "connection", connectionId).increment();
    }

    public Setting setting(String connectionId) {
        OffsetDateTime since = OffsetDateTime.ofInstant(clock.instant().minus(QUIET_PERIOD), ZoneOffset.UTC);
        record Last(OffsetDateTime at, String loopReturnId) {
        }
        Last last = jdbc.sql("""
                SELECT received_at, loop_return_id FROM restock_event WHERE connection_id = ?
                 ORDER BY received_at DESC, id DESC FETCH FIRST 1 ROWS ONLY""")
                .param(connectionId).query((rs, n) -> new Last(rs.getObject(1, OffsetDateTime.class), rs.getString(2)))
                .optional().orElse(null);
        long doubled = jdbc.sql("""
                SELECT COUNT(DISTINCT loop_return_id) FROM restock_event
                 WHERE connection_id = ? AND doubled_at IS NOT NULL AND received_at >= ?""")
                .params(connectionId, since).query(Long.class).single();
        if (last == null) {
            return new Setting(false, null, null, 0, null, "no restock.requested from Loop so far: Loop's restock is"
                    + " off, as it must be while ShipHero owns inventory");
        }
        OffsetDateTime rightAgain = last.at().plus(QUIET_PERIOD);
        if (last.at().isBefore(since)) {
            return new Setting(false, last.at(), last.loopReturnId(), 0, null, "no restock.requested from Loop for a"
                    + " week (the last on " + last.at().toLocalDate() + "): Loop's restock looks off");
        }
        return new Setting(true, last.at(), last.loopReturnId(), doubled, rightAgain, "WRONG: Loop restocks returns"
                + " (restock.requested for return " + last.loopReturnId() + " on " + last.at().toLocalDate()
                + (doubled > 0 ? "; " + doubled + " return(s) restocked by ShipHero too, counted twice in Shopify" : "")
                + "). Switch restock off in Loop; this shows as right once a week passes without one ("
                + rightAgain.toLocalDate() + " at the earliest)");
    }

    private Long linkId(String connectionId, String loopReturnId) {
        return links.findByLoopId(connectionId, loopReturnId).map(ReturnLink::id).orElse(null);
    }
}
