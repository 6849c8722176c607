package com.returnbridge.sandbox.shiphero;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** What the sandbox saw, for tests and the benchmark to assert on (how many calls, credits, throttles…). */
final class ShipHeroStats {

    private final Map<String, LongAdder> requestsByOperation = new ConcurrentHashMap<>();
    private final AtomicLong totalRequests = new AtomicLong();
    private final AtomicLong creditsSpent = new AtomicLong();
    private final Map<String, LongAdder> creditsByOperation = new ConcurrentHashMap<>();
    private final AtomicLong throttled = new AtomicLong();
    private final AtomicLong unauthorized = new AtomicLong();
    private final AtomicLong faultsApplied = new AtomicLong();

    void request(Iterable<String> operations) {
        totalRequests.incrementAndGet();
        operations.forEach(op -> requestsByOperation.computeIfAbsent(op, k -> new LongAdder()).increment());
    }

    void credits(long credits) {
        creditsSpent.addAndGet(credits);
    }

    void credits(String operation, long credits) {
        creditsByOperation.computeIfAbsent(operation, k -> new LongAdder()).add(credits);
    }

    void throttled() {
        throttled.incrementAndGet();
    }

    void unauthorized() {
        unauthorized.incrementAndGet();
    }

    void fault() {
        faultsApplied.incrementAndGet();
    }

    SandboxShipHero.Stats snapshot() {
        Map<String, Long> byOperation = new TreeMap<>();
        requestsByOperation.forEach((op, count) -> byOperation.put(op, count.sum()));
        Map<String, Long> credits = new TreeMap<>();
        creditsByOperation.forEach((op, sum) -> credits.put(op, sum.sum()));
        return new SandboxShipHero.Stats(Map.copyOf(byOperation), totalRequests.get(), creditsSpent.get(),
                throttled.get(), unauthorized.get(), faultsApplied.get(), Map.copyOf(credits));
    }

    void reset() {
        requestsByOperation.clear();
        creditsByOperation.clear();
        totalRequests.set(0);
        creditsSpent.set(0);
        throttled.set(0);
        unauthorized.set(0);
        faultsApplied.set(0);
    }
}
