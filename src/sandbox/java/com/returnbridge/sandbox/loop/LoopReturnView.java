package com.returnbridge.sandbox.loop;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Immutable snapshot of one simulated Loop return; state changes replace the whole snapshot. */
public record LoopReturnView(
        long id,
        String state,
        long loopOrderId,
        String orderName,
        String providerOrderId,
        String customerEmail,
        String firstName,
        String lastName,
        NewReturn.Address address,
        String currency,
        List<LineItem> lineItems,
        Label label,
        Instant createdAt,
        Instant updatedAt,
        Instant editedAt) {

    public static final String OPEN = "open";
    public static final String CLOSED = "closed";
    public static final String CANCELLED = "cancelled";
    public static final String EXPIRED = "expired";
    public static final String REVIEW = "review";

    public LoopReturnView {
        lineItems = List.copyOf(lineItems);
    }

    /**
     * One returned unit. Units of the same order line share {@code providerLineItemId}. {@code outcome}: what the
     * shopper gets for it; only refund and store-credit units qualify for Remove Line Items.
     */
    public record LineItem(long lineItemId, String providerLineItemId, String productId, String variantId, String sku,
            String barcode, String title, BigDecimal price, String returnReason, String parentReturnReason,
            Instant returnedAt, NewReturn.Outcome outcome) {

        public boolean exchange() {
            return outcome == NewReturn.Outcome.EXCHANGE;
        }
    }

    /** {@code status} is Loop's label_status: new, pre_transit, in_transit, out_for_delivery, delivered, ... */
    public record Label(String carrier, String trackingNumber, String status, String url, BigDecimal rate,
            String shipmentId, Instant updatedAt) {
    }

    public Optional<Label> currentLabel() {
        return Optional.ofNullable(label);
    }

    public boolean is(String someState) {
        return state.equals(someState);
    }

    public BigDecimal total() {
        return lineItems.stream().map(LineItem::price).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    /** Shopify's order number: the order name without its prefix. */
    public String orderNumber() {
        String digits = orderName.replaceAll("\\D", "");
        return digits.isEmpty() ? orderName : digits;
    }

    LoopReturnView withState(String newState, Instant at) {
        return new LoopReturnView(id, newState, loopOrderId, orderName, providerOrderId, customerEmail, firstName,
                lastName, address, currency, lineItems, label, createdAt, at, at);
    }

    LoopReturnView withLineItems(List<LineItem> remaining, Instant at) {
        return new LoopReturnView(id, state, loopOrderId, orderName, providerOrderId, customerEmail, firstName,
                lastName, address, currency, remaining, label, createdAt, at, at);
    }

    LoopReturnView withLabel(Label newLabel, Instant at) {
        return new LoopReturnView(id, state, loopOrderId, orderName, providerOrderId, customerEmail, firstName,
                lastName, address, currency, lineItems, newLabel, createdAt, at, at);
    }
}
