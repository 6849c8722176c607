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
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.stereotype.Component;

/**
 * With no connection configured, wires a "sandbox" connection to the built-in simulators on this server's own
 * port, and subscribes this service to their webhooks, so a newcomer sees the whole flow without any account.
 */
@Component
@ConditionalOnProperty(name = "returnbridge.sandbox.enabled", havingValue = "true", matchIfMissing = true)
public class SandboxConnection implements ApplicationListener<WebServerInitializedEvent> {

    public static final String ID = "sandbox";
    public static final String LOOP_WEBHOOK_SECRET = "sandbox-loop-webhook-secret";
    public static final String SHIPHERO_WEBHOOK_SECRET = "sandbox-shiphero-webhook-secret";
    public static final String SHIPHERO_REFRESH_TOKEN = "sandbox-shiphero-refresh-token";

    private static final Logger log = LoggerFactory.getLogger(SandboxConnection.class);

    private final Connections connections;
    private final SandboxLoop loop;
    private final SandboxShipHero shiphero;
    private volatile String baseUrl;

    public SandboxConnection(Connections connections, SandboxLoop loop, SandboxShipHero shiphero) {
        this.connections = connections;
        this.loop = loop;
        this.shiphero = shiphero;
    }

    @Override
    public void onApplicationEvent(WebServerInitializedEvent event) {
        if (event.getApplicationContext().getParent() != null || baseUrl != null) {
            return; // the management server, if separate, is not where the simulators live
        }
        baseUrl = "http://127.0.0.1:" + event.getWebServer().getPort();
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
        Connection connection = new Connection(id,
                new Connection.LoopSettings(baseUrl + "/sandbox/loop/api/v1", Secret.of(SandboxLoop.SANDBOX_API_KEY),
                        Secret.of(LOOP_WEBHOOK_SECRET)),
                new Connection.ShipHeroSettings(baseUrl + "/sandbox/shiphero", Secret.of(SHIPHERO_REFRESH_TOKEN), null,
                        Secret.of(SHIPHERO_WEBHOOK_SECRET), customerAccountId, shiphero.warehouseId()),
                policy, "Complete", Connection.RmaDefaults.standard());
        connections.register(connection);
        String loopUrl = baseUrl + "/webhooks/loop/" + id;
        for (String trigger : List.of("return.created", "return.updated", "return.closed")) {
            loop.subscribe("return", trigger, loopUrl, LOOP_WEBHOOK_SECRET);
        }
        for (String trigger : List.of("label.created", "label.updated")) {
            loop.subscribe("label", trigger, loopUrl, LOOP_WEBHOOK_SECRET);
        }
        if (customerAccountId != null) {
            shiphero.addCustomerAccount(customerAccountId);
        }
        shiphero.subscribe(customerAccountId, SandboxShipHero.RETURN_UPDATE, baseUrl + "/webhooks/shiphero/" + id,
                SHIPHERO_WEBHOOK_SECRET);
        return connection;
    }

    public String baseUrl() {
        return baseUrl;
    }
}
