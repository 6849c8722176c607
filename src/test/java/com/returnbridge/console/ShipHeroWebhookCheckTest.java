package com.returnbridge.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.returnbridge.bridge.LinkState;
import com.returnbridge.shiphero.ShipHeroAdminClient.Webhook;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How a list of ShipHero webhooks is judged, and how the check and the traffic make the overview's badge. */
class ShipHeroWebhookCheckTest {

    private static final String URL = "https://returns.example.com/webhooks/shiphero/acme";
    private static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");

    static Webhook hook(String name, String url, String shop) {
        return new Webhook("id-" + url, 1L, name, url, shop);
    }

    @Test
    void registeredOnlyWhenAReturnUpdateWebhookPointsAtTheRegisteredUrl() {
        assertThat(ShipHeroWebhookCheck.judge("acme", URL, List.of(hook("Return Update", URL + "/", "returnbridge-acme")))
                .verdict()).isEqualTo(ShipHeroWebhookCheck.Verdict.REGISTERED);
        // another webhook type to our URL is not the Return Update webhook
        assertThat(ShipHeroWebhookCheck.judge("acme", URL, List.of(hook("Shipment Update", URL, "returnbridge-acme")))
                .verdict()).isEqualTo(ShipHeroWebhookCheck.Verdict.MISSING);
    }

    @Test
    void oursPointingElsewhereIsWrongUrlAndSaysWhere() {
        var j = ShipHeroWebhookCheck.judge("acme", URL, List.of(
                hook("Return Update", "https://old.example.com/webhooks/shiphero/acme", "someone")));
        assertThat(j.verdict()).isEqualTo(ShipHeroWebhookCheck.Verdict.WRONG_URL);
        assertThat(j.detail()).contains("https://old.example.com/webhooks/shiphero/acme").contains(URL);
        assertThat(ShipHeroWebhookCheck.judge("acme", URL, List.of(
                hook("Return Update", "https://x.example.com/hook", "returnbridge-acme"))).verdict())
                .isEqualTo(ShipHeroWebhookCheck.Verdict.WRONG_URL);
    }

    @Test
    void anotherConnectionsOrIntegrationsWebhookIsNotOurs() {
        var j = ShipHeroWebhookCheck.judge("acme", URL, List.of(
                hook("Return Update", "https://returns.example.com/webhooks/shiphero/acme-eu", "returnbridge-acme-eu"),
                hook("Return Update", "https://erp.example.com/returns", "erp")));
        assertThat(j.verdict()).isEqualTo(ShipHeroWebhookCheck.Verdict.MISSING);
        assertThat(j.detail()).contains("2 other Return Update webhook(s)");
        assertThat(ShipHeroWebhookCheck.judge("acme", URL, List.of()).detail()).contains("none at all");
    }

    @Test
    void withoutARegisteredUrlOurPathOnAnyHostCounts() {
        assertThat(ShipHeroWebhookCheck.judge("acme", null, List.of(hook("Return Update", URL, "manual"))).verdict())
                .isEqualTo(ShipHeroWebhookCheck.Verdict.REGISTERED);
    }

    static ConsoleQueries.ConnectionCounts counts(long awaiting, Instant oldestAwaiting, Instant lastShipHero) {
        Map<LinkState, Long> none = Map.of();
        return new ConsoleQueries.ConnectionCounts("acme", none, none, none, 0, 0, 0, 0, 0, 0, null,
                lastShipHero == null ? null : OffsetDateTime.ofInstant(lastShipHero, ZoneOffset.UTC), awaiting,
                oldestAwaiting == null ? null : OffsetDateTime.ofInstant(oldestAwaiting, ZoneOffset.UTC));
    }

    static Optional<WebhookChecks.Check> check(String verdict) {
        OffsetDateTime at = OffsetDateTime.ofInstant(NOW, ZoneOffset.UTC);
        return Optional.of(new WebhookChecks.Check("acme", "SHIPHERO", URL, at, at, verdict, "d", at));
    }

    @Test
    void theBadgeCombinesTheCheckAndTheTraffic() {
        Duration day = Duration.ofHours(24);
        var receiving = counts(2, NOW.minus(Duration.ofDays(3)), NOW.minus(Duration.ofHours(1)));
        var silent = counts(2, NOW.minus(Duration.ofDays(3)), NOW.minus(Duration.ofDays(2)));
        var fresh = counts(1, NOW.minus(Duration.ofMinutes(5)), null);

        assertThat(ConnectionHealth.shipheroWebhook(check("REGISTERED"), receiving, NOW, day).label())
                .isEqualTo("RECEIVING");
        var amber = ConnectionHealth.shipheroWebhook(check("REGISTERED"), silent, NOW, day);
        assertThat(amber.level()).isEqualTo("warn");
        assertThat(amber.message()).contains("registered, silent").contains("check its health in ShipHero");
        assertThat(ConnectionHealth.shipheroWebhook(check("REGISTERED"), fresh, NOW, day).level()).isEqualTo("ok");
        var missing = ConnectionHealth.shipheroWebhook(check("MISSING"), receiving, NOW, day);
        assertThat(missing.level()).isEqualTo("bad");
        assertThat(missing.message()).contains("re-run Connect");
        assertThat(ConnectionHealth.shipheroWebhook(check("WRONG_URL"), receiving, NOW, day).label())
                .isEqualTo("WRONG URL");
        assertThat(ConnectionHealth.shipheroWebhook(check("CHECK_FAILED"), receiving, NOW, day).level())
                .isEqualTo("warn");
        assertThat(ConnectionHealth.shipheroWebhook(Optional.empty(), counts(0, null, null), NOW, day).label())
                .isEqualTo("NO TRAFFIC YET");
    }
}
