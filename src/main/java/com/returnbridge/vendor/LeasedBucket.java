package com.returnbridge.vendor;

import io.github.bucket4j.BlockingBucket;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.BucketListener;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.EstimationProbe;
import io.github.bucket4j.SchedulingBucket;
import io.github.bucket4j.TokensInheritanceStrategy;
import io.github.bucket4j.VerboseBucket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * One instance's share of a bucket that every instance draws from: tokens are taken from the shared bucket in
 * grants of {@code grant} (one row lock for many calls) and spent locally. A token is taken from the shared bucket
 * before it is spent, so all instances together never spend more than the shared bucket allows; what this instance
 * holds unspent is given back when it has been idle for {@code idle} ({@link #returnIfIdle}), so another instance
 * waits at most that long for tokens this one does not use.
 *
 * <p>Only what the budgets use is meaningful: {@link #tryConsumeAndReturnRemaining}, {@link #tryConsume},
 * {@link #consumeIgnoringRateLimits} (spends what is held, the rest from the shared bucket, which keeps the place in
 * line), {@link #addTokens}, {@link #getAvailableTokens}, {@link #estimateAbilityToConsume}. The rest go to the
 * shared bucket or are refused.
 */
final class LeasedBucket implements Bucket {

    private final Bucket shared;
    private final long grant;
    private final Duration idle;
    private final Clock clock;
    /** Tokens taken from the shared bucket and not spent yet; guarded by this. */
    private long held;
    private Instant lastUse;

    LeasedBucket(Bucket shared, long grant, Duration idle, Clock clock) {
        this.shared = shared;
        this.grant = Math.max(1, grant);
        this.idle = idle;
        this.clock = clock;
        this.lastUse = clock.instant();
    }

    @Override
    public synchronized ConsumptionProbe tryConsumeAndReturnRemaining(long tokens) {
        lastUse = clock.instant();
        if (held >= tokens) {
            held -= tokens;
            return ConsumptionProbe.consumed(held, 0);
        }
        long missing = tokens - held;
        // A grant beyond what this call needs, while the shared bucket has it; otherwise only what is missing.
        ConsumptionProbe taken = shared.tryConsumeAndReturnRemaining(missing + grant);
        if (taken.isConsumed()) {
            held = grant; // what was held went into this call, with the missing part; the grant is left over
            return ConsumptionProbe.consumed(held, taken.getNanosToWaitForReset());
        }
        long remaining = Math.max(0, taken.getRemainingTokens());
        if (remaining < missing) {
            // Not even what this call lacks is there: no second look. The refill is linear, so the wait for the
            // lacking part is the answered wait (for it and a grant) scaled down.
            long nanos = (long) (taken.getNanosToWaitForRefill()
                    * ((double) (missing - remaining) / (missing + grant - remaining)));
            return ConsumptionProbe.rejected(held + remaining, Math.max(1, nanos), taken.getNanosToWaitForReset());
        }
        taken = shared.tryConsumeAndReturnRemaining(missing);
        if (taken.isConsumed()) {
            held = 0;
            return ConsumptionProbe.consumed(0, taken.getNanosToWaitForReset());
        }
        return ConsumptionProbe.rejected(held + Math.max(0, taken.getRemainingTokens()),
                taken.getNanosToWaitForRefill(), taken.getNanosToWaitForReset());
    }

    @Override
    public boolean tryConsume(long tokens) {
        return tryConsumeAndReturnRemaining(tokens).isConsumed();
    }

    /** What is held is spent first; the rest is owed to the shared bucket (the wait it answers is for that debt). */
    @Override
    public synchronized long consumeIgnoringRateLimits(long tokens) {
        lastUse = clock.instant();
        if (held >= tokens) {
            held -= tokens;
            return 0;
        }
        long missing = tokens - held;
        held = 0;
        return shared.consumeIgnoringRateLimits(missing);
    }

    /** Given back (an estimate that was too high): kept for the next calls, up to one grant; the rest goes back. */
    @Override
    public synchronized void addTokens(long tokens) {
        long keep = Math.min(tokens, Math.max(0, grant - held));
        held += keep;
        if (tokens > keep) {
            shared.addTokens(tokens - keep);
        }
    }

    /** Returns what is held to the shared bucket when nothing was spent for {@code idle}; true when it did. */
    synchronized boolean returnIfIdle() {
        if (held == 0 || Duration.between(lastUse, clock.instant()).compareTo(idle) < 0) {
            return false;
        }
        giveBack();
        return true;
    }

    /** Everything held back to the shared bucket (at shutdown, or before a reset). */
    synchronized void giveBack() {
        if (held > 0) {
            long tokens = held;
            held = 0;
            shared.addTokens(tokens);
        }
    }

    synchronized long held() {
        return held;
    }

    @Override
    public synchronized long getAvailableTokens() {
        return held + shared.getAvailableTokens();
    }

    @Override
    public synchronized EstimationProbe estimateAbilityToConsume(long tokens) {
        if (held >= tokens) {
            return EstimationProbe.canBeConsumed(held);
        }
        EstimationProbe probe = shared.estimateAbilityToConsume(tokens - held);
        return probe.canBeConsumed() ? EstimationProbe.canBeConsumed(held + probe.getRemainingTokens())
                : EstimationProbe.canNotBeConsumed(held + probe.getRemainingTokens(), probe.getNanosToWaitForRefill());
    }

    @Override
    public synchronized long tryConsumeAsMuchAsPossible() {
        long tokens = held + shared.tryConsumeAsMuchAsPossible();
        held = 0;
        return tokens;
    }

    @Override
    public synchronized long tryConsumeAsMuchAsPossible(long limit) {
        if (held >= limit) {
            held -= limit;
            return limit;
        }
        long tokens = held + shared.tryConsumeAsMuchAsPossible(limit - held);
        held = 0;
        return tokens;
    }

    @Override
    public void forceAddTokens(long tokens) {
        shared.forceAddTokens(tokens);
    }

    @Override
    public synchronized void reset() {
        held = 0;
        shared.reset();
    }

    @Override
    public void replaceConfiguration(BucketConfiguration configuration, TokensInheritanceStrategy strategy) {
        shared.replaceConfiguration(configuration, strategy);
    }

    @Override
    public BlockingBucket asBlocking() {
        throw new UnsupportedOperationException("a leased budget does not block; wait for getNanosToWaitForRefill");
    }

    @Override
    public SchedulingBucket asScheduler() {
        throw new UnsupportedOperationException("a leased budget does not schedule");
    }

    @Override
    public VerboseBucket asVerbose() {
        throw new UnsupportedOperationException("a leased budget is not verbose");
    }

    @Override
    public Bucket toListenable(BucketListener listener) {
        throw new UnsupportedOperationException("a leased budget has no listeners");
    }
}
