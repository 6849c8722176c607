package com.returnbridge.bridge;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Which of the ShipHero orders found for a Loop return is its order. One found: that one. Several (stores of one
 * account, or of a 3PL's customers, each with a #1001): the one whose SKUs, then whose customer (email or name), match
 * the return; if still more than one fits, none is taken: a person picks from the candidates named.
 */
public final class OrderChoice {

    /** What the choice came to: the order, or none found, or several a person has to choose from. */
    public sealed interface Outcome {
    }

    public record Found(WarehouseApi.OrderMatch order) implements Outcome {
    }

    public record NoneFound() implements Outcome {
    }

    /** {@code more}: ShipHero holds more matching orders than were read (and named). */
    public record Ambiguous(List<WarehouseApi.OrderMatch> candidates, boolean more) implements Outcome {
    }

    /** The operator picked an order that is not among those ShipHero finds now. */
    public record ChosenMissing(String orderId, List<WarehouseApi.OrderMatch> candidates) implements Outcome {
    }

    private OrderChoice() {
    }

    /** @param chosenOrderId the operator's pick, or null */
    public static Outcome of(WarehouseApi.Orders orders, LoopReturn loopReturn, String chosenOrderId) {
        List<WarehouseApi.OrderMatch> found = orders.found();
        if (chosenOrderId != null) {
            return found.stream().filter(o -> chosenOrderId.equals(o.orderId())).findFirst()
                    .<Outcome>map(o -> new Found(o.withMatchedBy(o.matchedBy() + ", chosen by the operator")))
                    .orElse(new ChosenMissing(chosenOrderId, found));
        }
        if (found.isEmpty()) {
            return new NoneFound();
        }
        if (orders.more()) {
            // an order not read could fit as well as the one that fits best among those read
            return new Ambiguous(found, true);
        }
        if (found.size() == 1) {
            return new Found(found.get(0));
        }
        List<String> skus = loopReturn.units().stream().map(LoopReturn.Unit::sku)
                .filter(s -> s != null && !s.isBlank()).distinct().toList();
        List<WarehouseApi.OrderMatch> bySku = found.stream().filter(o -> o.skus().containsAll(skus)).toList();
        List<WarehouseApi.OrderMatch> fitting = bySku.isEmpty() ? found : bySku;
        List<WarehouseApi.OrderMatch> byCustomer = fitting.stream().filter(o -> sameCustomer(o, loopReturn)).toList();
        if (!byCustomer.isEmpty()) {
            fitting = byCustomer;
        }
        if (fitting.size() == 1) {
            WarehouseApi.OrderMatch only = fitting.get(0);
            String why = !bySku.isEmpty() && !byCustomer.isEmpty() ? "SKUs and customer"
                    : !byCustomer.isEmpty() ? "customer" : "SKUs";
            return new Found(only.withMatchedBy(only.matchedBy() + ", the only one of " + found.size()
                    + " orders (" + describe(found) + ") whose " + why + " match the return"));
        }
        return new Ambiguous(fitting, false);
    }

    /** "order id (#1001, shop a.myshopify.com), …": what the operator needs to tell them apart. */
    public static String describe(List<WarehouseApi.OrderMatch> orders) {
        return orders.stream().map(o -> o.orderId() + " (" + o.orderNumber() + ", shop "
                + (o.shopName() == null ? "unknown" : o.shopName()) + ")").collect(Collectors.joining(", "));
    }

    static boolean sameCustomer(WarehouseApi.OrderMatch order, LoopReturn loopReturn) {
        String email = norm(loopReturn.customerEmail());
        if (email != null && email.equals(norm(order.email()))) {
            return true;
        }
        String name = loopReturn.address() == null ? null : norm(loopReturn.address().name());
        return name != null && name.equals(norm(order.customerName()));
    }

    private static String norm(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        return value.trim().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
    }
}
