package com.returnbridge.sandbox.shiphero;

import com.returnbridge.sandbox.SandboxFaults;
import com.returnbridge.sandbox.SandboxWebhookSender;
import com.returnbridge.sandbox.shiphero.ShipHeroStore.ReturnChange;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import tools.jackson.databind.json.JsonMapper;

/**
 * An in-process ShipHero: one account (optionally a 3PL with customer accounts), one warehouse, orders, returns
 * and webhook subscriptions, reached through ShipHero's real HTTP and JSON shapes ({@link #handleGraphQlRequest},
 * {@link #handleRefreshRequest}) or driven directly from tests (create orders, receive returns, inject faults).
 * Thread-safe; holds no Spring state so tests can use it without a context.
 */
public final class SandboxShipHero {

    public static final String RETURN_UPDATE = ShipHeroStore.RETURN_UPDATE;

    private final SecureRandom random = new SecureRandom();
    private final SandboxFaults faults = new SandboxFaults();
    private final ShipHeroTokens tokens = new ShipHeroTokens();
    private final ShipHeroStats stats = new ShipHeroStats();
    private final ShipHeroStore store;
    private final CreditBucket credits;
    private final ReturnUpdateNotifier notifier;
    private final ShipHeroEndpoint endpoint;

    public SandboxShipHero(SandboxWebhookSender webhooks) {
        this(webhooks, Clock.systemUTC(), List.of());
    }

    public SandboxShipHero(SandboxWebhookSender webhooks, Clock clock) {
        this(webhooks, clock, List.of());
    }

    /** {@code customerAccountIds}: the 3PL's child accounts (none for a plain merchant account). */
    public SandboxShipHero(SandboxWebhookSender webhooks, Clock clock, List<String> customerAccountIds) {
        JsonMapper json = JsonMapper.builder().build();
        this.store = new ShipHeroStore(clock, customerAccountIds);
        this.credits = new CreditBucket(clock, CreditModel.SHIPHERO);
        this.notifier = new ReturnUpdateNotifier(Objects.requireNonNull(webhooks), json, store::deliveryAttempt);
        ShipHeroGraphQl graphQl = new ShipHeroGraphQl(store, this::userQuota, notifier::publish, this::newSecret);
        this.endpoint = new ShipHeroEndpoint(tokens, faults, credits, graphQl, stats, json);
    }

    // ---- HTTP entry points (used by the controller) ---------------------------------------------------------------

    /** {@code POST /graphql}: {@code authorization} is the raw header, {@code body} the raw JSON request. */
    public GraphQlAnswer handleGraphQlRequest(String authorization, String body) {
        return endpoint.graphQlRequest(authorization, body);
    }

    /** {@code POST /auth/refresh} with body {@code {"refresh_token":"…"}}. */
    public GraphQlAnswer handleRefreshRequest(String body) {
        return endpoint.refreshRequest(body);
    }

    /** The GraphQL endpoint minus HTTP parsing, with the same auth, faults, credits and response shape. */
    public GraphQlAnswer execute(String accessToken, String query, Map<String, Object> variables) {
        return execute(accessToken, query, variables, null);
    }

    public GraphQlAnswer execute(String accessToken, String query, Map<String, Object> variables,
            String operationName) {
        return endpoint.execute(accessToken, query, variables, operationName);
    }

    /** The refresh endpoint minus HTTP parsing (faults under {@code "auth_refresh"} apply). */
    public GraphQlAnswer refresh(String refreshToken) {
        return endpoint.refresh(refreshToken);
    }

    // ---- tokens ---------------------------------------------------------------------------------------------------

    /** Accepts {@code refreshToken} from now on (a random one when null) and returns it. */
    public String addRefreshToken(String refreshToken) {
        return tokens.addRefreshToken(refreshToken);
    }

    /** A valid access token without going through the refresh endpoint (no faults, not counted). */
    public String issueAccessToken() {
        return tokens.issueAccessToken();
    }

    /** Every access token issued so far stops working: the next GraphQL call answers HTTP 401. */
    public void expireAccessTokens() {
        tokens.expireAccessTokens();
    }

    // ---- account data ---------------------------------------------------------------------------------------------

    public String accountId() {
        return store.accountId();
    }

    /** API id of the seeded warehouse "Primary" (legacy id 11790). */
    public String warehouseId() {
        return store.primaryWarehouseId();
    }

    public void addCustomerAccount(String customerAccountId) {
        store.addCustomerAccount(Objects.requireNonNull(customerAccountId));
    }

