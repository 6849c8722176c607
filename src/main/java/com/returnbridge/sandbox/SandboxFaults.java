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
        REFUSE
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

        public static Fault throttled(Duration wait) {
            return new Fault(Kind.THROTTLED, wait, null);
        }
    }

    private final Map<String, Deque<Fault>> pending = new HashMap<>();

    public synchronized void inject(String operation, Fault fault, int times) {
        Deque<Fault> queue = pending.computeIfAbsent(operation, k -> new ArrayDeque<>());
        for (int i = 0; i < times; i++) {
            queue.addLast(fault);
        }
    }

    public synchronized Optional<Fault> next(String operation) {
        Deque<Fault> queue = pending.get(operation);
        return queue == null ? Optional.empty() : Optional.ofNullable(queue.pollFirst());
    }

    public synchronized void clear() {
        pending.clear();
    }
}
