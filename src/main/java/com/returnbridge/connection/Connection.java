package com.returnbridge.connection;

import java.util.Objects;

/**
 * One merchant wired between a Loop shop and a ShipHero account (or a 3PL's customer account).
 * Immutable; a changed connection is a new instance registered under the same id.
 */
public record Connection(
        String id,
        LoopSettings loop,
        ShipHeroSettings shiphero,
        StatusPolicy statusPolicy,
        String closeStatus,
        RmaDefaults rmaDefaults) {

    public Connection {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(loop, "loop");
        Objects.requireNonNull(shiphero, "shiphero");
        statusPolicy = statusPolicy == null ? StatusPolicy.defaults() : statusPolicy;
        closeStatus = closeStatus == null || closeStatus.isBlank() ? "Complete" : closeStatus;
        rmaDefaults = rmaDefaults == null ? RmaDefaults.standard() : rmaDefaults;
    }

    public record LoopSettings(String baseUrl, Secret apiKey, Secret webhookSecret) {
    }

    public record ShipHeroSettings(String baseUrl, Secret refreshToken, Secret accessToken, Secret webhookSecret,
                                   String customerAccountId, String warehouseId) {
    }

    /**
     * What an RMA carries when Loop does not say: label type and cost, carrier and method, parcel dimensions
     * (weight and dimensions in the units configured in the ShipHero account, oz and in by default).
     */
    public record RmaDefaults(String labelType, String labelCost, String shippingCarrier, String shippingMethod,
                              String weight, String length, String width, String height) {

        /** ShipHero's {@code ReturnLabelType} enum, the type of {@code CreateReturnInput.label_type}. */
        public static final java.util.List<String> LABEL_TYPES =
                java.util.List.of("FREE", "PAID", "SELF_RETURN", "FLAT_RATE", "RETURN_TO_SENDER");

        public static RmaDefaults standard() {
            return new RmaDefaults("FREE", "0.00", "other", "ground", "16", null, null, null);
        }

        /** Fields left out (e.g. configuration giving only {@code rma-defaults.label-type}) take the standard value. */
        public RmaDefaults orStandard() {
            RmaDefaults s = standard();
            return new RmaDefaults(or(labelType, s.labelType), or(labelCost, s.labelCost),
                    or(shippingCarrier, s.shippingCarrier), or(shippingMethod, s.shippingMethod), or(weight, s.weight),
                    or(length, s.length), or(width, s.width), or(height, s.height));
        }

        private static String or(String value, String fallback) {
            return value == null || value.isBlank() ? fallback : value.trim();
        }
    }
}
