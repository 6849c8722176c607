package com.returnbridge.loop;

import com.returnbridge.vendor.VendorException;
import com.returnbridge.vendor.RateBudgets;
import com.returnbridge.connection.Connection;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.springframework.stereotype.Component;

/**
 * Loop's 300 requests a minute per API key, shared by every caller of that key on every instance ({@link RateBudgets}).
 * A short wait is taken here; a longer one is handed back to the job scheduler as throttling so no thread sleeps
 * for long.
 */
@Component
public class LoopQuota {

    private static final Duration MAX_LOCAL_WAIT = Duration.ofSeconds(2);

    private final RateBudgets budgets;
    private final RateBudgets.Budget budget;

    public LoopQuota(RateBudgets budgets,
                     @org.springframework.beans.factory.annotation.Value(
                             "${returnbridge.loop.requests-per-minute:" + LoopClient.REQUESTS_PER_MINUTE + "}")
                     int perMinute) {
        this.budgets = budgets;
        // A bucket of capacity C refilling R a minute can spend C + R within one minute. Against a limit counted
        // over any 60 s window (Loop's is not documented; a sliding window is the strict reading), C + R must not
        // exceed the limit: a small burst, the rest spread over the minute.
        long burst = Math.max(1, perMinute / 30);
        this.budget = new RateBudgets.Budget("loop", burst, Math.max(1, perMinute - burst), Duration.ofMinutes(1));
        this.perMinute = perMinute;
    }

    private final int perMinute;

    public int perMinute() {
        return perMinute;
    }

    public void await(Connection connection) {
        Bucket bucket = budgets.bucket(budget, connection.loop().apiKey().reveal());
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
        if (probe.isConsumed()) {
            return;
        }
        long waitNanos = probe.getNanosToWaitForRefill();
        if (waitNanos > MAX_LOCAL_WAIT.toNanos()) {
            // Spread the retries: every job waiting for this key would otherwise wake for the same single token
            // (and re-read ShipHero for nothing). Up to 50 requests' worth of the budget.
            long spread = Duration.ofMinutes(1).toNanos() / perMinute() * 50;
            throw VendorException.throttled("Loop budget of " + perMinute() + " requests/minute used",
                    Duration.ofNanos(waitNanos + java.util.concurrent.ThreadLocalRandom.current().nextLong(spread)));
        }
        try {
            TimeUnit.NANOSECONDS.sleep(waitNanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!bucket.tryConsume(1)) {
            throw VendorException.throttled("Loop budget of " + perMinute() + " requests/minute used",
                    Duration.ofSeconds(1));
        }
    }
}
