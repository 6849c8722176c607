package com.returnbridge.console.billing;

import java.time.OffsetDateTime;

/**
 * One return in a billing export. {@code rmaClosed}: the RMA has the connection's close status (ShipHero bills a
 * return only then), set by Returnbridge or already there; {@code neverClosed}: there is an RMA and it never got it.
 * {@code decision} is the last decision's action ({@code process}, {@code flag}, {@code ignore}), null before one.
 */
public record BillingRow(
        String loopReturnId,
        String orderName,
        OffsetDateTime createdAt,
        String state,
        String loopState,
        String shipheroRmaId,
        Long shipheroRmaNumber,
        String shipheroStatus,
        String decision,
        int unitsExpected,
        int unitsReceived,
        boolean processed,
        OffsetDateTime processedAt,
        boolean flagged,
        int removedLineItems,
        boolean rmaClosed,
        OffsetDateTime rmaClosedAt) {

    public boolean rmaCreated() {
        return shipheroRmaId != null;
    }

    public boolean neverClosed() {
        return rmaCreated() && !rmaClosed;
    }
}
