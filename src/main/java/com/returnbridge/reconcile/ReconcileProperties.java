package com.returnbridge.reconcile;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The sweep that finds what webhooks missed. {@code interval}: time between sweeps (cluster-wide: one instance runs
 * each). {@code overlap}: how far before the watermark each Loop read and each ShipHero read of updated orders
 * starts, for late-committed updates and clock skew. {@code firstLookback}: how far back the first sweep of a
 * connection reads. {@code fullPassInterval}: how often the ShipHero sweep reads every waiting RMA (by creation
 * window) instead of only the orders updated since the last sweep. {@code fullPassAfter}: RMAs of links younger than
 * this are also read in full on every sweep (a cost of about one object per RMA created within it); older ones
 * only by the full pass. PT0S: every sweep reads only what changed.
 */
@ConfigurationProperties("returnbridge.reconcile")
public record ReconcileProperties(
        @DefaultValue("PT10M") Duration interval,
        @DefaultValue("PT5M") Duration overlap,
        @DefaultValue("P1D") Duration firstLookback,
        @DefaultValue("PT6H") Duration fullPassInterval,
        @DefaultValue("PT12H") Duration fullPassAfter) {
}
