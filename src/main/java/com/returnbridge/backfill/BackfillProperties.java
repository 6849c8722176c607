package com.returnbridge.backfill;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How a backfill reads Loop. {@code window}: the span of creation dates read by one series of list calls (at most
 * Loop's 120 days; shorter windows give finer progress and fresher cursors). {@code pageSize}: returns per list call
 * (Loop: at most 750). {@code idsPerStep}: Return Details calls made by one step before its cursor is committed again.
 * {@code maxRange}: the longest date range one request may ask for. {@code maxAttempts}: consecutive transient failures
 * (5xx, timeouts) before the run ends FAILED. {@code pausedWait}: how often a run of a paused connection looks again.
 */
@ConfigurationProperties("returnbridge.backfill")
public record BackfillProperties(
        @DefaultValue("P7D") Duration window,
        @DefaultValue("100") int pageSize,
        @DefaultValue("10") int idsPerStep,
        @DefaultValue("366") int maxRangeDays,
        @DefaultValue("1000") int maxIds,
        @DefaultValue("10") int maxAttempts,
        @DefaultValue("PT10S") Duration pausedWait) {

    public BackfillProperties {
        Duration loopMax = Duration.ofDays(120);
        window = window == null || window.isNegative() || window.isZero() || window.compareTo(loopMax) > 0 ? loopMax
                : window;
        pageSize = Math.max(1, Math.min(pageSize, 750));
        idsPerStep = Math.max(1, idsPerStep);
        maxAttempts = Math.max(1, maxAttempts);
    }
}
