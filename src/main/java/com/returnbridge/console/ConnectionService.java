package com.returnbridge.console;

import com.returnbridge.bridge.Conflict;
import com.returnbridge.bridge.LoopReads;
import com.returnbridge.bridge.LoopReturn;
import com.returnbridge.bridge.NotFound;
import com.returnbridge.bridge.Timeline;
import com.returnbridge.bridge.VendorException;
import com.returnbridge.bridge.WarehouseApi;
import com.returnbridge.connection.Connection;
import com.returnbridge.connection.ConnectionProperties;
import com.returnbridge.connection.Connections;
import com.returnbridge.connection.ReceiptRule;
import com.returnbridge.connection.Secret;
import com.returnbridge.connection.StatusAction;
import com.returnbridge.connection.StatusPolicy;
import com.returnbridge.loop.LoopAdminClient;
import com.returnbridge.monitor.ShipHeroWebhookCheck;
import com.returnbridge.shiphero.ShipHeroAdminClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;

/** Create and edit connections (with their RMA defaults) and the "Connect" onboarding flow. */
@Service
public class ConnectionService {

    /** Topic = the trigger less its last part: return.created → return, return.processing.failed → return.processing. */
    public static final List<String> LOOP_TRIGGERS = List.of("return.created", "return.updated", "return.closed",
            "label.created", "label.updated", "return.processing.failed");
    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9_-]{0,49}");

    public record Step(String name, boolean ok, String detail) {
    }

    /**
     * What Connect did, step by step, what to choose, and what the merchant must still do by hand in Loop.
     * {@code shopNames}: the ShipHero stores seen in the account's orders; {@code proposedShopName}: the one Connect
     * proposes as the connection's shop name (null when it cannot tell, or one is set already); never set by Connect.
     */
    public record ConnectReport(String connectionId, boolean ok, List<Step> steps,
                                List<ShipHeroAdminClient.Warehouse> warehouses,
                                List<ShipHeroAdminClient.CustomerAccount> customerAccounts,
                                List<String> checklist, List<String> shopNames, String proposedShopName) {
    }

    private final Connections connections;
    private final ConnectionProperties properties;
    private final LoopAdminClient loopAdmin;
    private final ShipHeroAdminClient shipheroAdmin;
    private final Timeline timeline;
    private final String publicUrl;
    private final ShipHeroWebhookCheck webhookCheck;
    private final WarehouseApi warehouse;
    private final LoopReads loopReads;
    private final Clock clock;

    public ConnectionService(Connections connections, ConnectionProperties properties, LoopAdminClient loopAdmin,
                             ShipHeroAdminClient shipheroAdmin, Timeline timeline,
                             @Value("${returnbridge.public-url:}") String publicUrl,
                             ShipHeroWebhookCheck webhookCheck, WarehouseApi warehouse, LoopReads loopReads,
                             Clock clock) {
        this.warehouse = warehouse;
        this.loopReads = loopReads;
        this.clock = clock;
        this.connections = connections;
        this.properties = properties;
        this.loopAdmin = loopAdmin;
        this.shipheroAdmin = shipheroAdmin;
        this.timeline = timeline;
        this.publicUrl = publicUrl == null ? "" : publicUrl.replaceAll("/+$", "");
        this.webhookCheck = webhookCheck;
    }

    public List<ConnectionView> views() {
        return connections.all().stream().map(this::view).toList();
    }

    public Optional<ConnectionView> view(String id) {
        return connections.find(id).map(this::view);
    }

    public Connection connection(String id) {
        return connections.find(id).orElseThrow(() -> new NotFound("no connection " + id));
    }

    ConnectionView view(Connection c) {
        return ConnectionView.of(c, connections.origin(c.id()).name().toLowerCase(), connections.isPaused(c.id()));
    }

    // ---------------------------------------------------------------- create and edit

    public ConnectionView create(ConnectionInput input, String by) {
        String id = input.id() == null ? "" : input.id().trim();
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("connection id must be 1-50 characters: lower-case letters, digits, "
                    + "'-' or '_' (it appears in the webhook URLs)");
        }
        if (connections.find(id).isPresent()) {
            throw new Conflict("connection " + id + " already exists");
        }
        Connection created = merge(id, null, input);
        connections.save(created, by);
        timeline.record(null, id, null, "CONNECTION_CREATED", "connection created by " + by);
        return view(created);
    }

    public ConnectionView update(String id, ConnectionInput input, String by) {
        Connection existing = connections.find(id).orElseThrow(() -> new NotFound("no connection " + id));
        Connection updated = merge(id, existing, input);
        connections.save(updated, by);
        timeline.record(null, id, null, "CONNECTION_EDITED", "settings edited by " + by + describeMapping(updated)
                + describeRmaDefaults(updated));
        return view(updated);
    }

    /** The status mapping editor: only the mapping fields change. */
    public ConnectionView updateMapping(String id, List<String> process, List<String> flag, List<String> ignore,
                                        String unmapped, String closeStatus, String receiptRule, String by) {
        Connection existing = connections.find(id).orElseThrow(() -> new NotFound("no connection " + id));
        ConnectionInput input = new ConnectionInput(id, null, null, null, null, null, null, null,
                existing.shiphero().customerAccountId(), existing.shiphero().warehouseId(), process, flag, ignore,
                unmapped, closeStatus, receiptRule, null, null, null, null, null, null, null, null, null);
        return update(id, input, by);
    }

    public boolean delete(String id, String by) {
        boolean deleted = connections.deleteStored(id, properties);
        if (deleted) {
            timeline.record(null, id, null, "CONNECTION_DELETED", "stored connection deleted by " + by);
        }
        return deleted;
    }

    private Connection merge(String id, Connection old, ConnectionInput in) {
        Connection.LoopSettings oldLoop = old == null ? null : old.loop();
        Connection.ShipHeroSettings oldSh = old == null ? null : old.shiphero();
        String loopBase = url(pick(in.loopBaseUrl(), oldLoop == null
                ? com.returnbridge.connection.ConnectionProperties.LoopConfig.DEFAULT_BASE_URL
                : oldLoop.baseUrl()), "Loop base URL");
        String shBase = url(pick(in.shipheroBaseUrl(), oldSh == null ? "https://public-api.shiphero.com"
                : oldSh.baseUrl()), "ShipHero base URL");
        StatusPolicy oldPolicy = old == null ? StatusPolicy.defaults() : old.statusPolicy();
        StatusAction unmapped;
        ReceiptRule rule;
        try {
            unmapped = in.unmappedAction() == null || in.unmappedAction().isBlank() ? oldPolicy.unmappedAction()
                    : StatusAction.parse(in.unmappedAction());
            rule = in.receiptRule() == null || in.receiptRule().isBlank() ? oldPolicy.receiptRule()
                    : ReceiptRule.parse(in.receiptRule());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unmapped action must be process, flag or ignore; receipt rule must be "
                    + "all_units, any_unit or status_only");
        }
        StatusPolicy policy = new StatusPolicy(
                statuses(in.processStatuses(), oldPolicy.listed(StatusAction.PROCESS)),
                statuses(in.flagStatuses(), oldPolicy.listed(StatusAction.FLAG)),
                statuses(in.ignoreStatuses(), oldPolicy.listed(StatusAction.IGNORE)), unmapped, rule);
        return new Connection(id,
                new Connection.LoopSettings(loopBase, secret(in.loopApiKey(), oldLoop == null ? null : oldLoop.apiKey()),
                        secret(in.loopWebhookSecret(), oldLoop == null ? null : oldLoop.webhookSecret())),
                new Connection.ShipHeroSettings(shBase,
                        secret(in.shipheroRefreshToken(), oldSh == null ? null : oldSh.refreshToken()),
                        secret(in.shipheroAccessToken(), oldSh == null ? null : oldSh.accessToken()),
                        secret(in.shipheroWebhookSecret(), oldSh == null ? null : oldSh.webhookSecret()),
                        in.customerAccountId() == null ? (oldSh == null ? null : oldSh.customerAccountId())
                                : blankToNull(in.customerAccountId()),
                        in.warehouseId() == null ? (oldSh == null ? null : oldSh.warehouseId())
                                : blankToNull(in.warehouseId()),
                        in.shipheroShopName() == null ? (oldSh == null ? null : oldSh.shopName())
                                : blankToNull(in.shipheroShopName())),
                policy, pick(in.closeStatus(), old == null ? "Complete" : old.closeStatus()),
                rmaDefaults(old == null ? Connection.RmaDefaults.standard() : old.rmaDefaults(), in));
    }

    /** RMA defaults: a blank or absent field keeps the current value; the rest is checked like ShipHero would. */
    static Connection.RmaDefaults rmaDefaults(Connection.RmaDefaults old, ConnectionInput in) {
        return old.with(new Connection.RmaDefaults(in.rmaLabelType(), in.rmaLabelCost(), in.rmaShippingCarrier(),
                in.rmaShippingMethod(), in.rmaWeight(), in.rmaLength(), in.rmaWidth(), in.rmaHeight()));
    }

    private static List<String> statuses(List<String> given, List<String> old) {
        if (given == null) {
            return old;
        }
        List<String> out = new ArrayList<>();
        for (String g : given) {
            if (g == null) {
                continue;
            }
            for (String part : g.split("[,\\n]")) {
                if (!part.isBlank()) {
                    out.add(part.trim());
                }
            }
        }
        return out;
    }

    private static Secret secret(String given, Secret old) {
        return given == null || given.isBlank() ? old : Secret.of(given.trim());
    }

    private static String pick(String given, String fallback) {
        return given == null || given.isBlank() ? fallback : given.trim();
    }

    private static String url(String value, String what) {
        if (!value.startsWith("https://") && !value.startsWith("http://")) {
            throw new IllegalArgumentException(what + " must start with https:// or http://");
        }
        return value.replaceAll("/+$", "");
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    private static String describeMapping(Connection c) {
        StatusPolicy p = c.statusPolicy();
        return "; mapping: process " + p.listed(StatusAction.PROCESS) + ", flag " + p.listed(StatusAction.FLAG)
                + ", ignore " + p.listed(StatusAction.IGNORE) + ", unmapped → " + p.unmappedAction().name().toLowerCase()
                + ", close status '" + c.closeStatus() + "', receipt rule " + p.receiptRule().name().toLowerCase();
    }

    private static String describeRmaDefaults(Connection c) {
        Connection.RmaDefaults d = c.rmaDefaults();
        boolean sized = d.length() != null || d.width() != null || d.height() != null;
        return "; RMA defaults: label " + d.labelType() + " cost " + d.labelCost() + ", " + d.shippingCarrier() + " "
                + d.shippingMethod() + ", weight " + orDash(d.weight())
                + (sized ? ", " + orDash(d.length()) + " × " + orDash(d.width()) + " × " + orDash(d.height()) : "");
    }

    private static String orDash(String value) {
        return value == null || value.isBlank() ? "—" : value;
    }

    // ---------------------------------------------------------------- connect

    /**
     * Checks the Loop key, refreshes the ShipHero token, lists warehouses (and 3PL customer accounts), registers the
     * webhooks in both systems and keeps ShipHero's shared secret (encrypted). Safe to run again: existing
     * subscriptions to our URLs are kept.
     *
     * @param baseUrl where vendors reach this service, when {@code returnbridge.public-url} is not set
     */
    public ConnectReport connect(String id, String baseUrl, String by) {
        Connection connection = connections.find(id).orElseThrow(() -> new NotFound("no connection " + id));
        String base = !publicUrl.isEmpty() ? publicUrl : baseUrl.replaceAll("/+$", "");
        List<Step> steps = new ArrayList<>();
        List<ShipHeroAdminClient.Warehouse> warehouses = List.of();
        List<ShipHeroAdminClient.CustomerAccount> customers = List.of();

        boolean loopOk = step(steps, "Loop API key", () -> {
            loopAdmin.checkKey(connection);
            return "accepted (returns scope)";
        });
        boolean shipheroOk = step(steps, "ShipHero token", () -> {
            shipheroAdmin.refreshToken(connection);
            return connection.shiphero().refreshToken() != null ? "refreshed from the refresh token"
                    : "access token used as given (it expires after about 28 days)";
        });
        if (shipheroOk) {
            ShipHeroAdminClient.Account[] account = new ShipHeroAdminClient.Account[1];
            shipheroOk = step(steps, "ShipHero warehouses", () -> {
                account[0] = shipheroAdmin.account(connection);
                return account[0].warehouses().size() + " warehouse(s)" + (account[0].is3pl()
                        ? ", 3PL with " + account[0].customers().size() + " customer account(s)" : "");
            });
            if (account[0] != null) {
                warehouses = account[0].warehouses();
                customers = account[0].customers();
                if (connection.shiphero().warehouseId() == null && warehouses.size() == 1) {
                    Connection chosen = withWarehouse(connection, warehouses.get(0).id());
                    connections.save(chosen, by);
                    steps.add(new Step("Warehouse", true, "the only warehouse, " + warehouses.get(0).name()
                            + ", chosen"));
                } else if (connection.shiphero().warehouseId() == null) {
                    steps.add(new Step("Warehouse", false, "choose the warehouse that receives returns"));
                } else {
                    String wid = connection.shiphero().warehouseId();
                    boolean known = warehouses.stream().anyMatch(w -> wid.equals(w.id()));
                    steps.add(new Step("Warehouse", known, known ? "configured warehouse exists"
                            : "the configured warehouse " + wid + " is not in this account"));
                }
            }
        }
        ShopNameProposal shops = shipheroOk ? proposeShopName(connections.get(id), loopOk, steps)
                : new ShopNameProposal(List.of(), null);
        String loopUrl = base + "/webhooks/loop/" + id;
        if (loopOk) {
            step(steps, "Loop webhooks", () -> registerLoopWebhooks(connection, loopUrl));
        }
        String shipheroUrl = base + "/webhooks/shiphero/" + id;
        if (shipheroOk && step(steps, "ShipHero Return Update webhook",
                () -> registerShipHeroWebhook(id, shipheroUrl, by))) {
            // The URL the periodic webhook check looks for (the sweep has no request to take a base URL from).
            webhookCheck.registeredByConnect(id, shipheroUrl);
        }
        Connection now = connections.get(id);
        if (now.loop().webhookSecret() == null) {
            steps.add(new Step("Loop webhook secret", false, "copy the webhook secret from Loop Admin → Developers "
                    + "into the connection: deliveries are refused (401) without it"));
        }
        List<String> checklist = List.of(
                "In Loop, set processing events to manual for the outcomes concerned: automatic processing on carrier "
                        + "events (in transit, delivered) must be off, so Loop waits for the warehouse",
                "In Loop, switch restock off: ShipHero restocks the units it receives and feeds Shopify",
                "Optional: ask Loop to enable \"Allow flagged returns to process\", so a flagged return can be processed "
                        + "once the warehouse completes it");
        boolean ok = steps.stream().allMatch(Step::ok);
        timeline.record(null, id, null, "CONNECT", "connect run by " + by + ": " + (ok ? "all checks passed" : "some "
                + "checks failed") + " — " + steps.stream().map(s -> s.name() + " " + (s.ok() ? "ok" : "FAILED"))
                .reduce((a, b) -> a + ", " + b).orElse(""));
        return new ConnectReport(id, ok, steps, warehouses, customers, checklist, shops.seen(), shops.proposed());
    }

    private record ShopNameProposal(List<String> seen, String proposed) {
    }

    /** Loop returns whose ShipHero order Connect looks up to see which store is this merchant's: few, for credits. */
    private static final int RETURNS_FOR_SHOP_NAME = 3;

    /**
     * Proposes the connection's ShipHero shop name from what ShipHero holds: the store of the orders of the Loop
     * shop's recent returns (matched by Shopify id or order name, and SKUs), else the only store among the account's
     * recent orders. Only proposed: the operator sets it. A step that cannot tell is still ok: without a shop name,
     * orders sharing a number are told apart by SKUs and customer, or asked of a person.
     */
    private ShopNameProposal proposeShopName(Connection connection, boolean loopOk, List<Step> steps) {
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
        steps.add(new Step("ShipHero shop name", true, detail));
        return new ShopNameProposal(List.copyOf(seen), proposed);
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
                .collect(java.util.stream.Collectors.toSet());
    }

    private static final class Enough extends RuntimeException {
        Enough() {
            super(null, null, false, false);
        }
    }

    /** Sets the connection's ShipHero shop name (blank clears it), as proposed by Connect or typed by the operator. */
    public ConnectionView setShopName(String id, String shopName, String by) {
        Connection existing = connections.find(id).orElseThrow(() -> new NotFound("no connection " + id));
        String name = blankToNull(shopName);
        if (name != null && name.length() > 255) {
            throw new IllegalArgumentException("ShipHero shop name must be at most 255 characters");
        }
        Connection updated = new Connection(id, existing.loop(), existing.shiphero().withShopName(name),
                existing.statusPolicy(), existing.closeStatus(), existing.rmaDefaults());
        connections.save(updated, by);
        timeline.record(null, id, null, "CONNECTION_EDITED", "ShipHero shop name " + (name == null ? "cleared"
                : "set to " + name) + " by " + by);
        return view(updated);
    }

    private String registerLoopWebhooks(Connection connection, String url) {
        List<LoopAdminClient.Subscription> existing = loopAdmin.webhooks(connection);
        int created = 0;
        int activated = 0;
        for (String trigger : LOOP_TRIGGERS) {
            String topic = trigger.substring(0, trigger.lastIndexOf('.'));
            Optional<LoopAdminClient.Subscription> mine = existing.stream()
                    .filter(s -> url.equals(s.url()) && trigger.equals(s.trigger()) && topic.equals(s.topic()))
                    .findFirst();
            if (mine.isEmpty()) {
                loopAdmin.createWebhook(connection, topic, trigger, url);
                created++;
            } else if (!"active".equals(mine.get().status())) {
                loopAdmin.activateWebhook(connection, mine.get());
                activated++;
            }
        }
        return created + " created, " + activated + " re-activated, " + (LOOP_TRIGGERS.size() - created - activated)
                + " already in place → " + url;
    }

    private String registerShipHeroWebhook(String id, String url, String by) {
        Connection connection = connections.get(id);
        String shopName = "returnbridge-" + id;
        List<ShipHeroAdminClient.Webhook> existing = shipheroAdmin.webhooks(connection);
        Optional<ShipHeroAdminClient.Webhook> ours = existing.stream()
                .filter(w -> ShipHeroAdminClient.RETURN_UPDATE.equals(w.name()) && shopName.equals(w.shopName()))
                .findFirst();
        if (ours.isPresent() && url.equals(ours.get().url()) && connection.shiphero().webhookSecret() != null) {
            return "already registered → " + url;
        }
        if (ours.isPresent()) {
            // Its secret was shown once and is not ours (or the URL changed): replace it.
            shipheroAdmin.deleteReturnUpdateWebhook(connection, shopName);
        }
        ShipHeroAdminClient.CreatedWebhook created = shipheroAdmin.createReturnUpdateWebhook(connection, url, shopName);
        if (created.sharedSignatureSecret() == null) {
            throw VendorException.permanent("ShipHero did not return the webhook's shared_signature_secret");
        }
        Connection withSecret = new Connection(id, connection.loop(),
                connection.shiphero().withWebhookSecret(Secret.of(created.sharedSignatureSecret())),
                connection.statusPolicy(), connection.closeStatus(), connection.rmaDefaults());
        connections.save(withSecret, by);
        return (ours.isPresent() ? "replaced" : "registered") + " → " + url
                + (connection.shiphero().customerAccountId() != null ? " on customer account "
                + connection.shiphero().customerAccountId() : "") + "; shared secret stored encrypted";
    }

    private static Connection withWarehouse(Connection c, String warehouseId) {
        return new Connection(c.id(), c.loop(), c.shiphero().withWarehouseId(warehouseId), c.statusPolicy(),
                c.closeStatus(), c.rmaDefaults());
    }

    private interface Work {
        String run();
    }

    private static boolean step(List<Step> steps, String name, Work work) {
        try {
            steps.add(new Step(name, true, work.run()));
            return true;
        } catch (VendorException e) {
            steps.add(new Step(name, false, e.getMessage()));
            return false;
        } catch (RuntimeException e) {
            steps.add(new Step(name, false, e.getClass().getSimpleName()));
            return false;
        }
    }
}
