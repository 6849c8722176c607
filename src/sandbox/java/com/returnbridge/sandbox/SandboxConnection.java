package com.returnbridge.sandbox;

import com.returnbridge.connection.Connection;
import com.returnbridge.connection.Connections;
import com.returnbridge.connection.Secret;
import com.returnbridge.connection.StatusPolicy;
import com.returnbridge.sandbox.loop.SandboxLoop;
import com.returnbridge.sandbox.shiphero.SandboxShipHero;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.stereotype.Component;

/**
 * With no connection configured, wires a "sandbox" connection to the built-in simulators on this server's own
 * port, and subscribes this service to their webhooks, so a newcomer sees the whole flow without any account.
 */
@Component
@ConditionalOnSandbox
public class SandboxConnection implements ApplicationListener<WebServerInitializedEvent> {

    public static final String ID = "sandbox";
    public static final String LOOP_WEBHOOK_SECRET = "sandbox-loop-webhook-secret";
    public static final String SHIPHERO_WEBHOOK_SECRET = "sandbox-shiphero-webhook-secret";
    public static final String SHIPHERO_REFRESH_TOKEN = "sandbox-shiphero-refresh-token";

    private static final Logger log = LoggerFactory.getLogger(SandboxConnection.class);

    private final Connections connections;
    private final SandboxLoop loop;
    private final SandboxShipHero shiphero;
    private final String webhookTarget;
    private final List<String> remoteConnectionIds;
    private volatile String baseUrl;

    /**
     * @param webhookTarget when set, the simulators run as a stand-alone vendor process: their webhooks go to the
     *                      Returnbridge at this address (connections {@code remoteConnectionIds}) instead of this one
     */
    public SandboxConnection(Connections connections, SandboxLoop loop, SandboxShipHero shiphero,
                             @org.springframework.beans.factory.annotation.Value(
                                     "${returnbridge.sandbox.webhook-target:}") String webhookTarget,
                             @org.springframework.beans.factory.annotation.Value(
                                     "${returnbridge.sandbox.connection-ids:sandbox}") List<String> remoteConnectionIds) {
        this.connections = connections;
        this.loop = loop;
        this.shiphero = shiphero;
        this.webhookTarget = webhookTarget == null || webhookTarget.isBlank() ? null : webhookTarget.trim();
        this.remoteConnectionIds = remoteConnectionIds;
    }

    @Override
    public void onApplicationEvent(WebServerInitializedEvent event) {
        if (event.getApplicationContext().getParent() != null || baseUrl != null) {
            return; // the management server, if separate, is not where the simulators live
        }
        baseUrl = "http://127.0.0.1:" + event.getWebServer().getPort();
        if (webhookTarget != null) {
            for (String id : remoteConnectionIds) {
                subscribe(webhookTarget, id, null);
            }
            log.info("stand-alone sandbox at {}: webhooks go to {} for connections {}", baseUrl, webhookTarget,
                    remoteConnectionIds);
            return;
        }
        boolean configured = connections.all().stream().anyMatch(c -> !c.id().equals(ID));
        if (configured) {
            log.info("connections are configured: the sandbox simulators run, but no sandbox connection is added");
            return;
        }
        register(ID, null, StatusPolicy.defaults());
        log.info("no connection configured: using the built-in sandbox (simulated Loop and ShipHero) at {}", baseUrl);
    }

    /**
     * Adds a connection to the simulators (tests add several, e.g. one acting for a 3PL customer account).
     */
    public Connection register(String id, String customerAccountId, StatusPolicy policy) {
        String apiKey = shopKey(id);
        Connection connection = new Connection(id,
                new Connection.LoopSettings(baseUrl + "/sandbox/loop/api/2026-07", Secret.of(apiKey),
                        Secret.of(LOOP_WEBHOOK_SECRET)),
                new Connection.ShipHeroSettings(baseUrl + "/sandbox/shiphero", Secret.of(SHIPHERO_REFRESH_TOKEN), null,
                        Secret.of(SHIPHERO_WEBHOOK_SECRET), customerAccountId, shiphero.warehouseId(), null),
                policy, "Complete", Connection.RmaDefaults.standard());
        connections.register(connection);
        subscribe(baseUrl, id, customerAccountId);
        return connection;
    }

    /**
     * Each connection to the simulators is its own Loop shop, known by its API key, so returns made for one are not
     * announced to the others (the first one keeps the well-known key).
     */
    public String shopKey(String connectionId) {
        String key = ID.equals(connectionId) ? SandboxLoop.SANDBOX_API_KEY
                : SandboxLoop.SANDBOX_API_KEY + "-" + connectionId;
        loop.addApiKey(key);
        return key;
    }

    private void subscribe(String serviceUrl, String id, String customerAccountId) {
        String loopUrl = serviceUrl + "/webhooks/loop/" + id;
        String shop = shopKey(id);
        for (String trigger : List.of("return.created", "return.updated", "return.closed")) {
            loop.subscribe("return", trigger, loopUrl, LOOP_WEBHOOK_SECRET, shop);
        }
        for (String trigger : List.of("label.created", "label.updated")) {
            loop.subscribe("label", trigger, loopUrl, LOOP_WEBHOOK_SECRET, shop);
        }
        loop.subscribe("return.processing", "return.processing.failed", loopUrl, LOOP_WEBHOOK_SECRET, shop);
        loop.subscribe("restock", "restock.requested", loopUrl, LOOP_WEBHOOK_SECRET, shop);
        if (customerAccountId != null) {
            shiphero.addCustomerAccount(customerAccountId);
        }
        shiphero.subscribe(customerAccountId, SandboxShipHero.RETURN_UPDATE, serviceUrl + "/webhooks/shiphero/" + id,
                SHIPHERO_WEBHOOK_SECRET);
    }

    public String baseUrl() {
        return baseUrl;
    }
}
