package com.returnbridge.sandbox.shiphero;

import com.returnbridge.sandbox.shiphero.SandboxShipHero.Address;
import com.returnbridge.sandbox.shiphero.SandboxShipHero.Order;
import com.returnbridge.sandbox.shiphero.SandboxShipHero.ReturnLineView;
import com.returnbridge.sandbox.shiphero.SandboxShipHero.ReturnView;
import com.returnbridge.sandbox.shiphero.SandboxShipHero.WebhookState;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * The simulated account's data. Every method holds the store's lock and hands out copies (GraphQL-shaped maps or
 * immutable views), so GraphQL execution and tests never read an entity while another thread changes it.
 *
 * <p>One class, over 300 lines: the entities refer to one another (a return to its order, a status change to the
 * webhooks it notifies, a webhook to its failures in a row) and change together under that one lock; the copies
 * handed out are made under it too, so their shaping stays here.
 */
final class ShipHeroStore {

    static final String RETURN_UPDATE = "Return Update";
    static final String SUBSCRIBE_SHOP_NAME = "returnbridge-sandbox";

    /** One warehouse for now; the account query and return_create look it up by API id. */
    static final long PRIMARY_WAREHOUSE_LEGACY_ID = 11790;

    // Distinct, realistic magnitudes so an id of the wrong kind never accidentally matches.
    private final AtomicLong orderIds = new AtomicLong(272_000_000L + System.currentTimeMillis() / 10 % 1_000_000_000L);
    private final AtomicLong lineItemIds = new AtomicLong(611_402_118);
    private final AtomicLong partnerLineItemIds = new AtomicLong(13_579_246_801L);
    // Seeded from the clock: the bridge keeps RMA ids across a restart of the simulator, so ids must not repeat.
    private final AtomicLong returnIds = new AtomicLong(3_000_000L + System.currentTimeMillis() / 10 % 1_000_000_000L);
    private final AtomicLong returnItemIds = new AtomicLong(5_378_501);
    private final AtomicLong labelIds = new AtomicLong(1_904_233);
    private final AtomicLong webhookIds = new AtomicLong(48_112);

    private final Clock clock;
    private final long accountLegacyId = 78_411;
    private final String accountId = ShipHeroIds.encode("Account", accountLegacyId);
    private final List<String> customerAccountIds = new ArrayList<>();
    private final Map<String, Map<String, Object>> warehouses = new LinkedHashMap<>();
    private final Map<String, StoredOrder> orders = new LinkedHashMap<>();
    private final Map<String, StoredReturn> returns = new LinkedHashMap<>();
    private final List<StoredWebhook> webhooks = new ArrayList<>();
    /** Per webhook id: failed attempts in a row, and whether ShipHero disabled it (shiphero.md §14.4). */
    private final Map<String, int[]> failuresInARow = new java.util.HashMap<>();
    private final java.util.Set<String> disabled = new java.util.HashSet<>();
    private int disableAfterFailures;
    /** The undocumented: whether a return's creation or change moves its order's updated_at (see SandboxShipHero). */
    private boolean returnChangesTouchOrder;

    ShipHeroStore(Clock clock, List<String> customerAccountIds) {
        this.clock = clock;
        this.customerAccountIds.addAll(customerAccountIds);
        Map<String, Object> primary = ShipHeroShapes.warehouse(PRIMARY_WAREHOUSE_LEGACY_ID, accountId, "Primary");
        warehouses.put((String) primary.get("id"), primary);
    }

    String accountId() {
        return accountId;
    }

    // ---- accounts and warehouses ------------------------------------------------------------------------------

    synchronized void addCustomerAccount(String customerAccountId) {
        if (!customerAccountIds.contains(customerAccountId)) {
            customerAccountIds.add(customerAccountId);
        }
    }

    synchronized Map<String, Object> accountShape() {
        return ShipHeroShapes.account(accountId, accountLegacyId, customerAccountIds, List.copyOf(warehouses.values()));
    }

