package com.returnbridge.sandbox;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Faults a simulated vendor applies to its next calls of one operation, in order, so a test can say
 * "the next two return_create calls answer 500" and nothing else.
 */
public final class SandboxFaults {

    public enum Kind {
        /** HTTP 500 before doing anything. */
        SERVER_ERROR,
        /** HTTP 429 before doing anything. */
        TOO_MANY_REQUESTS,
        /** ShipHero: HTTP 200 with error code 30 and time_remaining. */
        THROTTLED,
        /** Answer normally after a delay (past a client's timeout when long enough). */
        SLOW,
        /** Do the work, then answer HTTP 500: the caller cannot know it succeeded. */
        FAIL_AFTER_EXECUTE,
        /** Loop: refuse the action with the given message (HTTP 200, error body). */
        REFUSE,
        /** Do the work, then drop the connection mid-answer: the caller sees an I/O error, not an answer. */
        CONNECTION_RESET,
        /** Do the work, then wait the delay before answering normally (a caller may die while it waits). */
        SLOW_AFTER_EXECUTE,
        /**
         * Loop: accept Process ("true"), then report the queued processing as failed with a
         * {@code return.processing.failed} webhook carrying the fault's message (null: Loop's null message).
         */
        PROCESSING_FAILED
    }

    /** Thrown where a {@link Kind#CONNECTION_RESET} applies; the sandbox's HTTP layer turns it into a broken answer. */
    public static final class ConnectionReset extends RuntimeException {
        public ConnectionReset(String operation) {
            super("sandbox connection reset on " + operation, null, false, false);
        }
    }

    /** A fault applied at random to a share of calls (after any queued ones); operation "*" matches every call. */
    public record Rate(String operation, Fault fault, double probability) {
    }

    public record Fault(Kind kind, Duration delay, String message) {
        public static Fault of(Kind kind) {
            return new Fault(kind, Duration.ZERO, null);
        }

        public static Fault slow(Duration delay) {
            return new Fault(Kind.SLOW, delay, null);
        }

        public static Fault refuse(String message) {
            return new Fault(Kind.REFUSE, Duration.ZERO, message);
        }

        public static Fault processingFailed(String message) {
            return new Fault(Kind.PROCESSING_FAILED, Duration.ZERO, message);
        }

        public static Fault throttled(Duration wait) {
            return new Fault(Kind.THROTTLED, wait, null);
        }
    }

    private final Map<String, Deque<Fault>> pending = new HashMap<>();
    private final java.util.List<Rate> rates = new java.util.ArrayList<>();

    public synchronized void inject(String operation, Fault fault, int times) {
        Deque<Fault> queue = pending.computeIfAbsent(operation, k -> new ArrayDeque<>());
        for (int i = 0; i < times; i++) {
            queue.addLast(fault);
        }
    }

    /** From now on, this share of the operation's calls (every call for "*") gets the fault. */
    public synchronized void rate(String operation, Fault fault, double probability) {
        rates.add(new Rate(operation, fault, probability));
    }

    public synchronized Optional<Fault> next(String operation) {
        Deque<Fault> queue = pending.get(operation);
        Fault queued = queue == null ? null : queue.pollFirst();
        if (queued != null) {
            return Optional.of(queued);
        }
        for (Rate rate : rates) {
            if ((rate.operation().equals("*") || rate.operation().equals(operation))
                    && java.util.concurrent.ThreadLocalRandom.current().nextDouble() < rate.probability()) {
                return Optional.of(rate.fault());
            }
        }
        return Optional.empty();
    }

    public synchronized void clear() {
        pending.clear();
        rates.clear();
    }
}
