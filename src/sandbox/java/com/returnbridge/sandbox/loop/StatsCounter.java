package com.returnbridge.sandbox.loop;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Lock-free counters behind {@link SandboxLoop#stats()}; the benchmark reads them under load. */
final class StatsCounter {

    private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> faults = new ConcurrentHashMap<>();
    private final LongAdder unauthorized = new LongAdder();
    private final LongAdder tooManyRequests = new LongAdder();
    private final LongAdder webhooks = new LongAdder();

    void request(String operation) {
        requests.computeIfAbsent(operation, k -> new LongAdder()).increment();
    }

    void fault(String operation) {
        faults.computeIfAbsent(operation, k -> new LongAdder()).increment();
    }

    void unauthorized() {
        unauthorized.increment();
    }

    void tooManyRequests() {
        tooManyRequests.increment();
    }

    void webhookQueued() {
        webhooks.increment();
    }

    SandboxLoop.Stats snapshot() {
        return new SandboxLoop.Stats(copy(requests), unauthorized.sum(), tooManyRequests.sum(), copy(faults),
                webhooks.sum());
    }

    void reset() {
        requests.clear();
        faults.clear();
        unauthorized.reset();
        tooManyRequests.reset();
        webhooks.reset();
    }

    private static Map<String, Long> copy(Map<String, LongAdder> counters) {
        Map<String, Long> copy = new TreeMap<>();
        counters.forEach((k, v) -> copy.put(k, v.sum()));
        return Map.copyOf(copy);
    }
}