    /** An order as ShipHero would have imported it from the shop; {@code customerAccountId} null for own orders. */
    public Order createOrder(String partnerOrderId, String orderNumber, String shopName, String customerAccountId,
            Map<String, Integer> quantityBySku) {
        return store.createOrder(partnerOrderId, orderNumber, shopName, customerAccountId, quantityBySku, null);
    }

    /**
     * As above, for a given customer: ShipHero keeps the shop's order email and shipping address, which tell apart
     * orders of several stores that share an order number.
     */
    public Order createOrder(String partnerOrderId, String orderNumber, String shopName, String customerAccountId,
            Map<String, Integer> quantityBySku, Customer customer) {
        return store.createOrder(partnerOrderId, orderNumber, shopName, customerAccountId, quantityBySku, customer);
    }

    /** Same effect as webhook_create, but with a secret the caller knows. */
    public void subscribe(String customerAccountId, String name, String url, String sharedSecret) {
        store.subscribe(customerAccountId, name, url, sharedSecret);
    }

    /**
     * ShipHero's webhook health (since 2026-04-20, shiphero.md §14.4): after this many failed delivery attempts in a
     * row (every non-2xx and every network error counts, retries too) a webhook is disabled — it stays listed, its
     * deliveries and their retries stop. The docs give no threshold: 0, the default, never disables.
     */
    public void disableWebhooksAfter(int failedAttemptsInARow) {
        store.disableWebhooksAfter(failedAttemptsInARow);
    }

    /** The docs-only {@code webhook_enable}, as a merchant would do it in ShipHero once the endpoint is fixed. */
    public void enableWebhook(String webhookId) {
        store.enableWebhook(webhookId);
    }

    /** Every webhook with the docs-only {@code enabled} and {@code health} (not in the schema the sandbox serves). */
    public List<WebhookState> webhookStates() {
        return store.webhookStates();
    }

    /** A status change made in ShipHero's UI; fires "Return Update". */
    public void setStatus(String returnId, String status) {
        notifier.publish(knownReturn(returnId, () -> store.updateStatus(returnId, status, false)));
    }

    /** The warehouse received (and restocked) these units; sets the status and fires "Return Update". */
    public void receive(String returnId, Map<String, Integer> receivedBySku, String status) {
        notifier.publish(knownReturn(returnId, () -> store.receive(returnId, receivedBySku, status)));
    }

    /**
     * What the warehouse recorded for one SKU: units received, units put back to stock (null: all received ones) and
     * its condition word (null: none).
     */
    public record LineReceipt(int received, Integer restock, String condition) {
    }

    /** The warehouse received these units per SKU, with restock and condition; sets the status, fires "Return Update". */
    public void receiveLines(String returnId, Map<String, LineReceipt> bySku, String status) {
        notifier.publish(knownReturn(returnId, () -> store.receiveLines(returnId, bySku, status)));
    }

    public List<ReturnView> returns() {
        return store.returnViews();
    }

    public List<ReturnView> returnsByPartnerId(String partnerId) {
        return returns().stream().filter(r -> Objects.equals(partnerId, r.partnerId())).toList();
    }

    public Optional<ReturnView> returnById(String id) {
        return returns().stream().filter(r -> r.id().equals(id)).findFirst();
    }

    /**
     * ShipHero's docs do not say whether a return's creation, status change or receipt moves its order's
     * {@code updated_at} (what {@code orders(updated_from, updated_to)} filters on). {@code true}: it does;
     * {@code false} (the default, the cautious reading): orders move only when ShipHero itself changes them.
     */
    public void setReturnChangesTouchOrder(boolean touch) {
        store.returnChangesTouchOrder(touch);
    }

    public boolean returnChangesTouchOrder() {
        return store.returnChangesTouchOrder();
    }

    /**
     * An order with one unit of {@code sku} and an RMA for it, both as if made at {@code createdAt} (order imported,
     * then return_create), without a webhook: the benchmark seeds months of waiting RMAs this way in seconds.
     */
    public SeededReturn seedReturn(String sku, String partnerId, Instant createdAt) {
        Order order = store.createOrder("seed-" + partnerId, "#S" + partnerId, "seed-shop.myshopify.com", null,
                Map.of(sku, 1), null, createdAt);
        Map<String, Object> data = new java.util.LinkedHashMap<>();
        data.put("order_id", order.id());
        data.put("warehouse_id", warehouseId());
        data.put("partner_id", partnerId);
        data.put("line_items", List.of(Map.of("sku", sku, "quantity", 1, "return_reason", "seeded")));
        Map<String, Object> rma = store.createReturn(data, createdAt).shape();
        return new SeededReturn(order.id(), (String) rma.get("id"), ((Number) rma.get("legacy_id")).longValue());
    }

