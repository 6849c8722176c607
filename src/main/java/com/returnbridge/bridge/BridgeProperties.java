package com.returnbridge.bridge;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How patiently the bridge's jobs wait (the scheduler and backoff settings under the same prefix are
 * jobs/JobProperties). {@code orderLookupWindow}: how long an order missing in ShipHero is looked for again
 * (it may not have synced from Shopify yet) before a person is asked. {@code transientGiveUp}: how long a job keeps
 * retrying a vendor that fails before a person is asked. {@code uncertainWriteSettle}: how long to wait
 * after a write that got no answer (timeout, connection lost) before looking for its effect and writing again.
 * {@code answeredWriteSettle}: the same for a write the vendor answered with a 5xx; the vendor is done with it, so
 * its effect shows within seconds. {@code processingConfirmAfter}: how
 * long a return Loop accepted Process for waits for Loop's webhook saying it is closed before Return Details are read.
 */
@ConfigurationProperties("returnbridge.jobs")
public record BridgeProperties(
        @DefaultValue("PT2H") Duration orderLookupWindow,
        @DefaultValue("PT6H") Duration transientGiveUp,
        @DefaultValue("PT1M") Duration uncertainWriteSettle,
        @DefaultValue("PT2S") Duration answeredWriteSettle,
        @DefaultValue("PT10M") Duration processingConfirmAfter) {
}
