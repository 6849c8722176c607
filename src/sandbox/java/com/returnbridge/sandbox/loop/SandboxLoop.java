package com.returnbridge.sandbox.loop;

import com.returnbridge.sandbox.SandboxFaults;
import com.returnbridge.sandbox.SandboxWebhookSender;
import com.returnbridge.sandbox.loop.LoopReturnView.Label;
import com.returnbridge.sandbox.loop.LoopReturnView.LineItem;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import tools.jackson.databind.JsonNode;

/**
 * In-memory stand-in for one Loop Returns shop: its returns, API keys, webhook subscriptions and the action
 * calls it received. The "merchant side" (shoppers creating returns, carriers moving labels, staff acting in
 * Loop Admin) is this class's public API; the HTTP side lives in {@link SandboxLoopApi}.
 *
 * <p>Thread-safe: each return is an immutable snapshot replaced atomically, so concurrent actions on one return
 * see a consistent state machine without a global lock.
 *
 * <p>One class, over 300 lines: it is the one shop whose returns, keys, webhooks, action log and settings change
 * together (an action records its call, moves the return and fires webhooks), and its public methods are the
 * merchant-side handle that tests and the demo drive. The HTTP side ({@link SandboxLoopApi}), the actions
 * ({@link ReturnActions}), the queries ({@link ReturnQueries}) and the JSON ({@link LoopJson}) are already apart.
 */
public class SandboxLoop {

    public static final String SANDBOX_API_KEY = "sandbox-loop-api-key";
    public static final String DEFAULT_WEBHOOK_SECRET = "sandbox-loop-webhook-secret";
    public static final long SHOP_ID = 65432;
    public static final int DEFAULT_RATE_LIMIT_PER_MINUTE = 300;
    static final String SIGNATURE_HEADER = "X-Loop-Signature";

    /**
     * Counters since the last {@link #resetStats()}.
     *
     * @param requests        requests received per operation (details, list, process, ..., webhooks)
     * @param unauthorized    requests refused with 401
     * @param tooManyRequests 429 answers, from the rate limit or an injected fault
     * @param faults          injected faults applied per operation
     * @param webhooksQueued  webhook deliveries handed to the sender (before its drop/duplicate faults)
     */
    public record Stats(Map<String, Long> requests, long unauthorized, long tooManyRequests,
            Map<String, Long> faults, long webhooksQueued) {

        public long requests(String operation) {
            return requests.getOrDefault(operation, 0L);
        }
    }

    /** A return before and after an atomic update; {@code changed()} is false when the update kept it. */
    record Change(LoopReturnView before, LoopReturnView after) {
        boolean changed() {
            return before != after;
        }
    }

    record Note(long id, String content, Instant createdAt) {
    }

    private final SandboxWebhookSender webhookSender;
    private final Clock clock;
    private final SandboxFaults faults = new SandboxFaults();
    private final StatsCounter stats = new StatsCounter();
    private final Set<String> apiKeys = ConcurrentHashMap.newKeySet();
    private final RateLimiter rateLimiter = new RateLimiter(DEFAULT_RATE_LIMIT_PER_MINUTE);
    private final Map<Long, LoopReturnView> returns = new ConcurrentHashMap<>();
    private final Map<Long, List<Note>> notes = new ConcurrentHashMap<>();
    private final Queue<ActionCall> actions = new ConcurrentLinkedQueue<>();
    private final Map<Long, LoopWebhook> webhooks = new ConcurrentHashMap<>();
    private final Dispositioning dispositioning = new Dispositioning(this);
    private volatile boolean restocksInLoop;

    // Start high so the ids look like Loop's and never collide with small test constants.
    // Seeded from the clock: the bridge's database outlives a restart of the simulator, so ids must not repeat.
    private final AtomicLong returnIds = new AtomicLong(100_000_000L + System.currentTimeMillis() / 10 % 1_000_000_000L);
    private final Map<Long, String> shopOfReturn = new java.util.concurrent.ConcurrentHashMap<>();
    private final AtomicLong lineItemIds = new AtomicLong(99120001);
    private final AtomicLong loopOrderIds = new AtomicLong(31877120);
    private final AtomicLong providerLineItemIds = new AtomicLong(14400000000001L);
    private final AtomicLong noteIds = new AtomicLong(5501);
    private final AtomicLong webhookIds = new AtomicLong(7001);
    private final AtomicLong shipmentIds = new AtomicLong(880001);

