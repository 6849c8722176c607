package com.returnbridge.bridge;

/** Where a return stands between Loop and ShipHero (design §6). */
public enum LinkState {
    RECEIVED, RMA_CREATED, FLAGGED, PROCESSED, CLOSED, CANCELLED_IN_LOOP, NEEDS_ATTENTION;

    /** States in which a warehouse status can still lead to a Loop action. */
    public boolean awaitsWarehouse() {
        return this == RMA_CREATED || this == FLAGGED;
    }
}
