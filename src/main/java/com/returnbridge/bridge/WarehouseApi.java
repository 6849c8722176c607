package com.returnbridge.bridge;

import com.returnbridge.connection.Connection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** What the bridge asks of the warehouse system (ShipHero), in the bridge's own terms. */
public interface WarehouseApi {

    /**
     * The orders that could be this return's: those with its Shopify id, else those with its order name (with and
     * without '#', in the connection's shop when it names one). Empty when none matches; several when several stores
     * have that order name, for the bridge to tell apart or to ask a person.
     */
    Orders findOrders(Connection connection, String providerOrderId, String orderName);

    /** Orders found; {@code more}: the warehouse holds more that match than were read. */
    record Orders(List<OrderMatch> found, boolean more) {
        public static final Orders NONE = new Orders(List.of(), false);
    }

    RmaRef createRma(Connection connection, RmaRequest request);

    /** Current state of an RMA; empty when the warehouse does not know it. */
    Optional<RmaSnapshot> readRma(Connection connection, String rmaId);

    void setRmaStatus(Connection connection, String rmaId, String status);

    /** {@code email} and {@code customerName} (the shipping address's) tell apart orders with the same number. */
    record OrderMatch(String orderId, Long legacyId, String orderNumber, Set<String> skus, List<RmaRef> returns,
                      String matchedBy, String shopName, String email, String customerName) {

        public OrderMatch withMatchedBy(String how) {
            return new OrderMatch(orderId, legacyId, orderNumber, skus, returns, how, shopName, email, customerName);
        }
    }

    record RmaRef(String id, Long legacyId, String partnerId, String status) {
    }

    /**
     * What the RMA must contain, in the bridge's terms: the order, our partner id (the Loop return's id) and reason,
     * the lines, where the parcel comes from and its label (null without one). The warehouse client adds the
     * connection's warehouse, account and defaults and writes it in its own shape.
     */
    record RmaRequest(String orderId, String partnerId, String reason, List<Line> lines, LoopReturn.Address address,
                      LoopReturn.Label label) {
    }

    record Line(String sku, int quantity, String reason) {
    }

    record RmaSnapshot(String id, Long legacyId, String partnerId, String status, int expected, int received,
                       List<LineState> lines) {

        /** The incumbent's rule, per line too: every unit expected has arrived. */
        public boolean fullyReceived() {
            if (expected <= 0 || received != expected) {
                return false;
            }
            return lines.stream().allMatch(l -> l.received() >= l.expected());
        }
    }

    /**
     * One RMA line as the warehouse recorded it: units expected, received and put back to stock, the warehouse's
     * condition word (null when none) and whether the line is a kit's component rather than an item of its own.
     */
    record LineState(String sku, int expected, int received, int restocked, String condition, boolean component) {

        public LineState(String sku, int expected, int received) {
            this(sku, expected, received, received, null, false);
        }
    }
}
