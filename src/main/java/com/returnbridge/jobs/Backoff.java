package com.returnbridge.jobs;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** Exponential backoff with ±20% jitter, so retries of many returns after an outage do not arrive together. */
public record Backoff(Duration first, Duration max) {

    public Duration after(int attempt) {
        double base = first.toMillis() * Math.pow(2, Math.max(0, attempt - 1));
        double capped = Math.min(base, max.toMillis());
        double jitter = 0.8 + ThreadLocalRandom.current().nextDouble() * 0.4;
        return Duration.ofMillis(Math.max(1, (long) (capped * jitter)));
    }
}
