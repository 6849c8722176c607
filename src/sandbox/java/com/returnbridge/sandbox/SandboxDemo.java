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

    /** {@code outcome}: what the shopper gets for these units in Loop (refund when null). */
    public record DemoItem(String sku, int count, NewReturn.Outcome outcome) {
        public DemoItem(String sku, int count) {
            this(sku, count, NewReturn.Outcome.REFUND);
        }
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
        items.forEach(i -> spec.item(new NewReturn.Item(i.sku(), "Demo " + i.sku(), "Too small", i.count(),
                NewReturn.DEFAULT_UNIT_PRICE, i.outcome())));
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

    /**
     * The warehouse receives the parcel as the demo says: {@code received} all, none, partial, or per SKU
     * ("TEE-BLK-M:0,HAT:1"; a SKU not named comes back whole); {@code condition} one word for every line
     * ("damaged") or per SKU ("HAT:damaged"); then sets the status. Received units are restocked unless their
     * condition is given.
     */
    public SandboxShipHero.ReturnView receive(long loopReturnId, String status, String received, String condition) {
        if ((received == null || !received.contains(":")) && (condition == null || condition.isBlank())) {
            return receive(loopReturnId, status, received);
        }
        SandboxShipHero.ReturnView rma = rmaFor(loopReturnId);
        Map<String, String> counts = perSku(received, "received");
        Map<String, String> conditions = perSku(condition, "condition");
        Map<String, SandboxShipHero.LineReceipt> lines = new LinkedHashMap<>();
        boolean first = true;
        for (SandboxShipHero.ReturnLineView line : rma.lines()) {
            int qty;
            if (counts.containsKey(line.sku())) {
                try {
                    qty = Integer.parseInt(counts.get(line.sku()).trim());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("received: '" + counts.get(line.sku()) + "' for " + line.sku()
                            + " is not a number");
                }
            } else {
                qty = switch (received == null || received.contains(":") ? "all" : received) {
                    case "none" -> 0;
                    case "partial" -> first ? Math.max(0, line.quantity() - 1) : line.quantity();
                    default -> line.quantity();
                };
            }
            if (qty < 0 || qty > line.quantity()) {
                throw new IllegalArgumentException("received: " + line.sku() + " has " + line.quantity()
                        + " unit(s) on the RMA, not " + qty);
            }
            String word = conditions.getOrDefault(line.sku(), conditions.get("*"));
            lines.put(line.sku(), new SandboxShipHero.LineReceipt(qty, word == null ? qty : 0, word));
            first = false;
        }
        for (String sku : counts.keySet()) {
            if (rma.lines().stream().noneMatch(l -> l.sku().equals(sku))) {
                throw new IllegalArgumentException("received: the RMA has no line for SKU " + sku);
            }
        }
        shiphero.receiveLines(rma.id(), lines, status);
        return shiphero.returnById(rma.id()).orElseThrow();
    }

    /** "A:1,B:0" → {A=1, B=0}; a bare word applies to every SKU ("*"). */
    private static Map<String, String> perSku(String spec, String what) {
        Map<String, String> out = new LinkedHashMap<>();
        if (spec == null || spec.isBlank() || (what.equals("received") && !spec.contains(":"))) {
            return out;
        }
        for (String part : spec.split(",")) {
            int colon = part.lastIndexOf(':');
            if (colon < 0) {
                out.put("*", part.trim());
            } else if (colon == 0 || colon == part.length() - 1) {
                throw new IllegalArgumentException(what + ": '" + part + "' is not SKU:value");
            } else {
                out.put(part.substring(0, colon).trim(), part.substring(colon + 1).trim());
            }
        }
        return out;
    }

    public SandboxShipHero.ReturnView rmaFor(long loopReturnId) {
        List<SandboxShipHero.ReturnView> rmas = shiphero.returnsByPartnerId(String.valueOf(loopReturnId));
        if (rmas.isEmpty()) {
            throw new IllegalStateException("no RMA in ShipHero for Loop return " + loopReturnId + " yet");
        }
        return rmas.get(0);
    }
}
