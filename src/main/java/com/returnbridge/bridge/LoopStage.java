package com.returnbridge.bridge;

/**
 * Where a Loop return stands, in the bridge's terms. Loop's own word for it stays text (shown on the timeline, kept
 * in {@code return_link.loop_state}); Loop's client reads that word into a stage ({@link LoopStates}). A word the
 * bridge has no rule for, or none yet (a label that beat its return), is {@link #OTHER}: the return goes on as an
 * open one would.
 */
public enum LoopStage {
    OPEN, REVIEW, CLOSED, CANCELLED, EXPIRED, OTHER;

    /** Loop is done with the return: processed, or nothing will reach the warehouse for it any more. */
    public boolean finished() {
        return this == CLOSED || this == CANCELLED || this == EXPIRED;
    }
}