    synchronized String primaryWarehouseId() {
        return warehouses.keySet().iterator().next();
    }

    // ---- orders ---------------------------------------------------------------------------------------------------

    synchronized Order createOrder(String partnerOrderId, String orderNumber, String shopName,
            String customerAccountId, Map<String, Integer> quantityBySku, SandboxShipHero.Customer customer) {
        return createOrder(partnerOrderId, orderNumber, shopName, customerAccountId, quantityBySku, customer,
                clock.instant());
    }

    /** As above, imported at {@code at} (the benchmark seeds months of orders this way). */
    synchronized Order createOrder(String partnerOrderId, String orderNumber, String shopName,
            String customerAccountId, Map<String, Integer> quantityBySku, SandboxShipHero.Customer customer,
            Instant at) {
        long legacyId = orderIds.incrementAndGet();
        StoredOrder order = new StoredOrder(ShipHeroIds.encode("Order", legacyId), legacyId, partnerOrderId,
                orderNumber, shopName, customerAccountId, at, customer);
        quantityBySku.forEach((sku, quantity) -> {
            long lineLegacyId = lineItemIds.incrementAndGet();
            order.lines.add(new StoredLine(ShipHeroIds.encode("LineItem", lineLegacyId), lineLegacyId, sku,
                    String.valueOf(partnerLineItemIds.incrementAndGet()), quantity));
        });
        orders.put(order.id, order);
        return new Order(order.id, order.legacyId, order.orderNumber);
    }

    synchronized Optional<Map<String, Object>> orderShape(String id) {
        return Optional.ofNullable(orders.get(id)).map(this::shape);
    }

    synchronized void returnChangesTouchOrder(boolean touch) {
        returnChangesTouchOrder = touch;
    }

    synchronized boolean returnChangesTouchOrder() {
        return returnChangesTouchOrder;
    }

    /**
     * Exact matches only, like ShipHero ("#1001" and "1001" are different order numbers); {@code updatedFrom} and
     * {@code updatedTo} (null: unbounded) bound the order's updated_at, both inclusive.
     */
    synchronized List<Map<String, Object>> findOrders(String partnerOrderId, String orderNumber, String shopName,
            String customerAccountId, Instant updatedFrom, Instant updatedTo) {
        return orders.values().stream()
                .filter(o -> updatedFrom == null || !o.updatedAt.isBefore(updatedFrom))
                .filter(o -> updatedTo == null || !o.updatedAt.isAfter(updatedTo))
                .filter(o -> partnerOrderId == null || partnerOrderId.equals(o.partnerOrderId))
                .filter(o -> orderNumber == null || orderNumber.equals(o.orderNumber))
                .filter(o -> shopName == null || shopName.equals(o.shopName))
                .filter(o -> Objects.equals(customerAccountId, o.customerAccountId))
                .map(this::shape)
                .toList();
    }

    // ---- returns --------------------------------------------------------------------------------------------------

    /** return_create: validates like ShipHero, then opens an RMA in "Pending". No dedup: ShipHero has no key. */
    synchronized ReturnChange createReturn(Map<String, Object> data) {
        return createReturn(data, clock.instant());
    }

