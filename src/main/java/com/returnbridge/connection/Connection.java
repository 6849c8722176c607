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

    /**
     * {@code shopName}: the ShipHero {@code shop_name} of this merchant's store (e.g. {@code acme.myshopify.com}),
     * or null. Several stores of one account, or of a 3PL's customers, can each have an order #1001: with the
     * shop name known, an order found by its number is looked for in this store only.
     */
    public record ShipHeroSettings(String baseUrl, Secret refreshToken, Secret accessToken, Secret webhookSecret,
                                   String customerAccountId, String warehouseId, String shopName) {

        public ShipHeroSettings withWebhookSecret(Secret secret) {
            return new ShipHeroSettings(baseUrl, refreshToken, accessToken, secret, customerAccountId, warehouseId,
                    shopName);
        }

        public ShipHeroSettings withWarehouseId(String id) {
            return new ShipHeroSettings(baseUrl, refreshToken, accessToken, webhookSecret, customerAccountId, id,
                    shopName);
        }

        public ShipHeroSettings withShopName(String name) {
            return new ShipHeroSettings(baseUrl, refreshToken, accessToken, webhookSecret, customerAccountId,
                    warehouseId, name);
        }
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
            return standard().with(this);
        }

        /**
         * These defaults with the fields {@code changes} gives (null or blank: keep), each checked as ShipHero would:
         * the label type one of {@link #LABEL_TYPES}, cost and sizes non-negative decimals, carrier and method at most
         * 100 characters. The console, the admin API and configuration all go through here.
         *
         * @throws IllegalArgumentException naming the field and the value refused
         */
        public RmaDefaults with(RmaDefaults changes) {
            String type = labelType;
            if (present(changes.labelType)) {
                type = changes.labelType.trim().toUpperCase(java.util.Locale.ROOT).replace(' ', '_').replace('-', '_');
                if (!LABEL_TYPES.contains(type)) {
                    throw new IllegalArgumentException("RMA label type must be one of ShipHero's "
                            + String.join(", ", LABEL_TYPES) + " (was '" + shorten(changes.labelType) + "')");
                }
            }
            return new RmaDefaults(type,
                    decimal(changes.labelCost, labelCost, "RMA label cost"),
                    text(changes.shippingCarrier, shippingCarrier, "RMA shipping carrier"),
                    text(changes.shippingMethod, shippingMethod, "RMA shipping method"),
                    decimal(changes.weight, weight, "RMA weight"),
                    decimal(changes.length, length, "RMA length"),
                    decimal(changes.width, width, "RMA width"),
                    decimal(changes.height, height, "RMA height"));
        }

        private static boolean present(String value) {
            return value != null && !value.isBlank();
        }

        private static String decimal(String given, String old, String what) {
            if (!present(given)) {
                return old;
            }
            String value = given.trim();
            java.math.BigDecimal parsed = null;
            try {
                parsed = new java.math.BigDecimal(value);
            } catch (NumberFormatException e) {
                // refused below
            }
            if (parsed == null || parsed.signum() < 0 || value.length() > 20
                    || value.toLowerCase(java.util.Locale.ROOT).contains("e")) {
                throw new IllegalArgumentException(what + " must be a non-negative decimal number like 4.50 (was '"
                        + shorten(given) + "')");
            }
            return parsed.toPlainString();
        }

        private static String text(String given, String old, String what) {
            if (!present(given)) {
                return old;
            }
            if (given.trim().length() > 100) {
                throw new IllegalArgumentException(what + " must be at most 100 characters");
            }
            return given.trim();
        }

        private static String shorten(String value) {
            return value.length() <= 40 ? value : value.substring(0, 40) + "…";
        }
    }
}
