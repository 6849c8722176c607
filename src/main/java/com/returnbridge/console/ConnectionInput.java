package com.returnbridge.console;

import java.util.List;

/**
 * A connection as the console form and the admin API send it. Secrets are write-only: a blank or absent secret
 * keeps the stored one, and no answer ever contains one. The {@code rma*} fields are the RMA defaults (used when Loop
 * does not say); absent or blank keeps the current value. {@code shipheroShopName}: ShipHero's {@code shop_name} of the
 * merchant's store (absent keeps it, blank clears it).
 */
public record ConnectionInput(
        String id,
        String loopBaseUrl,
        String loopApiKey,
        String loopWebhookSecret,
        String shipheroBaseUrl,
        String shipheroRefreshToken,
        String shipheroAccessToken,
        String shipheroWebhookSecret,
        String customerAccountId,
        String warehouseId,
        List<String> processStatuses,
        List<String> flagStatuses,
        List<String> ignoreStatuses,
        String unmappedAction,
        String closeStatus,
        String receiptRule,
        String rmaLabelType,
        String rmaLabelCost,
        String rmaShippingCarrier,
        String rmaShippingMethod,
        String rmaWeight,
        String rmaLength,
        String rmaWidth,
        String rmaHeight,
        String shipheroShopName) {
}