    /** As return_create, as if it had been made at {@code now} (the benchmark seeds months of RMAs this way). */
    synchronized ReturnChange createReturn(Map<String, Object> data, Instant now) {
        String customerAccountId = (String) data.get("customer_account_id");
        StoredOrder order = orders.get((String) data.get("order_id"));
        if (order == null || (customerAccountId != null && !customerAccountId.equals(order.customerAccountId))) {
            throw ShipHeroException.notFound("Order not found");
        }
        Map<String, Object> warehouse = warehouses.get((String) data.get("warehouse_id"));
        if (warehouse == null) {
            throw ShipHeroException.notFound("Warehouse not found");
        }
        List<Map<String, Object>> lineInputs = listOfMaps(data.get("line_items"));
        if (lineInputs.isEmpty()) {
            throw ShipHeroException.invalid("At least one line item is required");
        }
        long legacyId = returnIds.incrementAndGet();
        StoredReturn stored = new StoredReturn(ShipHeroIds.encode("Return", legacyId), legacyId, order,
                warehouse, customerAccountId != null ? customerAccountId : order.customerAccountId, now);
        for (Map<String, Object> input : lineInputs) {
            String sku = (String) input.get("sku");
            StoredLine orderLine = order.lines.stream().filter(l -> l.sku.equals(sku)).findFirst()
                    .orElseThrow(() -> ShipHeroException.invalid(
                            "Sku " + sku + " not found in order " + order.orderNumber));
            int quantity = ((Number) input.get("quantity")).intValue();
            if (quantity <= 0) {
                throw ShipHeroException.invalid("Quantity for sku " + sku + " must be greater than 0");
            }
            long itemLegacyId = returnItemIds.incrementAndGet();
            StoredReturnLine line = new StoredReturnLine(ShipHeroIds.encode("ReturnItem", itemLegacyId),
                    itemLegacyId, orderLine, quantity, now);
            line.reason = (String) input.get("return_reason");
            line.condition = (String) input.get("condition");
            line.isComponent = (Boolean) input.get("is_component");
            stored.lines.add(line);
        }
        stored.partnerId = (String) data.get("partner_id");
        stored.reason = (String) data.get("return_reason");
        stored.labelType = (String) data.get("label_type");
        stored.labelCost = (String) data.get("label_cost");
        stored.address = stringMap(data.get("address"));
        stored.dimensions = stringMap(data.get("dimensions"));
        stored.shippingCarrier = (String) data.get("shipping_carrier");
        stored.shippingMethod = (String) data.get("shipping_method");
        stored.trackingNumber = (String) data.get("tracking_number");
        stored.displayIssueRefund = (Boolean) data.get("display_issue_refund");
        if (stored.trackingNumber != null || Boolean.TRUE.equals(data.get("create_label"))) {
            stored.labelLegacyId = labelIds.incrementAndGet();
        }
        // Everything validated: only now does the RMA become visible.
        returns.put(stored.id, stored);
        order.returns.add(stored);
        touch(stored, now);
        return change(stored);
    }

    synchronized ReturnChange updateStatus(String returnId, String status, boolean viaApi) {
        StoredReturn stored = existingReturn(returnId);
        stored.status = status;
        stored.updatedAt = clock.instant();
        touch(stored, stored.updatedAt);
        if (viaApi) {
            stored.statusHistory.add(status);
        }
        return change(stored);
    }

    /** The warehouse's receiving: fills lines of each SKU in order, the last one taking any surplus. */
    synchronized ReturnChange receive(String returnId, Map<String, Integer> receivedBySku, String status) {
        StoredReturn stored = existingReturn(returnId);
        Instant now = clock.instant();
        receivedBySku.forEach((sku, received) -> {
            List<StoredReturnLine> lines = stored.lines.stream().filter(l -> l.orderLine.sku.equals(sku)).toList();
            if (lines.isEmpty()) {
                throw new IllegalArgumentException("Return " + returnId + " has no line for SKU " + sku);
            }
            int left = received;
            for (int i = 0; i < lines.size(); i++) {
                StoredReturnLine line = lines.get(i);
                int take = i == lines.size() - 1 ? left : Math.min(left, line.quantity);
                line.quantityReceived = take;
                line.restock = take;
                line.updatedAt = now;
                left -= take;
            }
        });
        stored.status = status;
        stored.updatedAt = now;
        touch(stored, now);
        return change(stored);
    }

