package com.returnbridge.bridge;

import java.util.Arrays;
import java.util.List;

/**
 * What a timeline entry says happened. The constant's name is what {@code timeline_entry.kind} stores, so renaming
 * one breaks stored rows, the alerts and the console's queries: add a new constant instead. Each kind carries the
 * lane the console shows it in, and whether the alerting hook sends it.
 */
public enum TimelineKind {

    // The return as Loop tells it.
    LOOP_EVENT(Lane.LOOP),
    LOOP_LABEL(Lane.LOOP),
    LOOP_PROCESSING_FAILED(Lane.BRIDGE),

    // The return as ShipHero tells it.
    SHIPHERO_EVENT(Lane.SHIPHERO),
    RMA_MATCHED(Lane.SHIPHERO),
    WEBHOOK_IGNORED(Lane.BRIDGE),

    // Creating the RMA.
    ORDER_FOUND(Lane.BRIDGE),
    ORDER_NOT_FOUND(Lane.ERROR),
    ORDER_CHOSEN(Lane.BRIDGE),
    DUPLICATE_RMA(Lane.ERROR),
    RMA_ADOPTED(Lane.BRIDGE),
    RMA_CREATED(Lane.BRIDGE),
    RMA_NOT_CREATED(Lane.BRIDGE),
    RMA_KEPT(Lane.BRIDGE),

    // Applying the warehouse status to Loop.
    DECISION(Lane.DECISION),
    UNMAPPED_STATUS(Lane.DECISION),
    STATUS_NOT_APPLIED(Lane.BRIDGE),
    LOOP_PROCESSED(Lane.BRIDGE),
    LOOP_ALREADY_CLOSED(Lane.BRIDGE),
    LOOP_FLAGGED(Lane.BRIDGE),
    LOOP_ACTION_FOUND(Lane.BRIDGE),
    RMA_CLOSED(Lane.BRIDGE),
    // The per-item decision: each Loop line item's verdict, Loop's Remove Line Items and its refusal.
    LINE_DECISION(Lane.DECISION),
    LOOP_LINES_REMOVED(Lane.BRIDGE),
    LOOP_REMOVE_REFUSED(Lane.ERROR),

    // Confirming that Loop closed the return.
    LOOP_READ_FAILED(Lane.BRIDGE),
    LOOP_CLOSED_READ(Lane.BRIDGE),
    LOOP_NOT_CLOSED_YET(Lane.BRIDGE),

    // Grading and disposition sent to Loop after the decision; Loop restocking what ShipHero restocks.
    GRADING_SENT(Lane.BRIDGE),
    GRADING_REFUSED(Lane.BRIDGE),
    RESTOCK_REQUESTED(Lane.BRIDGE),
    RESTOCK_DOUBLED(Lane.BRIDGE, true),

    // Failures.
    RETRY(Lane.ERROR),
    THROTTLED(Lane.ERROR),
    NEEDS_ATTENTION(Lane.ERROR, true),
    SLA_BREACH(Lane.BRIDGE, true),

    // What an operator did.
    OPERATOR_RETRY(Lane.OPERATOR),
    OPERATOR_RERUN(Lane.OPERATOR),
    OPERATOR_BULK_RETRY(Lane.OPERATOR),
    OPERATOR_PAUSE(Lane.OPERATOR),
    OPERATOR_RESUME(Lane.OPERATOR),
    OPERATOR_REPLAY(Lane.OPERATOR),

    // Deliveries, sweeps and backfills.
    DELIVERY_UNREADABLE(Lane.BRIDGE, true),
    DELIVERY_READ(Lane.BRIDGE),
    RECONCILE(Lane.BRIDGE),
    BACKFILL(Lane.BRIDGE),

    // The connection: settings, Connect and the ShipHero webhook check.
    CONNECTION_CREATED(Lane.BRIDGE),
    CONNECTION_EDITED(Lane.BRIDGE),
    CONNECTION_DELETED(Lane.BRIDGE),
    CONNECT(Lane.BRIDGE),
    SHIPHERO_WEBHOOK_OK(Lane.BRIDGE),
    SHIPHERO_WEBHOOK_CHECK_FAILED(Lane.BRIDGE),
    SHIPHERO_WEBHOOK_LOST(Lane.BRIDGE, true),
    SHIPHERO_WEBHOOK_REREGISTERED(Lane.BRIDGE, true),
    SHIPHERO_WEBHOOK_REREGISTER_FAILED(Lane.BRIDGE, true),
    SHIPHERO_WEBHOOK_RECOVERY_SWEEP(Lane.BRIDGE, true);

    /** Where the console's return page shows an entry; the page uses the lower-case name as its CSS class. */
    public enum Lane {
        LOOP, SHIPHERO, DECISION, OPERATOR, BRIDGE, ERROR
    }

    private final Lane lane;
    private final boolean alerts;

    TimelineKind(Lane lane) {
        this(lane, false);
    }

    TimelineKind(Lane lane, boolean alerts) {
        this.lane = lane;
        this.alerts = alerts;
    }

    public Lane lane() {
        return lane;
    }

    /** Whether the alerting hook sends an entry of this kind when it is written. */
    public boolean alerts() {
        return alerts;
    }

    /** The kinds the alerting hook sends. */
    public static List<TimelineKind> alerting() {
        return Arrays.stream(values()).filter(TimelineKind::alerts).toList();
    }

    /**
     * The lane of a stored kind. Rows keep the kind as text and may hold one this version no longer writes (or one a
     * newer version added); those are shown as the bridge's own steps.
     */
    public static Lane lane(String storedKind) {
        for (TimelineKind kind : values()) {
            if (kind.name().equals(storedKind)) {
                return kind.lane;
            }
        }
        return Lane.BRIDGE;
    }
}
