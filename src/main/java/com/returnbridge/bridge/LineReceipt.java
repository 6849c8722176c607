package com.returnbridge.bridge;

/**
 * What the warehouse recorded against one Loop line item, matched by SKU the way the RMA was built (kit components
 * counted against their kit): units expected, received and put back to stock, and ShipHero's condition word for
 * what came back (null when the warehouse recorded none). Shared by the per-item decision and by grading.
 */
public record LineReceipt(String loopLineItemId, String sku, int expected, int received, int restocked,
                          String condition) {

    public boolean missing() {
        return received < expected;
    }
}
