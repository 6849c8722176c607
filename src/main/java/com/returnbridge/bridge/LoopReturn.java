package com.returnbridge.bridge;

import java.util.List;

/**
 * A Loop return as the bridge needs it, whatever Loop's payload looked like. Loop lists one entry per
 * returned unit; {@link #units()} keeps that, and the RMA groups them by SKU. {@link #state()} is Loop's own word
 * (shown, and kept on the link); {@link LoopStates} tells what it means.
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

    /**
     * A return label bought in Loop: the RMA carries its tracking so the warehouse can match the parcel. Loop's
     * client reads Loop's placeholder for "no tracking yet" as none.
     */
    public record Label(String carrier, String trackingNumber, String status) {
        public boolean hasTracking() {
            return trackingNumber != null && !trackingNumber.isBlank();
        }
    }

    public LoopReturn withLabel(Label newLabel) {
        return new LoopReturn(id, state, editedAt, orderName, providerOrderId, customerEmail, address, units, newLabel);
    }
}
