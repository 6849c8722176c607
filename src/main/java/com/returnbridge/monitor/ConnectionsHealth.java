package com.returnbridge.monitor;

import com.returnbridge.connection.Connection;
import com.returnbridge.connection.Connections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.stereotype.Component;

/**
 * {@code /actuator/health} component "connections": one entry per connection (details for an authenticated caller).
 * A merchant's trouble does not take the service down: the component is UP while the database answers, and each
 * connection says ATTENTION (returns in NEEDS_ATTENTION, jobs retrying, or the ShipHero webhook missing or pointing
 * elsewhere at the last check), PAUSED, INCOMPLETE (a secret missing) or OK.
 */
@Component("connectionsHealthIndicator")
public class ConnectionsHealth extends AbstractHealthIndicator {

    private final Connections connections;
    private final ConnectionActivity activity;
    private final WebhookChecks webhookChecks;

    public ConnectionsHealth(Connections connections, ConnectionActivity activity, WebhookChecks webhookChecks) {
        super("connections health check failed");
        this.connections = connections;
        this.activity = activity;
        this.webhookChecks = webhookChecks;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        builder.up();
        for (Connection c : connections.all()) {
            ConnectionCounts n = activity.counts(c.id());
            boolean paused = connections.isPaused(c.id());
            boolean incomplete = c.loop().apiKey() == null || c.loop().webhookSecret() == null
                    || (c.shiphero().refreshToken() == null && c.shiphero().accessToken() == null)
                    || c.shiphero().webhookSecret() == null || c.shiphero().warehouseId() == null;
            long attention = n.total("NEEDS_ATTENTION");
            String webhook = webhookChecks.find(c.id(), WebhookChecks.SHIPHERO).map(WebhookChecks.Check::verdict)
                    .orElse(null);
            boolean webhookLost = "MISSING".equals(webhook) || "WRONG_URL".equals(webhook);
            String status = paused ? "PAUSED" : incomplete ? "INCOMPLETE"
                    : attention > 0 || n.jobsRetrying() > 0 || webhookLost ? "ATTENTION" : "OK";
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("status", status);
            detail.put("needsAttention", attention);
            detail.put("jobsWaiting", n.jobsWaiting());
            detail.put("jobsRetrying", n.jobsRetrying());
            detail.put("lastLoopWebhook", n.lastLoopDelivery() == null ? null : n.lastLoopDelivery().toString());
            detail.put("lastShipHeroWebhook", n.lastShipHeroDelivery() == null ? null
                    : n.lastShipHeroDelivery().toString());
            detail.put("shipheroWebhook", webhook);
            builder.withDetail(c.id(), detail);
        }
    }
}
