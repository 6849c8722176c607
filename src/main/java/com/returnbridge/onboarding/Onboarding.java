package com.returnbridge.onboarding;

import static com.returnbridge.bridge.TimelineKind.CONNECT;

import com.returnbridge.bridge.NotFound;
import com.returnbridge.bridge.Timeline;
import com.returnbridge.vendor.VendorException;
import com.returnbridge.connection.Connection;
import com.returnbridge.connection.Connections;
import com.returnbridge.grading.RestockGuard;
import com.returnbridge.loop.LoopAdminClient;
import com.returnbridge.onboarding.ConnectReport.Step;
import com.returnbridge.shiphero.ShipHeroAdminClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;

/**
 * "Connect", a connection's onboarding: checks both vendors' credentials, chooses the warehouse when there is one,
 * proposes the shop name, registers the webhooks in both systems, and lists what the merchant must still do in Loop.
 */
@Service
public class Onboarding {

    /** Topic = the trigger less its last part: return.created → return, return.processing.failed → return.processing. */
    public static final List<String> LOOP_TRIGGERS = List.of("return.created", "return.updated", "return.closed",
            "label.created", "label.updated", "return.processing.failed", "restock.requested");

    private final Connections connections;
    private final LoopAdminClient loopAdmin;
    private final ShipHeroAdminClient shipheroAdmin;
    private final ShipHeroWebhookRegistration shipheroWebhook;
    private final ShopNameProposals shopNames;
    private final Timeline timeline;
    private final ApplicationEventPublisher events;
    private final String publicUrl;
    private final RestockGuard restockGuard;

    public Onboarding(Connections connections, LoopAdminClient loopAdmin, ShipHeroAdminClient shipheroAdmin,
                      ShipHeroWebhookRegistration shipheroWebhook, ShopNameProposals shopNames, Timeline timeline,
                      ApplicationEventPublisher events, @Value("${returnbridge.public-url:}") String publicUrl,
                      RestockGuard restockGuard) {
        this.restockGuard = restockGuard;
        this.connections = connections;
        this.loopAdmin = loopAdmin;
        this.shipheroAdmin = shipheroAdmin;
        this.shipheroWebhook = shipheroWebhook;
        this.shopNames = shopNames;
        this.timeline = timeline;
        this.events = events;
        this.publicUrl = publicUrl == null ? "" : publicUrl.replaceAll("/+$", "");
    }

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
        ShopNameProposals.Proposal shops = new ShopNameProposals.Proposal(List.of(), null, null);
        if (shipheroOk) {
            shops = shopNames.propose(connections.get(id), loopOk);
            steps.add(new Step("ShipHero shop name", true, shops.detail()));
        }
        String loopUrl = base + "/webhooks/loop/" + id;
        if (loopOk) {
            step(steps, "Loop webhooks", () -> registerLoopWebhooks(connection, loopUrl));
        }
        String shipheroUrl = base + "/webhooks/shiphero/" + id;
        if (shipheroOk && step(steps, "ShipHero Return Update webhook",
                () -> registerShipHeroWebhook(id, shipheroUrl, by))) {
            events.publishEvent(new ShipHeroWebhookRegisteredByConnect(id, shipheroUrl));
        }
        Connection now = connections.get(id);
        if (now.loop().webhookSecret() == null) {
            steps.add(new Step("Loop webhook secret", false, "copy the webhook secret from Loop Admin → Developers "
                    + "into the connection: deliveries are refused (401) without it"));
        }
        List<String> checklist = List.of(
                "In Loop, set processing events to manual for the outcomes concerned: automatic processing on carrier "
                        + "events (in transit, delivered) must be off, so Loop waits for the warehouse",
                restockItem(id),
                "Optional: ask Loop to enable \"Allow flagged returns to process\", so a flagged return can be processed "
                        + "once the warehouse completes it");
        boolean ok = steps.stream().allMatch(Step::ok);
        timeline.record(null, id, null, CONNECT, "connect run by " + by + ": " + (ok ? "all checks passed" : "some "
                + "checks failed") + " — " + steps.stream().map(s -> s.name() + " " + (s.ok() ? "ok" : "FAILED"))
                .reduce((a, b) -> a + ", " + b).orElse(""));
        return new ConnectReport(id, ok, steps, warehouses, customers, checklist, shops.seen(), shops.proposed());
    }

    /** The restock line of the checklist, wrong while Loop has sent restock.requested within the last week. */
    public String restockItem(String connectionId) {
        RestockGuard.Setting setting = restockGuard.setting(connectionId);
        return setting.wrong() ? "In Loop, switch restock off — " + setting.message()
                : "In Loop, switch restock off: ShipHero restocks the units it receives and feeds Shopify ("
                + setting.message() + ")";
    }

    /** The merchant's restock setting as Loop's restock.requested deliveries show it, for the connection page. */
    public RestockGuard.Setting restockSetting(String connectionId) {
        return restockGuard.setting(connectionId);
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
        List<ShipHeroAdminClient.Webhook> existing = shipheroAdmin.webhooks(connection);
        Optional<ShipHeroAdminClient.Webhook> ours = ShipHeroWebhookRegistration.ours(id, existing);
        if (ours.isPresent() && url.equals(ours.get().url()) && connection.shiphero().webhookSecret() != null) {
            return "already registered → " + url;
        }
        boolean replaced = shipheroWebhook.register(connection, url, existing, by);
        return (replaced ? "replaced" : "registered") + " → " + url
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