    public record SeededReturn(String orderId, String rmaId, long rmaLegacyId) {
    }

    // ---- faults, credits, stats -----------------------------------------------------------------------------------

    /** Keyed by top-level GraphQL field name ({@code return_create}, {@code orders}, …) or {@code "auth_refresh"}. */
    public SandboxFaults faults() {
        return faults;
    }

    /** Replaces the credit model; the bucket starts full. */
    public void setCreditModel(CreditModel model) {
        credits.setModel(Objects.requireNonNull(model, "use disableCreditModel()"));
    }

    /** No throttling at all (complexity is still computed and reported). */
    public void disableCreditModel() {
        credits.setModel(null);
    }

    /** The current model, or null when disabled. */
    public CreditModel creditModel() {
        return credits.model();
    }

    public double creditsRemaining() {
        return credits.available();
    }

    public Stats stats() {
        return stats.snapshot();
    }

    public void resetStats() {
        stats.reset();
    }

    /** ShipHero's "not found" is an API answer; called from Java it is a caller mistake. */
    private static ReturnChange knownReturn(String returnId, Supplier<ReturnChange> change) {
        try {
            return change.get();
        } catch (ShipHeroException e) {
            throw new IllegalArgumentException(e.getMessage() + ": " + returnId, e);
        }
    }

    private Map<String, Object> userQuota() {
        CreditModel model = credits.model();
        CreditModel shown = model != null ? model : CreditModel.SHIPHERO;
        int remaining = model != null ? (int) Math.floor(credits.available()) : shown.bucketSize();
        return Map.of("credits_remaining", remaining, "max_available", shown.bucketSize(),
                "increment_rate", (int) Math.round(shown.refillPerSecond()));
    }

    private String newSecret() {
        byte[] bytes = new byte[24];
        random.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    // ---- public value types ---------------------------------------------------------------------------------------

    /** ShipHero's credit quota: {@code bucketSize} credits, refilled at {@code refillPerSecond}. */
    public record CreditModel(int bucketSize, double refillPerSecond) {
        /** The numbers third parties report for ShipHero today: 4,004 credits, +60/s. */
        public static final CreditModel SHIPHERO = new CreditModel(4004, 60);

        public CreditModel {
            if (bucketSize <= 0 || refillPerSecond <= 0) {
                throw new IllegalArgumentException("bucketSize and refillPerSecond must be positive");
            }
        }
    }

    /** One HTTP answer: status, JSON body, and extra headers (e.g. Retry-After on 429). */
    public record GraphQlAnswer(int status, String body, Map<String, String> headers) {
    }

    public record Order(String id, long legacyId, String orderNumber) {
    }

    /** The order's customer: its {@code email} and the name on its {@code shipping_address}. */
    public record Customer(String email, String firstName, String lastName) {
    }

    public record Address(String name, String address1, String address2, String city, String state, String country,
            String zip, String phone) {
    }

    public record ReturnLineView(String id, long legacyId, String sku, int quantity, int quantityReceived,
            int restock, String reason, String condition) {
    }

    /** A read-only copy of a return; {@code statusHistory} lists statuses set through return_update_status. */
    public record ReturnView(String id, long legacyId, String orderId, String partnerId, String status,
            String reason, String warehouseId, String customerAccountId, String labelType, String labelCost,
            String trackingNumber, String shippingCarrier, String shippingMethod, Address address,
            List<ReturnLineView> lines, int totalItemsExpected, int totalItemsReceived, List<String> statusHistory,
            Instant createdAt, Map<String, String> dimensions) {
    }

    /** What ShipHero's UI (and its newer, docs-only fields) shows of a webhook. */
    public record WebhookState(String id, String customerAccountId, String name, String url, String shopName,
            boolean enabled, String health, int failuresInARow) {
    }

    /**
     * Counters since the last {@link #resetStats()}; {@code requestsByOperation} and {@code creditsByOperation} are
     * keyed by top-level field.
     */
    public record Stats(Map<String, Long> requestsByOperation, long totalRequests, long creditsSpent,
            long throttled, long unauthorized, long faultsApplied, Map<String, Long> creditsByOperation) {
    }
}