    private volatile boolean allowFlaggedProcess = true;
    private volatile String webhookSecret = DEFAULT_WEBHOOK_SECRET;
    private volatile String reviewStateInWebhooks = REVIEW_AS_DOCUMENTED;

    /** The return webhook's spelling of the review state in Loop's webhook reference. */
    public static final String REVIEW_AS_DOCUMENTED = "needs review";

    /** How Loop's docs and clients disagree on an action's success body (loop.md §0): the sandbox plays either. */
    public enum SuccessBody {
        /** The JSON string {@code "true"}, as the reference types it (default). */
        STRING,
        /** The bare JSON boolean {@code true}, as a public client parses it. */
        BOOLEAN
    }

    private volatile SuccessBody successBody = SuccessBody.STRING;
    private volatile int webhookCreateStatus = 201;
    private volatile java.time.Duration processingDelay = java.time.Duration.ofMillis(100);
    private volatile boolean processingWebhooks = true;
    private final Set<Long> processing = ConcurrentHashMap.newKeySet();
    private final java.util.concurrent.ScheduledExecutorService processor =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "sandbox-loop-processing");
                t.setDaemon(true);
                return t;
            });

    public SandboxLoop(SandboxWebhookSender webhookSender) {
        this(webhookSender, Clock.systemUTC());
    }

    public SandboxLoop(SandboxWebhookSender webhookSender, Clock clock) {
        this.webhookSender = webhookSender;
        this.clock = clock;
    }

    // --- configuration ---------------------------------------------------------------------------------------

    /** A return made for a shop belongs to that shop's key; one made for no shop is every key's. */
    public boolean isOfShop(long returnId, String apiKey) {
        String shop = shopOfReturn.get(returnId);
        return shop == null || shop.equals(apiKey);
    }

    public void addApiKey(String apiKey) {
        apiKeys.add(apiKey);
    }

    /** Requests per minute per API key; zero or less disables the limit. Default 300, as Loop documents. */
    public void setRateLimitPerMinute(int perMinute) {
        rateLimiter.setPerMinute(perMinute);
    }

    /**
     * Loop's "Allow flagged returns to process" merchant setting. Defaults to true here (Loop's default is false)
     * so that the happy path needs no support ticket; turn it off to rehearse UNPROCESSABLE_FLAGGED_RETURN.
     */
    public void setAllowFlaggedProcess(boolean allow) {
        this.allowFlaggedProcess = allow;
    }

    /**
     * How return webhooks spell the review state: {@value #REVIEW_AS_DOCUMENTED} (the webhook reference, the default)
     * or {@code review} (the list API's filter value, which some payloads may carry too). The API always says review.
     */
    public void setReviewStateInWebhooks(String spelling) {
        if (!REVIEW_AS_DOCUMENTED.equals(spelling) && !LoopReturnView.REVIEW.equals(spelling)) {
            throw new IllegalArgumentException("review state spelling must be 'needs review' or 'review'");
        }
        this.reviewStateInWebhooks = spelling;
    }

    /** The shop secret that signs webhooks created through the programmatic API. */
    public void setWebhookSecret(String secret) {
        this.webhookSecret = secret;
    }

    public SandboxFaults faults() {
        return faults;
    }

    /** The body of an action's success: the JSON string "true" (default) or the bare JSON true. */
    public void setSuccessBody(SuccessBody body) {
        this.successBody = body;
    }

    /** What {@code POST /webhooks} answers: 201 Created as Loop's current reference says (default), or 200. */
    public void setWebhookCreateStatus(int status) {
        this.webhookCreateStatus = status;
    }

    /** How long after Process is accepted the queued processing finishes (default 100 ms). */
    public void setProcessingDelay(java.time.Duration delay) {
        this.processingDelay = delay;
    }

    /**
     * Whether a finished processing sends {@code return.updated} + {@code return.closed} (default true). Off, the
     * return still closes, silently: what a lost delivery looks like to the receiver.
     */
    public void setProcessingWebhooks(boolean send) {
        this.processingWebhooks = send;
    }

    /** Loop's Item Grading and Disposition endpoints: what they took, and their switches. */
    public Dispositioning dispositioning() {
        return dispositioning;
    }

    /**
     * The merchant restocks in Loop (restock on, "restock on processing events" on): a processed return fires
     * {@code restock.requested} (topic {@code restock}) once it closes. Off by default, as the bridge requires.
     */
    public void setRestocksInLoop(boolean restocks) {
        this.restocksInLoop = restocks;
    }

    public Stats stats() {
        return stats.snapshot();
    }

    public void resetStats() {
        stats.reset();
    }

    // --- shopper, carrier and Loop Admin side -------------------------------------------------------------

    /**
     * Submits a return. Fires {@code return.created}; when the spec carries a label it is generated right
     * after, as Loop does, firing {@code label.created} — so the created webhook itself has no label yet.
     */
    public LoopReturnView createReturn(NewReturn spec) {
        return createReturn(spec, null);
    }

    /**
     * A return in the shop of {@code shopKey} (an API key): only that shop's subscriptions hear of it, so several
     * connections can share one simulator as several merchants share Loop.
     */
    public LoopReturnView createReturn(NewReturn spec, String shopKey) {
        Instant now = now();
        List<LineItem> items = new ArrayList<>();
        for (NewReturn.Item item : spec.items()) {
            String providerLineItemId = Long.toString(providerLineItemIds.getAndIncrement());
            for (int unit = 0; unit < item.count(); unit++) {
                items.add(new LineItem(lineItemIds.getAndIncrement(), providerLineItemId,
                        syntheticId(8000000000000L, item.sku()), syntheticId(45000000000000L, item.sku()),
                        item.sku(), barcode(item.sku()), item.title(), item.unitPrice(), item.reason(),
                        parentReason(item.reason()), now, item.outcome()));
            }
        }
        LoopReturnView created = new LoopReturnView(returnIds.getAndIncrement(), LoopReturnView.OPEN,
                loopOrderIds.getAndIncrement(), spec.orderName(), spec.providerOrderId(), spec.email(),
                spec.firstName(), spec.lastName(), spec.address(), "USD", items, null, now, now, null);
        returns.put(created.id(), created);
        if (shopKey != null) {
            shopOfReturn.put(created.id(), shopKey);
        }
        fire("return.created", created);
        if (spec.label() != null) {
            createLabel(created.id(), spec.label().carrier(), spec.label().trackingNumber());
        }
        return returnById(created.id()).orElseThrow();
    }

    /** A label is generated (status "new"); fires {@code label.created}. */
    public void createLabel(long returnId, String carrier, String trackingNumber) {
        Instant now = now();
        String shipmentId = Long.toString(shipmentIds.getAndIncrement());
        Label label = new Label(carrier, trackingNumber, "new",
                "https://labels.sandbox.loopreturns.com/labels/" + shipmentId + ".pdf", new BigDecimal("7.85"),
                shipmentId, now);
        fire("label.created", require(update(returnId, r -> r.withLabel(label, now))).after());
    }

    /** The carrier reports progress (pre_transit, in_transit, delivered, ...); fires {@code label.updated}. */
    public void updateLabel(long returnId, String labelStatus) {
        Instant now = now();
        Change change = require(update(returnId, r -> {
            Label old = r.currentLabel().orElseThrow(() -> new IllegalStateException("return has no label"));
            Label moved = new Label(old.carrier(), old.trackingNumber(), labelStatus, old.url(), old.rate(),
                    old.shipmentId(), now);
            return r.withLabel(moved, now);
        }));
        fire("label.updated", change.after());
    }

    /** Cancelled in Loop Admin (or by the shopper). */
    public void cancel(long returnId) {
        adminTransition(returnId, LoopReturnView.CANCELLED);
    }

    /** The label went unused past its window. */
    public void expire(long returnId) {
        adminTransition(returnId, LoopReturnView.EXPIRED);
    }

    /** Staff close or process the return in Loop Admin, behind the bridge's back. */
    public void closeInAdmin(long returnId) {
        adminTransition(returnId, LoopReturnView.CLOSED);
    }

    /**
     * Adds a subscription with its own secret, as if created in Loop Admin. Active at once.
     *
     * @return the subscription id
     */
    public long subscribe(String topic, String trigger, String url, String secret) {
        return subscribe(topic, trigger, url, secret, null);
    }

    /** As above, hearing only the returns of the shop of {@code shopKey} (null: every shop). */
    public long subscribe(String topic, String trigger, String url, String secret, String shopKey) {
        long id = webhookIds.getAndIncrement();
        webhooks.put(id, new LoopWebhook(id, topic, trigger, url, "active", secret, shopKey));
        return id;
    }

    // --- inspection ------------------------------------------------------------------------------------------

    public Optional<LoopReturnView> returnById(long id) {
        return Optional.ofNullable(returns.get(id));
    }

    /** All returns, oldest first. */
    public List<LoopReturnView> returns() {
        return returns.values().stream().sorted(Comparator.comparingLong(LoopReturnView::id)).toList();
    }

    public List<ActionCall> actions(long returnId) {
        return actions.stream().filter(a -> a.returnId() == returnId).toList();
    }

    public List<ActionCall> allActions() {
        return List.copyOf(actions);
    }

    public List<String> notes(long returnId) {
        return noteList(returnId).stream().map(Note::content).toList();
    }

    public List<LoopWebhook> webhooks() {
        return webhooks.values().stream().sorted(Comparator.comparingLong(LoopWebhook::id)).toList();
    }

    // --- used by the HTTP side -------------------------------------------------------------------------------

    Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.SECONDS);
    }

    boolean isApiKey(String key) {
        return key != null && apiKeys.contains(key);
    }

    boolean admit(String key) {
        return rateLimiter.admit(key, clock.millis());
    }

    StatsCounter statsCounter() {
        return stats;
    }

    boolean allowFlaggedProcess() {
        return allowFlaggedProcess;
    }

    int webhookCreateStatus() {
        return webhookCreateStatus;
    }

    LoopAnswer success() {
        return successBody == SuccessBody.BOOLEAN ? LoopAnswer.TRUE_BOOLEAN : LoopAnswer.TRUE;
    }

    LoopAnswer successAgain() {
        return successBody == SuccessBody.BOOLEAN ? LoopAnswer.TRUE_BOOLEAN_AGAIN : LoopAnswer.TRUE_AGAIN;
    }

    /**
     * Queues the processing of a return Process was accepted for; false when one is queued already (Loop still shows
     * the return open meanwhile). It finishes on the simulator's own thread after the processing delay.
     */
    boolean queueProcessing(long returnId, boolean fails, String failureMessage) {
        if (!processing.add(returnId)) {
            return false;
        }
        processor.schedule(() -> finishProcessing(returnId, fails, failureMessage),
                Math.max(0, processingDelay.toMillis()), java.util.concurrent.TimeUnit.MILLISECONDS);
        return true;
    }

    private void finishProcessing(long returnId, boolean fails, String failureMessage) {
        try {
            if (fails) {
                returnById(returnId).ifPresent(r -> fireProcessingFailed(r, failureMessage));
                return;
            }
            Optional<Change> change = update(returnId, r -> r.is(LoopReturnView.OPEN) || r.is(LoopReturnView.REVIEW)
                    ? r.withState(LoopReturnView.CLOSED, now()) : r);
            if (change.isPresent() && change.get().changed() && processingWebhooks) {
                fire("return.updated", change.get().after());
                fire("return.closed", change.get().after());
            }
            if (change.isPresent() && change.get().changed() && restocksInLoop) {
                fire("restock.requested", change.get().after());
            }
        } catch (RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(SandboxLoop.class).warn("sandbox Loop processing of {} failed: {}",
                    returnId, e.toString());
        } finally {
            processing.remove(returnId);
        }
    }

    /** Loop's "Return processing" webhook: its own body (return_id, no id), to the subscriptions on that trigger. */
    private void fireProcessingFailed(LoopReturnView view, String message) {
        String shopKey = shopOfReturn.get(view.id());
        byte[] body = LoopJson.bytes(LoopJson.processingFailedWebhook(view, message));
        for (LoopWebhook webhook : webhooks()) {
            if (!webhook.active() || !webhook.trigger().equals("return.processing.failed") || !webhook.hears(shopKey)) {
                continue;
            }
            String secret = webhook.secret() != null ? webhook.secret() : webhookSecret;
            stats.webhookQueued();
            webhookSender.send(webhook.url(), SIGNATURE_HEADER, secret, body, Map.of());
        }
    }

    /** Atomically replaces the return with {@code change(current)}; empty when the id is unknown. */
    Optional<Change> update(long id, UnaryOperator<LoopReturnView> change) {
        LoopReturnView[] before = new LoopReturnView[1];
        LoopReturnView after = returns.computeIfPresent(id, (k, current) -> {
            before[0] = current;
            return change.apply(current);
        });
        return after == null ? Optional.empty() : Optional.of(new Change(before[0], after));
    }

    void record(ActionCall call) {
        actions.add(call);
    }

    void addNote(long returnId, String content) {
        notes.computeIfAbsent(returnId, k -> new CopyOnWriteArrayList<>())
                .add(new Note(noteIds.getAndIncrement(), content, now()));
    }

    List<Note> noteList(long returnId) {
        return List.copyOf(notes.getOrDefault(returnId, List.of()));
    }

    LoopWebhook addWebhook(String topic, String trigger, String url, String status, String shopKey) {
        long id = webhookIds.getAndIncrement();
        LoopWebhook webhook = new LoopWebhook(id, topic, trigger, url, status, null, shopKey);
        webhooks.put(id, webhook);
        return webhook;
    }

    Optional<LoopWebhook> replaceWebhook(long id, UnaryOperator<LoopWebhook> change) {
        return Optional.ofNullable(webhooks.computeIfPresent(id, (k, w) -> change.apply(w)));
    }

    boolean removeWebhook(long id) {
        return webhooks.remove(id) != null;
    }

    /**
     * Sends the event to every active subscription on this trigger, in the shape of the subscription's topic.
     * A topic that does not fit the event (a label topic before any label exists) gets an empty object, which
     * is what Loop documents for mismatched pairs.
     */
    void fire(String trigger, LoopReturnView view) {
        Map<String, byte[]> bodyByTopic = new HashMap<>();
        String shopKey = shopOfReturn.get(view.id());
        for (LoopWebhook webhook : webhooks()) {
            if (!webhook.active() || !webhook.trigger().equals(trigger) || !webhook.hears(shopKey)) {
                continue;
            }
            byte[] body = bodyByTopic.computeIfAbsent(webhook.topic(), topic -> LoopJson.bytes(payload(topic, trigger, view)));
            String secret = webhook.secret() != null ? webhook.secret() : webhookSecret;
            stats.webhookQueued();
            webhookSender.send(webhook.url(), SIGNATURE_HEADER, secret, body, Map.of());
        }
    }

    private JsonNode payload(String topic, String trigger, LoopReturnView view) {
        if ("return".equals(topic)) {
            var body = LoopJson.returnWebhook(view, trigger);
            if (view.is(LoopReturnView.REVIEW)) {
                body.put("state", reviewStateInWebhooks);
            }
            return body;
        }
        if ("restock".equals(topic)) {
            // Loop publishes no restock payload beyond "the items to restock": the return's shape, topic restock
            return LoopJson.returnWebhook(view, trigger).put("topic", "restock");
        }
        if ("label".equals(topic) && view.label() != null) {
            return LoopJson.labelWebhook(view, trigger);
        }
        return LoopJson.object();
    }

    private void adminTransition(long returnId, String state) {
        Instant now = now();
        Change change = require(update(returnId, r -> r.withState(state, now)));
        fire("return.updated", change.after());
        if (LoopReturnView.CLOSED.equals(state)) {
            fire("return.closed", change.after());
        }
    }

    private static Change require(Optional<Change> change) {
        return change.orElseThrow(() -> new NoSuchElementException("no such Loop return"));
    }

    /** Stable per SKU, so the same product gets the same Shopify ids across returns. */
    private static String syntheticId(long base, String sku) {
        return Long.toString(base + Math.floorMod(sku.hashCode(), 1_000_000_000));
    }

    private static String barcode(String sku) {
        return String.format("08%011d", Math.floorMod(sku.hashCode(), 100_000_000_000L));
    }

    private static String parentReason(String reason) {
        String r = reason.toLowerCase(Locale.ROOT);
        if (r.contains("small") || r.contains("large") || r.contains("big") || r.contains("fit")) {
            return "Didn't fit";
        }
        if (r.contains("damag") || r.contains("defect") || r.contains("broken")) {
            return "Damaged or defective";
        }
        return "Other";
    }
}