    /** As {@link #receive}, with each SKU's restocked units and condition as the warehouse recorded them. */
    synchronized ReturnChange receiveLines(String returnId, Map<String, SandboxShipHero.LineReceipt> bySku,
                                           String status) {
        StoredReturn stored = existingReturn(returnId);
        Instant now = clock.instant();
        bySku.forEach((sku, receipt) -> {
            List<StoredReturnLine> lines = stored.lines.stream().filter(l -> l.orderLine.sku.equals(sku)).toList();
            if (lines.isEmpty()) {
                throw new IllegalArgumentException("Return " + returnId + " has no line for SKU " + sku);
            }
            int left = receipt.received();
            int restockLeft = receipt.restock() == null ? receipt.received() : receipt.restock();
            for (int i = 0; i < lines.size(); i++) {
                StoredReturnLine line = lines.get(i);
                int take = i == lines.size() - 1 ? left : Math.min(left, line.quantity);
                int restock = Math.min(take, restockLeft);
                line.quantityReceived = take;
                line.restock = restock;
                line.condition = receipt.condition();
                line.updatedAt = now;
                left -= take;
                restockLeft -= restock;
            }
        });
        stored.status = status;
        stored.updatedAt = now;
        touch(stored, now);
        return change(stored);
    }

    synchronized Optional<Map<String, Object>> returnShape(String id) {
        return Optional.ofNullable(returns.get(id)).map(ShipHeroShapes::returnShape);
    }

    synchronized List<Map<String, Object>> findReturns(Predicate<ReturnView> filter) {
        return returns.values().stream().filter(r -> filter.test(view(r))).map(ShipHeroShapes::returnShape).toList();
    }

    synchronized List<ReturnView> returnViews() {
        return returns.values().stream().map(ShipHeroStore::view).toList();
    }

    // ---- webhooks -------------------------------------------------------------------------------------------------

    /** webhook_create; the secret is shown in this answer only, as on ShipHero. */
    synchronized Map<String, Object> createWebhook(String customerAccountId, String name, String url,
            String shopName, String secret) {
        boolean taken = webhooks.stream().anyMatch(w -> w.name.equals(name)
                && Objects.equals(w.shopName, shopName) && Objects.equals(w.customerAccountId, customerAccountId));
        if (taken) {
            throw ShipHeroException.invalid(
                    "A webhook named '" + name + "' already exists for shop name '" + shopName + "'");
        }
        long legacyId = webhookIds.incrementAndGet();
        StoredWebhook webhook = new StoredWebhook(ShipHeroIds.encode("Webhook", legacyId), legacyId,
                customerAccountId, name, url, shopName, Objects.requireNonNull(secret));
        webhooks.add(webhook);
        return ShipHeroShapes.webhook(webhook, accountOf(customerAccountId), true);
    }

    /**
     * The Java-side shortcut: a subscription with a known secret, replacing one for the same URL. Its own shop name
     * keeps it from blocking a webhook_create the bridge may still send.
     */
    synchronized void subscribe(String customerAccountId, String name, String url, String secret) {
        webhooks.removeIf(w -> w.name.equals(name) && w.url.equals(url)
                && Objects.equals(w.customerAccountId, customerAccountId));
        long legacyId = webhookIds.incrementAndGet();
        webhooks.add(new StoredWebhook(ShipHeroIds.encode("Webhook", legacyId), legacyId, customerAccountId, name,
                url, SUBSCRIBE_SHOP_NAME, secret));
    }

    synchronized void deleteWebhook(String customerAccountId, String name, String shopName) {
        boolean removed = webhooks.removeIf(w -> w.name.equals(name) && Objects.equals(w.shopName, shopName)
                && Objects.equals(w.customerAccountId, customerAccountId));
        if (!removed) {
            throw ShipHeroException.notFound("Webhook not found");
        }
    }

    /** 0: never (the default); otherwise this many failed attempts in a row disable a webhook. */
    synchronized void disableWebhooksAfter(int failures) {
        disableAfterFailures = Math.max(0, failures);
    }

