package com.returnbridge.monitor;

import com.returnbridge.bridge.LinkState;
import java.time.OffsetDateTime;
import java.util.Map;

/**
 * A connection's activity in numbers: returns by state (today, this week, all time, UTC), deliveries, jobs waiting and
 * retrying, the latest webhooks, and the RMAs awaiting the warehouse (with the oldest one's creation).
 */
public record ConnectionCounts(String connectionId, Map<LinkState, Long> today, Map<LinkState, Long> week,
                               Map<LinkState, Long> total, long deliveriesLoop, long deliveriesShipHero,
                               long deliveriesIgnored, long duplicates, long jobsWaiting, long jobsRetrying,
                               OffsetDateTime lastLoopDelivery, OffsetDateTime lastShipHeroDelivery,
                               long awaitingWarehouse, OffsetDateTime oldestAwaitingSince) {
    public long today(String state) {
        return today.getOrDefault(LinkState.valueOf(state), 0L);
    }

    public long week(String state) {
        return week.getOrDefault(LinkState.valueOf(state), 0L);
    }

    public long total(String state) {
        return total.getOrDefault(LinkState.valueOf(state), 0L);
    }

    public long todayAll() {
        return today.values().stream().mapToLong(Long::longValue).sum();
    }

    public long weekAll() {
        return week.values().stream().mapToLong(Long::longValue).sum();
    }
}
