package com.returnbridge.onboarding;

import com.returnbridge.bridge.LoopReads;
import com.returnbridge.bridge.LoopReturn;
import com.returnbridge.vendor.VendorException;
import com.returnbridge.bridge.WarehouseApi;
import com.returnbridge.connection.Connection;
import com.returnbridge.shiphero.ShipHeroAdminClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/**
 * Proposes the connection's ShipHero shop name from what ShipHero holds: the store of the orders of the Loop shop's
 * recent returns (matched by Shopify id or order name, and SKUs), else the only store among the account's recent
 * orders. Only proposed: the operator sets it. Not telling is no failure: without a shop name, orders sharing a number
 * are told apart by SKUs and customer, or asked of a person.
 */
@Component
class ShopNameProposals {

    /** {@code seen}: the stores seen; {@code proposed}: null when it cannot tell; {@code detail}: Connect's step. */
    record Proposal(List<String> seen, String proposed, String detail) {
    }

    /** Loop returns whose ShipHero order Connect looks up to see which store is this merchant's: few, for credits. */
    private static final int RETURNS_FOR_SHOP_NAME = 3;

    private final ShipHeroAdminClient shipheroAdmin;
    private final WarehouseApi warehouse;
    private final LoopReads loopReads;
    private final Clock clock;

    ShopNameProposals(ShipHeroAdminClient shipheroAdmin, WarehouseApi warehouse, LoopReads loopReads, Clock clock) {
        this.shipheroAdmin = shipheroAdmin;
        this.warehouse = warehouse;
        this.loopReads = loopReads;
        this.clock = clock;
    }

    /** @param loopOk whether Loop accepted the key (else only ShipHero's recent orders are looked at) */
    Proposal propose(Connection connection, boolean loopOk) {
        String configured = connection.shiphero().shopName();
        List<String> seen = new ArrayList<>();
        Map<String, Integer> ofReturns = new LinkedHashMap<>();
        String detail;
        String proposed = null;
        try {
            seen.addAll(shipheroAdmin.recentShopNames(connection));
            int looked = 0;
            if (loopOk && configured == null) {
                for (LoopReturn r : recentLoopReturns(connection)) {
                    looked++;
                    Set<String> skus = skus(r);
                    for (WarehouseApi.OrderMatch o : warehouse.findOrders(connection, r.providerOrderId(),
                            r.orderName()).found()) {
                        if (o.shopName() != null && o.skus().containsAll(skus)) {
                            ofReturns.merge(o.shopName(), 1, Integer::sum);
                        }
                    }
                }
            }
            ofReturns.keySet().stream().filter(s -> !seen.contains(s)).forEach(seen::add);
            if (configured != null) {
                detail = "set to " + configured + (seen.isEmpty() || seen.contains(configured) ? ""
                        : "; not among the stores of the account's recent orders (" + String.join(", ", seen)
                        + "): check it");
            } else if (ofReturns.size() == 1) {
                proposed = ofReturns.keySet().iterator().next();
                detail = "proposed: " + proposed + " (the ShipHero orders of " + ofReturns.get(proposed) + " of "
                        + looked + " recent Loop return(s) are in this store)" + others(seen, proposed)
                        + "; set it so orders found by their number are looked for in this store only";
            } else if (ofReturns.size() > 1) {
                detail = "the orders of recent Loop returns are in several stores (" + String.join(", ",
                        ofReturns.keySet()) + "); set the shop name if this connection serves one of them";
            } else if (seen.size() == 1) {
                proposed = seen.get(0);
                detail = "proposed: " + proposed + " (the only store among the account's recent orders); set it so "
                        + "orders found by their number are looked for in this store only";
            } else if (seen.size() > 1) {
                detail = "the account holds orders of " + seen.size() + " stores (" + String.join(", ", seen)
                        + ") and no recent Loop return told which is this merchant's: choose the shop name, or an "
                        + "order number found in several stores is told apart by SKUs and customer, else asked of you";
            } else {
                detail = "no orders in ShipHero yet: nothing to propose";
            }
        } catch (VendorException e) {
            detail = "could not look at the account's orders (" + e.getMessage() + "); set it by hand if needed";
        }
        return new Proposal(List.copyOf(seen), proposed, detail);
    }

    private static String others(List<String> seen, String proposed) {
        List<String> rest = seen.stream().filter(s -> !s.equals(proposed)).toList();
        return rest.isEmpty() ? "" : "; the account also holds orders of " + String.join(", ", rest);
    }

    /** A few returns of the last 30 days that name an order; stops reading Loop's list once it has them. */
    private List<LoopReturn> recentLoopReturns(Connection connection) {
        List<LoopReturn> out = new ArrayList<>();
        Instant now = clock.instant();
        try {
            loopReads.updatedBetween(connection, now.minus(Duration.ofDays(30)), now, r -> {
                if ((r.providerOrderId() != null || r.orderName() != null) && !skus(r).isEmpty()) {
                    out.add(r);
                }
                if (out.size() >= RETURNS_FOR_SHOP_NAME) {
                    throw new Enough();
                }
            });
        } catch (Enough e) {
            // the list is read no further
        }
        return out;
    }

    private static Set<String> skus(LoopReturn r) {
        return r.units().stream().map(LoopReturn.Unit::sku).filter(s -> s != null && !s.isBlank())
                .collect(Collectors.toSet());
    }

    private static final class Enough extends RuntimeException {
        Enough() {
            super(null, null, false, false);
        }
    }
}
