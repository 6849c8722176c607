package com.returnbridge.sandbox.shiphero;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * ShipHero's credit quota: a bucket that refills continuously. Time comes from the injected clock so tests can
 * empty the bucket and then "wait" without sleeping.
 */
final class CreditBucket {

    private final Clock clock;
    private SandboxShipHero.CreditModel model;
    private double level;
    private Instant lastRefill;

    CreditBucket(Clock clock, SandboxShipHero.CreditModel model) {
        this.clock = clock;
        setModel(model);
    }

    /** A new model starts full: the point of changing it at runtime is a clean, predictable state. */
    synchronized void setModel(SandboxShipHero.CreditModel model) {
        this.model = model;
        this.level = model == null ? 0 : model.bucketSize();
        this.lastRefill = clock.instant();
    }

    synchronized SandboxShipHero.CreditModel model() {
        return model;
    }

    synchronized boolean enabled() {
        return model != null;
    }

    synchronized double available() {
        refill();
        return model == null ? Double.MAX_VALUE : level;
    }

    synchronized void charge(int credits) {
        if (model == null) {
            return;
        }
        refill();
        level = Math.max(0, level - credits);
    }

    private void refill() {
        if (model == null) {
            return;
        }
        Instant now = clock.instant();
        double seconds = Duration.between(lastRefill, now).toNanos() / 1e9;
        if (seconds > 0) {
            level = Math.min(model.bucketSize(), level + seconds * model.refillPerSecond());
            lastRefill = now;
        }
    }
}