    /**
     * Every delivery attempt counts (ShipHero: "every non-2xx"); a success clears the count. Answers whether the
     * webhook still exists and is enabled, so the retries of a disabled one stop.
     */
    synchronized boolean deliveryAttempt(String webhookId, boolean delivered) {
        if (webhooks.stream().noneMatch(w -> w.id.equals(webhookId))) {
            return false;
        }
        if (disabled.contains(webhookId)) {
            return false;
        }
        int[] count = failuresInARow.computeIfAbsent(webhookId, k -> new int[1]);
        count[0] = delivered ? 0 : count[0] + 1;
        if (disableAfterFailures > 0 && count[0] >= disableAfterFailures) {
            disabled.add(webhookId);
            return false;
        }
        return true;
    }

    /** The docs-only {@code webhook_enable}: enabled again, healthy (not in the schema the sandbox serves). */
    synchronized void enableWebhook(String webhookId) {
        disabled.remove(webhookId);
        failuresInARow.remove(webhookId);
    }

    /** The docs' {@code enabled} and {@code health}: HEALTHY, WARNING from half the limit, UNHEALTHY when disabled. */
    synchronized List<WebhookState> webhookStates() {
        return webhooks.stream().map(w -> {
            int failures = failuresInARow.getOrDefault(w.id, new int[1])[0];
            boolean off = disabled.contains(w.id);
            String health = off ? "UNHEALTHY" : failures > 0 && disableAfterFailures > 0
                    && failures * 2 >= disableAfterFailures ? "WARNING" : "HEALTHY";
            return new WebhookState(w.id, w.customerAccountId, w.name, w.url, w.shopName, !off, health, failures);
        }).toList();
    }

    synchronized List<Map<String, Object>> webhookShapes(String customerAccountId) {
        return webhooks.stream().filter(w -> Objects.equals(w.customerAccountId, customerAccountId))
                .map(w -> ShipHeroShapes.webhook(w, accountOf(customerAccountId), false)).toList();
    }

    // ---- internals ------------------------------------------------------------------------------------------------

    private void touch(StoredReturn stored, Instant at) {
        if (returnChangesTouchOrder && at.isAfter(stored.order.updatedAt)) {
            stored.order.updatedAt = at;
        }
    }

    private StoredReturn existingReturn(String returnId) {
        StoredReturn stored = returns.get(returnId);
        if (stored == null) {
            throw ShipHeroException.notFound("Return not found");
        }
        return stored;
    }

    private String accountOf(String customerAccountId) {
        return customerAccountId != null ? customerAccountId : accountId;
    }

    private Map<String, Object> shape(StoredOrder order) {
        return ShipHeroShapes.order(order, accountOf(order.customerAccountId));
    }

    /** The return's current state plus the Return Update it triggers, captured together under the lock. */
    private ReturnChange change(StoredReturn stored) {
        List<WebhookTarget> targets = webhooks.stream()
                .filter(w -> w.name.equals(RETURN_UPDATE) && Objects.equals(w.customerAccountId, stored.customerAccountId))
                .filter(w -> !disabled.contains(w.id))
                .map(w -> new WebhookTarget(w.id, w.url, w.secret))
                .toList();
        return new ReturnChange(ShipHeroShapes.returnShape(stored), ReturnUpdatePayload.of(stored), targets);
    }

    private static ReturnView view(StoredReturn r) {
        Map<String, String> a = r.address;
        Address address = new Address(a.get("name"), a.get("address1"), a.get("address2"), a.get("city"),
                a.get("state"), a.get("country"), a.get("zip"), a.get("phone"));
        List<ReturnLineView> lines = r.lines.stream().map(l -> new ReturnLineView(l.id, l.legacyId, l.orderLine.sku,
                l.quantity, l.quantityReceived, l.restock, l.reason, l.condition)).toList();
        return new ReturnView(r.id, r.legacyId, r.order.id, r.partnerId, r.status, r.reason,
                (String) r.warehouse.get("id"), r.customerAccountId, r.labelType, r.labelCost, r.trackingNumber,
                r.shippingCarrier, r.shippingMethod, address, lines, r.totalExpected(), r.totalReceived(),
                List.copyOf(r.statusHistory), r.createdAt,
                r.dimensions == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(r.dimensions)));
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> listOfMaps(Object value) {
        List<Map<String, Object>> result = new ArrayList<>();
        if (value instanceof List<?> list) {
            for (Object item : list) {
                if (item != null) {
                    result.add((Map<String, Object>) item);
                }
            }
        }
        return result;
    }

