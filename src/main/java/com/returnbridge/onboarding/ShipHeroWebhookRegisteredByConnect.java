package com.returnbridge.onboarding;

/**
 * Connect has registered (or found) our ShipHero Return Update webhook at {@code url}: the URL the periodic webhook
 * check looks for from now on (the check has no request to take a base URL from). Published synchronously, during
 * Connect.
 */
public record ShipHeroWebhookRegisteredByConnect(String connectionId, String url) {
}
