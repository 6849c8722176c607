package com.returnbridge.bridge;

import java.util.List;

/**
 * A Loop return as the bridge needs it, whatever Loop's payload looked like. Loop lists one entry per
 * returned unit; {@link #units()} keeps that, and the RMA groups them by SKU.
 */
public record LoopReturn(
        String id,
        String state,
        String editedAt,
        String orderName,
        String providerOrderId,
        String customerEmail,
        Address address,
        List<Unit> units,
        Label label) {

    public LoopReturn {
        units = units == null ? List.of() : List.copyOf(units);
    }

    public record Unit(String sku, String reason, String providerLineItemId) {
    }

    public record Address(String name, String address1, String address2, String city, String state, String zip,
                          String country, String phone) {
    }

    /** A return label bought in Loop: the RMA carries its tracking so the warehouse can match the parcel. */
    public record Label(String carrier, String trackingNumber, String status) {
        public boolean hasTracking() {
            return trackingNumber != null && !trackingNumber.isBlank() && !"N/A".equalsIgnoreCase(trackingNumber);
        }
    }

    public boolean isFinished() {
        return "cancelled".equals(state) || "expired".equals(state) || "closed".equals(state);
    }

    public LoopReturn withLabel(Label newLabel) {
        return new LoopReturn(id, state, editedAt, orderName, providerOrderId, customerEmail, address, units, newLabel);
    }
}
