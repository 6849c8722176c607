package com.returnbridge.onboarding;

import com.returnbridge.vendor.VendorException;
import com.returnbridge.connection.Connection;
import com.returnbridge.connection.Connections;
import com.returnbridge.connection.Secret;
import com.returnbridge.shiphero.ShipHeroAdminClient;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Registers our ShipHero "Return Update" webhook of a connection and keeps the shared secret ShipHero shows this once
 * (stored encrypted). The one way it is done: by Connect, and by the webhook check when ShipHero lost it.
 */
@Component
public class ShipHeroWebhookRegistration {

    private final Connections connections;
    private final ShipHeroAdminClient shiphero;

    public ShipHeroWebhookRegistration(Connections connections, ShipHeroAdminClient shiphero) {
        this.connections = connections;
        this.shiphero = shiphero;
    }

    /** Our webhook's {@code shop_name} in ShipHero: it tells ours apart from other connections' and integrations'. */
    public static String shopName(String connectionId) {
        return "returnbridge-" + connectionId;
    }

    /** Ours among the listed webhooks: the Return Update webhook with our shop name. */
    public static Optional<ShipHeroAdminClient.Webhook> ours(String connectionId,
                                                            List<ShipHeroAdminClient.Webhook> listed) {
        String shopName = shopName(connectionId);
        return listed.stream()
                .filter(w -> ShipHeroAdminClient.RETURN_UPDATE.equals(w.name()) && shopName.equals(w.shopName()))
                .findFirst();
    }

    /**
     * Creates ours at {@code url} and stores its secret, recorded in the connection's history as changed by
     * {@code by}. ShipHero keeps one webhook per name and shop name, and the secret of one already there was shown
     * once and is not ours, so ours is deleted first when {@code listed} holds it.
     *
     * @param listed the connection's webhooks, as just listed
     * @return whether ours was there and got replaced
     */
    public boolean register(Connection connection, String url, List<ShipHeroAdminClient.Webhook> listed, String by) {
        String shopName = shopName(connection.id());
        boolean replaced = ours(connection.id(), listed).isPresent();
        if (replaced) {
            shiphero.deleteReturnUpdateWebhook(connection, shopName);
        }
        ShipHeroAdminClient.CreatedWebhook created = shiphero.createReturnUpdateWebhook(connection, url, shopName);
        if (created.sharedSignatureSecret() == null) {
            throw VendorException.permanent("ShipHero did not return the webhook's shared_signature_secret");
        }
        connections.save(new Connection(connection.id(), connection.loop(),
                connection.shiphero().withWebhookSecret(Secret.of(created.sharedSignatureSecret())),
                connection.statusPolicy(), connection.closeStatus(), connection.rmaDefaults()), by);
        return replaced;
    }
}
