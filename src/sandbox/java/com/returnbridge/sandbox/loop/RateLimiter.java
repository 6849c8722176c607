package com.returnbridge.sandbox.loop;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Sliding one-minute window per API key, like Loop's 300 requests/minute. Refused requests do not count
 * against the window (Laravel's throttle checks before it records a hit).
 */
final class RateLimiter {

    private static final long WINDOW_MILLIS = 60_000;

    private volatile int perMinute;
    private final Map<String, Deque<Long>> windows = new ConcurrentHashMap<>();

    RateLimiter(int perMinute) {
        this.perMinute = perMinute;
    }

    /** Zero or less disables limiting. */
    void setPerMinute(int perMinute) {
        this.perMinute = perMinute;
        windows.clear();
    }

    boolean admit(String key, long nowMillis) {
        int limit = perMinute;
        if (limit <= 0) {
            return true;
        }
        Deque<Long> window = windows.computeIfAbsent(key, k -> new ArrayDeque<>());
        synchronized (window) {
            while (!window.isEmpty() && window.peekFirst() <= nowMillis - WINDOW_MILLIS) {
                window.pollFirst();
            }
            if (window.size() >= limit) {
                return false;
            }
            window.addLast(nowMillis);
            return true;
        }
    }
}
