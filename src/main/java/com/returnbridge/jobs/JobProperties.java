package com.returnbridge.jobs;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The scheduler and its retries. {@code firstRetry}/{@code maxRetry}: the backoff of a job that failed unexpectedly
 * (and of the features' own retries). {@code heartbeat}: how often a running execution tells other instances it is
 * alive. The features' own job settings share the {@code returnbridge.jobs} prefix (bridge's BridgeProperties).
 */
@ConfigurationProperties("returnbridge.jobs")
public record JobProperties(
        @DefaultValue("PT1S") Duration firstRetry,
        @DefaultValue("PT15M") Duration maxRetry,
        @DefaultValue("8") int threads,
        @DefaultValue("PT10S") Duration pollingInterval,
        @DefaultValue("PT10S") Duration heartbeat) {

    public Backoff backoff() {
        return new Backoff(firstRetry, maxRetry);
    }
}
