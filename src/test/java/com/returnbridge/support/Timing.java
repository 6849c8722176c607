package com.returnbridge.support;

import java.time.Duration;

/**
 * The one deliberate wait in the tests: letting a window pass in which something must NOT happen (no RMA while a
 * connection is paused, no second delivery, nothing moving after the outcome). An absence cannot be awaited, only
 * observed over a window; waits for something that does happen use Awaitility on that effect instead.
 */
public final class Timing {

    private Timing() {
    }

    /**
     * Lets {@code window} pass. {@code why} names what must not happen meanwhile: it is for the reader (and the
     * stack trace of an interrupted test), so that every such window says what it proves.
     */
    public static void holdFor(Duration window, String why) {
        try {
            Thread.sleep(window.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while holding for: " + why, e);
        }
    }
}
