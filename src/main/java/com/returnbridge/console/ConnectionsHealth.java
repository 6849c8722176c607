package com.returnbridge.console;

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
 * connection says ATTENTION (returns in NEEDS_ATTENTION or jobs retrying), PAUSED, INCOMPLETE (a secret missing) or OK.
 */
@Component("connectionsHealthIndicator")
public class ConnectionsHealth extends AbstractHealthIndicator {

    private final Connections connections;
    private final ConsoleQueries queries;

    public ConnectionsHealth(Connections connections, ConsoleQueries queries) {
        super("connections health check failed");
        this.connections = connections;
        this.queries = queries;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        builder.up();
        for (Connection c : connections.all()) {
            ConsoleQueries.ConnectionCounts n = queries.counts(c.id());
            boolean paused = connections.isPaused(c.id());
            boolean incomplete = c.loop().apiKey() == null || c.loop().webhookSecret() == null
                    || (c.shiphero().refreshToken() == null && c.shiphero().accessToken() == null)
                    || c.shiphero().webhookSecret() == null || c.shiphero().warehouseId() == null;
            long attention = n.total("NEEDS_ATTENTION");
            String status = paused ? "PAUSED" : incomplete ? "INCOMPLETE"
                    : attention > 0 || n.jobsRetrying() > 0 ? "ATTENTION" : "OK";
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("status", status);
            detail.put("needsAttention", attention);
            detail.put("jobsWaiting", n.jobsWaiting());
            detail.put("jobsRetrying", n.jobsRetrying());
            detail.put("lastLoopWebhook", n.lastLoopDelivery() == null ? null : n.lastLoopDelivery().toString());
            detail.put("lastShipHeroWebhook", n.lastShipHeroDelivery() == null ? null
                    : n.lastShipHeroDelivery().toString());
            builder.withDetail(c.id(), detail);
        }
    }
}
