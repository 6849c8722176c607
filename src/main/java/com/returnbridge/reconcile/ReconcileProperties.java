package com.returnbridge.reconcile;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The sweep that finds what webhooks missed. {@code interval}: time between sweeps (cluster-wide: one instance runs
 * each). {@code overlap}: how far before the watermark each Loop read starts, for late-committed updates and clock
 * skew. {@code firstLookback}: how far back the first sweep of a connection reads.
 */
@ConfigurationProperties("returnbridge.reconcile")
public record ReconcileProperties(
        @DefaultValue("PT10M") Duration interval,
        @DefaultValue("PT5M") Duration overlap,
        @DefaultValue("P1D") Duration firstLookback) {
}
