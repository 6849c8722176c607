package com.returnbridge.sandbox.loop;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a shopper submits in the simulated Loop portal. Each {@link Item} is one order line; its {@code count}
 * units become separate Loop line items, as Loop sends one entry per returned unit.
 */
public record NewReturn(
        String orderName,
        String providerOrderId,
        String email,
        String firstName,
        String lastName,
        Address address,
        List<Item> items,
        LabelSpec label) {

    public static final BigDecimal DEFAULT_UNIT_PRICE = new BigDecimal("25.00");

    public NewReturn {
        Objects.requireNonNull(orderName, "orderName");
        Objects.requireNonNull(providerOrderId, "providerOrderId");
        Objects.requireNonNull(email, "email");
        Objects.requireNonNull(address, "address");
        items = List.copyOf(items);
        if (items.isEmpty()) {
            throw new IllegalArgumentException("a return needs at least one item");
        }
    }

    public record Address(String name, String company, String address1, String address2, String city, String state,
            String zip, String country, String countryCode, String phone) {
    }

    /** What the shopper gets for an item: Loop's refund, store credit or exchange (loop.md §0). */
    public enum Outcome { REFUND, STORE_CREDIT, EXCHANGE }

    /** One order line being returned; {@code unitPrice} is per unit, as Loop reports it. */
    public record Item(String sku, String title, String reason, int count, BigDecimal unitPrice, Outcome outcome) {
        public Item {
            outcome = outcome == null ? Outcome.REFUND : outcome;
            Objects.requireNonNull(sku, "sku");
            if (count < 1) {
                throw new IllegalArgumentException("count must be at least 1");
            }
            title = title == null ? sku : title;
            reason = reason == null ? "Other" : reason;
            unitPrice = unitPrice == null ? DEFAULT_UNIT_PRICE : unitPrice;
        }

        public Item(String sku, String title, String reason, int count) {
            this(sku, title, reason, count, DEFAULT_UNIT_PRICE);
        }

        public Item(String sku, String title, String reason, int count, BigDecimal unitPrice) {
            this(sku, title, reason, count, unitPrice, Outcome.REFUND);
        }
    }

    /** A label generated right after the return is submitted. */
    public record LabelSpec(String carrier, String trackingNumber) {
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Fills sensible US defaults so tests and the benchmark only state what they care about. */
    public static final class Builder {
        private String orderName = "#1001";
        private String providerOrderId = "5981234567890";
        private String email = "ana.ruiz@example.com";
        private String firstName = "Ana";
        private String lastName = "Ruiz";
        private Address address;
        private final List<Item> items = new ArrayList<>();
        private LabelSpec label;

        public Builder orderName(String orderName) {
            this.orderName = orderName;
            return this;
        }

        public Builder providerOrderId(String providerOrderId) {
            this.providerOrderId = providerOrderId;
            return this;
        }

        public Builder customer(String email, String firstName, String lastName) {
            this.email = email;
            this.firstName = firstName;
            this.lastName = lastName;
            return this;
        }

        public Builder address(Address address) {
            this.address = address;
            return this;
        }

        public Builder item(String sku, String title, String reason, int count) {
            items.add(new Item(sku, title, reason, count));
            return this;
        }

        public Builder item(Item item) {
            items.add(item);
            return this;
        }

        public Builder label(String carrier, String trackingNumber) {
            this.label = new LabelSpec(carrier, trackingNumber);
            return this;
        }

        public NewReturn build() {
            Address shipFrom = address != null ? address
                    : new Address(firstName + " " + lastName, null, "221 Pine St", "Apt 4", "Portland", "Oregon",
                            "97204", "United States", "US", "+15035550147");
            return new NewReturn(orderName, providerOrderId, email, firstName, lastName, shipFrom, items, label);
        }
    }
}
