package com.returnbridge.console;

import com.returnbridge.connection.Connection;
import com.returnbridge.connection.StatusAction;
import java.util.List;

/**
 * A connection as shown to operators and scripts: settings in full, secrets only as "set" or not, and the RMA
 * defaults in effect (stored, configured, or the standard ones).
 */
public record ConnectionView(
        String id,
        String origin,
        boolean paused,
        String loopBaseUrl,
        boolean loopApiKeySet,
        boolean loopWebhookSecretSet,
        String shipheroBaseUrl,
        boolean shipheroRefreshTokenSet,
        boolean shipheroAccessTokenSet,
        boolean shipheroWebhookSecretSet,
        String customerAccountId,
        String warehouseId,
        List<String> processStatuses,
        List<String> flagStatuses,
        List<String> ignoreStatuses,
        String unmappedAction,
        String closeStatus,
        String receiptRule,
        Connection.RmaDefaults rmaDefaults,
        String shipheroShopName,
        List<String> problemConditions) {

    static ConnectionView of(Connection c, String origin, boolean paused) {
        return new ConnectionView(c.id(), origin, paused, c.loop().baseUrl(), c.loop().apiKey() != null,
                c.loop().webhookSecret() != null, c.shiphero().baseUrl(), c.shiphero().refreshToken() != null,
                c.shiphero().accessToken() != null, c.shiphero().webhookSecret() != null,
                c.shiphero().customerAccountId(), c.shiphero().warehouseId(),
                c.statusPolicy().listed(StatusAction.PROCESS), c.statusPolicy().listed(StatusAction.FLAG),
                c.statusPolicy().listed(StatusAction.IGNORE), c.statusPolicy().unmappedAction().name().toLowerCase(),
                c.closeStatus(), c.statusPolicy().receiptRule().name().toLowerCase(), c.rmaDefaults(),
                c.shiphero().shopName(), c.statusPolicy().problemConditions());
    }
}
