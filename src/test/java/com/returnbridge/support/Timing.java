package com.returnbridge.support;

import java.time.Duration;
import java.util.concurrent.Callable;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The one deliberate wait in the tests: letting a window pass in which something must NOT happen (no RMA while a
 * connection is paused, no second delivery, nothing moving after the outcome). An absence cannot be awaited, only
 * observed over a window; waits for something that does happen use Awaitility on that effect instead
 * ({@link #driveUntil} when each poll must also do a step of work, as the process tests' warehouse does).
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

    /**
     * Runs {@code round} now and then every {@code every}, in this thread, until it answers true or {@code atMost} has
     * passed; answers whether it did. For a test that drives the system while it waits (each round receives what the
     * warehouse has ready, then checks the outcome) and judges the outcome itself afterwards, so a timeout is not a
     * failure here. An exception from a round fails the test as it is.
     */
    public static boolean driveUntil(Duration atMost, Duration every, Callable<Boolean> round) {
        try {
            Awaitility.await().atMost(atMost).pollDelay(Duration.ZERO).pollInterval(every).pollInSameThread()
                    .until(round);
            return true;
        } catch (ConditionTimeoutException e) {
            return false;
        }
    }
}
