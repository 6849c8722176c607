package com.returnbridge.sandbox.loop;

/**
 * A webhook subscription. {@code secret} is null for subscriptions made through the programmatic API: those
 * sign with the shop's current secret, like the single secret Loop shows on its Developers page.
 */
public record LoopWebhook(long id, String topic, String trigger, String url, String status, String secret,
                          String shopKey) {

    /** Subscriptions made without a shop hear every shop's returns. */
    public LoopWebhook(long id, String topic, String trigger, String url, String status, String secret) {
        this(id, topic, trigger, url, status, secret, null);
    }

    boolean hears(String returnShopKey) {
        return shopKey == null || returnShopKey == null || shopKey.equals(returnShopKey);
    }

    public boolean active() {
        return "active".equals(status);
    }

    LoopWebhook with(String newTopic, String newTrigger, String newUrl, String newStatus) {
        return new LoopWebhook(id, newTopic, newTrigger, newUrl, newStatus, secret, shopKey);
    }
}
