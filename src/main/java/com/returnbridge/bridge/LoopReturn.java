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

    /**
     * One returned unit. {@code lineItemId}: Loop's return line item id (what Remove Line Items takes; null in a return
     * stored before it was kept); {@code outcome}: what Loop gives the shopper for it (null when not known).
     */
    public record Unit(String sku, String reason, String providerLineItemId, String lineItemId, Outcome outcome) {

        public Unit(String sku, String reason, String providerLineItemId) {
            this(sku, reason, providerLineItemId, null, null);
        }
    }

    /**
     * What Loop gives the shopper for a unit. Only refund and store-credit units qualify for Loop's Remove Line
     * Items; an exchange must be flagged for a person.
     */
    public enum Outcome {
        REFUND, STORE_CREDIT, EXCHANGE;

        public String word() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        /** The stored word back; null (not known) for anything else. */
        public static Outcome of(String word) {
            if (word == null) {
                return null;
            }
            for (Outcome o : values()) {
                if (o.word().equalsIgnoreCase(word.trim())) {
                    return o;
                }
            }
            return null;
        }
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