    private static Map<String, String> stringMap(Object value) {
        Map<String, String> result = new LinkedHashMap<>();
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> result.put(String.valueOf(k), v == null ? null : String.valueOf(v)));
        }
        return result;
    }

    // ---- entities (mutable; only touched under the store's lock) --------------------------------------------------

    record ReturnChange(Map<String, Object> shape, Map<String, Object> payload, List<WebhookTarget> targets) {
    }

    record WebhookTarget(String webhookId, String url, String secret) {
    }
    static final class StoredOrder {
        final String id;
        final long legacyId;
        final String partnerOrderId;
        final String orderNumber;
        final String shopName;
        final String customerAccountId;
        final Instant orderDate;
        final SandboxShipHero.Customer customer;
        final List<StoredLine> lines = new ArrayList<>();
        final List<StoredReturn> returns = new ArrayList<>();
        Instant updatedAt;

        StoredOrder(String id, long legacyId, String partnerOrderId, String orderNumber, String shopName,
                String customerAccountId, Instant orderDate, SandboxShipHero.Customer customer) {
            this.customer = customer;
            this.id = id;
            this.legacyId = legacyId;
            this.partnerOrderId = partnerOrderId;
            this.orderNumber = orderNumber;
            this.shopName = shopName;
            this.customerAccountId = customerAccountId;
            this.orderDate = orderDate;
            this.updatedAt = orderDate;
        }
    }

    record StoredLine(String id, long legacyId, String sku, String partnerLineItemId, int quantity) {
    }

    static final class StoredReturn {
        final String id;
        final long legacyId;
        final StoredOrder order;
        final Map<String, Object> warehouse;
        final String customerAccountId;
        final Instant createdAt;
        final List<StoredReturnLine> lines = new ArrayList<>();
        final List<String> statusHistory = new ArrayList<>();
        Instant updatedAt;
        String status = "Pending";
        String partnerId;
        String reason;
        String labelType;
        String labelCost;
        Map<String, String> address = Map.of();
        Map<String, String> dimensions = Map.of();
        String shippingCarrier;
        String shippingMethod;
        String trackingNumber;
        Boolean displayIssueRefund;
        Long labelLegacyId;

        StoredReturn(String id, long legacyId, StoredOrder order, Map<String, Object> warehouse,
                String customerAccountId, Instant createdAt) {
            this.id = id;
            this.legacyId = legacyId;
            this.order = order;
            this.warehouse = warehouse;
            this.customerAccountId = customerAccountId;
            this.createdAt = createdAt;
            this.updatedAt = createdAt;
        }

        int totalExpected() {
            return lines.stream().mapToInt(l -> l.quantity).sum();
        }

        int totalReceived() {
            return lines.stream().mapToInt(l -> l.quantityReceived).sum();
        }

        int totalRestocked() {
            return lines.stream().mapToInt(l -> l.restock).sum();
        }

        String accountId() {
            return customerAccountId != null ? customerAccountId : (String) warehouse.get("account_id");
        }
    }

    static final class StoredReturnLine {
        final String id;
        final long legacyId;
        final StoredLine orderLine;
        final int quantity;
        final Instant createdAt;
        Instant updatedAt;
        int quantityReceived;
        int restock;
        String reason;
        String condition;
        Boolean isComponent;

        StoredReturnLine(String id, long legacyId, StoredLine orderLine, int quantity, Instant createdAt) {
            this.id = id;
            this.legacyId = legacyId;
            this.orderLine = orderLine;
            this.quantity = quantity;
            this.createdAt = createdAt;
            this.updatedAt = createdAt;
        }
    }

    record StoredWebhook(String id, long legacyId, String customerAccountId, String name, String url,
            String shopName, String secret) {
    }
}
