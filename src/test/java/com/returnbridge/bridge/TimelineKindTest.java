package com.returnbridge.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import com.returnbridge.bridge.TimelineKind.Lane;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Pins every kind's stored name, console lane and alerting to what the bridge did before the kinds were an enum
 * (string kinds, lanes by prefix in the console, the alert list in AlertNotifier's query).
 */
class TimelineKindTest {

    /** Every kind written before the enum, with the lane the console's prefix parsing gave it. */
    private static final Map<String, String> LANE_BEFORE = new LinkedHashMap<>();

    static {
        LANE_BEFORE.put("LOOP_EVENT", "loop");
        LANE_BEFORE.put("LOOP_LABEL", "loop");
        LANE_BEFORE.put("LOOP_PROCESSING_FAILED", "bridge");
        LANE_BEFORE.put("SHIPHERO_EVENT", "shiphero");
        LANE_BEFORE.put("RMA_MATCHED", "shiphero");
        LANE_BEFORE.put("WEBHOOK_IGNORED", "bridge");
        LANE_BEFORE.put("ORDER_FOUND", "bridge");
        LANE_BEFORE.put("ORDER_NOT_FOUND", "error");
        LANE_BEFORE.put("ORDER_CHOSEN", "bridge");
        LANE_BEFORE.put("DUPLICATE_RMA", "error");
        LANE_BEFORE.put("RMA_ADOPTED", "bridge");
        LANE_BEFORE.put("RMA_CREATED", "bridge");
        LANE_BEFORE.put("RMA_NOT_CREATED", "bridge");
        LANE_BEFORE.put("RMA_KEPT", "bridge");
        LANE_BEFORE.put("DECISION", "decision");
        LANE_BEFORE.put("UNMAPPED_STATUS", "decision");
        LANE_BEFORE.put("STATUS_NOT_APPLIED", "bridge");
        LANE_BEFORE.put("LOOP_PROCESSED", "bridge");
        LANE_BEFORE.put("LOOP_ALREADY_CLOSED", "bridge");
        LANE_BEFORE.put("LOOP_FLAGGED", "bridge");
        LANE_BEFORE.put("LOOP_ACTION_FOUND", "bridge");
        LANE_BEFORE.put("RMA_CLOSED", "bridge");
        LANE_BEFORE.put("LINE_DECISION", "decision"); // issue 12: the per-item decision
        LANE_BEFORE.put("LOOP_LINES_REMOVED", "bridge");
        LANE_BEFORE.put("LOOP_REMOVE_REFUSED", "error");
        LANE_BEFORE.put("LOOP_READ_FAILED", "bridge");
        LANE_BEFORE.put("LOOP_CLOSED_READ", "bridge");
        LANE_BEFORE.put("LOOP_NOT_CLOSED_YET", "bridge");
        // Added with grading and the restock guard (issue 12): new kinds, the bridge's lane.
        LANE_BEFORE.put("GRADING_SENT", "bridge");
        LANE_BEFORE.put("GRADING_REFUSED", "bridge");
        LANE_BEFORE.put("RESTOCK_REQUESTED", "bridge");
        LANE_BEFORE.put("RESTOCK_DOUBLED", "bridge");
        LANE_BEFORE.put("RETRY", "error");
        LANE_BEFORE.put("THROTTLED", "error");
        LANE_BEFORE.put("NEEDS_ATTENTION", "error");
        LANE_BEFORE.put("SLA_BREACH", "bridge"); // issue 13: a new kind, alerted
        LANE_BEFORE.put("OPERATOR_RETRY", "operator");
        LANE_BEFORE.put("OPERATOR_RERUN", "operator");
        LANE_BEFORE.put("OPERATOR_BULK_RETRY", "operator");
        LANE_BEFORE.put("OPERATOR_PAUSE", "operator");
        LANE_BEFORE.put("OPERATOR_RESUME", "operator");
        LANE_BEFORE.put("OPERATOR_REPLAY", "operator");
        LANE_BEFORE.put("DELIVERY_UNREADABLE", "bridge");
        LANE_BEFORE.put("DELIVERY_READ", "bridge");
        LANE_BEFORE.put("RECONCILE", "bridge");
        LANE_BEFORE.put("BACKFILL", "bridge");
        LANE_BEFORE.put("CONNECTION_CREATED", "bridge");
        LANE_BEFORE.put("CONNECTION_EDITED", "bridge");
        LANE_BEFORE.put("CONNECTION_DELETED", "bridge");
        LANE_BEFORE.put("CONNECT", "bridge");
        LANE_BEFORE.put("SHIPHERO_WEBHOOK_OK", "bridge");
        LANE_BEFORE.put("SHIPHERO_WEBHOOK_CHECK_FAILED", "bridge");
        LANE_BEFORE.put("SHIPHERO_WEBHOOK_LOST", "bridge");
        LANE_BEFORE.put("SHIPHERO_WEBHOOK_REREGISTERED", "bridge");
        LANE_BEFORE.put("SHIPHERO_WEBHOOK_REREGISTER_FAILED", "bridge");
        LANE_BEFORE.put("SHIPHERO_WEBHOOK_RECOVERY_SWEEP", "bridge");
    }

    /** The console's lane parsing before the enum, copied as it was. */
    private static String laneByPrefix(String kind) {
        if (kind.startsWith("OPERATOR")) {
            return "operator";
        }
        if (kind.equals("DECISION") || kind.equals("UNMAPPED_STATUS") || kind.equals("LINE_DECISION")) {
            return "decision";
        }
        if (kind.equals("NEEDS_ATTENTION") || kind.equals("RETRY") || kind.equals("THROTTLED")
                || kind.equals("ORDER_NOT_FOUND") || kind.equals("DUPLICATE_RMA")
                || kind.equals("LOOP_REMOVE_REFUSED")) {
            return "error";
        }
        if (kind.startsWith("LOOP_EVENT") || kind.startsWith("LOOP_LABEL")) {
            return "loop";
        }
        if (kind.equals("SHIPHERO_EVENT") || kind.equals("RMA_MATCHED")) {
            return "shiphero";
        }
        return "bridge";
    }

    private static String console(Lane lane) {
        return lane.name().toLowerCase(Locale.ROOT);
    }

    @Test
    void theConstantsAreExactlyTheKindsStoredBefore() {
        assertThat(Arrays.stream(TimelineKind.values()).map(TimelineKind::name))
                .containsExactlyInAnyOrderElementsOf(LANE_BEFORE.keySet());
    }

    @Test
    void everyKindKeepsItsLane() {
        for (TimelineKind kind : TimelineKind.values()) {
            assertThat(console(kind.lane())).as(kind.name()).isEqualTo(LANE_BEFORE.get(kind.name()))
                    .isEqualTo(laneByPrefix(kind.name()));
            assertThat(TimelineKind.lane(kind.name())).as(kind.name()).isEqualTo(kind.lane());
        }
    }

    @Test
    void theConsoleShowsTheLaneNamesItShowedBefore() {
        assertThat(Arrays.stream(Lane.values()).map(TimelineKindTest::console))
                .containsExactly("loop", "shiphero", "decision", "operator", "bridge", "error");
    }

    @Test
    void aStoredKindThisVersionDoesNotKnowIsShownAsTheBridgesOwnStep() {
        assertThat(TimelineKind.lane("SOME_KIND_FROM_ANOTHER_VERSION")).isEqualTo(Lane.BRIDGE);
        assertThat(TimelineKind.lane("loop_event")).isEqualTo(Lane.BRIDGE);
        assertThat(TimelineKind.lane(null)).isEqualTo(Lane.BRIDGE);
    }

    @Test
    void theAlertingKindsAreTheOnesTheAlertHookSentBefore() {
        assertThat(TimelineKind.alerting()).containsExactlyInAnyOrder(TimelineKind.NEEDS_ATTENTION,
                TimelineKind.SHIPHERO_WEBHOOK_LOST, TimelineKind.SHIPHERO_WEBHOOK_REREGISTER_FAILED,
                TimelineKind.SHIPHERO_WEBHOOK_REREGISTERED, TimelineKind.SHIPHERO_WEBHOOK_RECOVERY_SWEEP,
                TimelineKind.DELIVERY_UNREADABLE, TimelineKind.SLA_BREACH, TimelineKind.RESTOCK_DOUBLED);
    }
}
