package com.returnbridge.sandbox;

import com.returnbridge.connection.Connections;
import com.returnbridge.sandbox.loop.LoopReturnView;
import com.returnbridge.sandbox.loop.NewReturn;
import com.returnbridge.sandbox.loop.SandboxLoop;
import com.returnbridge.sandbox.shiphero.SandboxShipHero;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.stereotype.Component;

/**
 * Plays shopper and warehouse against the simulators: a demo return starts with a Shopify order that ShipHero
 * knows and a Loop return for it; the warehouse then receives it and sets a status.
 */
@Component
@ConditionalOnSandbox
public class SandboxDemo {

    public record DemoItem(String sku, int count) {
    }

    public record DemoReturn(long loopReturnId, String orderName, String providerOrderId, String shipheroOrderId) {
    }

    // Order numbers unique across restarts, since links persist in ./data while the simulators start empty.
    private final AtomicLong orderSeq = new AtomicLong(System.currentTimeMillis() % 100_000_000L * 10);
    private final SandboxLoop loop;
    private final SandboxShipHero shiphero;
    private final Connections connections;

    public SandboxDemo(SandboxLoop loop, SandboxShipHero shiphero, Connections connections) {
        this.loop = loop;
        this.shiphero = shiphero;
        this.connections = connections;
    }

    public DemoReturn createReturn(String connectionId, List<DemoItem> items, String trackingNumber) {
        return createReturn(connectionId, items, trackingNumber, true);
    }

    /**
     * @param knownToShipHero false for a Loop return whose order never synced to ShipHero
     */
    public DemoReturn createReturn(String connectionId, List<DemoItem> items, String trackingNumber,
                                   boolean knownToShipHero) {
        var connection = connections.find(connectionId);
        return createReturnFor(connection.map(c -> c.shiphero().customerAccountId()).orElse(null), items,
                trackingNumber, knownToShipHero,
                connection.map(c -> c.loop().apiKey()).map(k -> k.reveal()).orElse(null));
    }

    /** As above, for a ShipHero customer account (null: the account itself), whatever connection serves it. */
    public DemoReturn createReturnFor(String customerAccount, List<DemoItem> items, String trackingNumber,
                                      boolean knownToShipHero) {
        return createReturnFor(customerAccount, items, trackingNumber, knownToShipHero, null);
    }

    /** As above, in the Loop shop of {@code loopShopKey} (null: heard by every connection to the simulators). */
    public DemoReturn createReturnFor(String customerAccount, List<DemoItem> items, String trackingNumber,
                                      boolean knownToShipHero, String loopShopKey) {
        long n = orderSeq.incrementAndGet();
        String orderName = "#" + n;
        String providerOrderId = String.valueOf(5_900_000_000_000L + n);
        String shipheroOrderId = null;
        if (knownToShipHero) {
            Map<String, Integer> ordered = new LinkedHashMap<>();
            items.forEach(i -> ordered.merge(i.sku(), i.count(), Integer::sum));
            ordered.put("GIFT-CARD-" + (n % 3), 1); // orders carry lines that are not returned
            shipheroOrderId = shiphero.createOrder(providerOrderId, orderName, "demo-shop.myshopify.com",
                    customerAccount, ordered).id();
        }
        NewReturn.Builder spec = NewReturn.builder().orderName(orderName).providerOrderId(providerOrderId);
        items.forEach(i -> spec.item(i.sku(), "Demo " + i.sku(), "Too small", i.count()));
        if (trackingNumber != null) {
            spec.label("USPS", trackingNumber);
        }
        LoopReturnView created = loop.createReturn(spec.build(), loopShopKey);
        return new DemoReturn(created.id(), orderName, providerOrderId, shipheroOrderId);
    }

    /** The carrier reports progress on the return's label; Loop sends {@code label.updated}. */
    public void carrier(long loopReturnId, String labelStatus) {
        loop.updateLabel(loopReturnId, labelStatus);
    }

    /** The warehouse receives the parcel: all units, none, or all but one; then sets the status. */
    public SandboxShipHero.ReturnView receive(long loopReturnId, String status, String received) {
        SandboxShipHero.ReturnView rma = rmaFor(loopReturnId);
        Map<String, Integer> counts = new LinkedHashMap<>();
        boolean first = true;
        for (SandboxShipHero.ReturnLineView line : rma.lines()) {
            int qty = switch (received == null ? "all" : received) {
                case "none" -> 0;
                case "partial" -> first ? Math.max(0, line.quantity() - 1) : line.quantity();
                default -> line.quantity();
            };
            counts.put(line.sku(), qty);
            first = false;
        }
        shiphero.receive(rma.id(), counts, status);
        return shiphero.returnById(rma.id()).orElseThrow();
    }

    public SandboxShipHero.ReturnView rmaFor(long loopReturnId) {
        List<SandboxShipHero.ReturnView> rmas = shiphero.returnsByPartnerId(String.valueOf(loopReturnId));
        if (rmas.isEmpty()) {
            throw new IllegalStateException("no RMA in ShipHero for Loop return " + loopReturnId + " yet");
        }
        return rmas.get(0);
    }
}
