package com.returnbridge.monitor;

import com.returnbridge.intake.Deliveries;
import com.returnbridge.intake.DeliveryRejections;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * What the overview says about a connection's intake besides counts: the deliveries refused (per source and reason)
 * and the ShipHero webhook's health, which combines the latest webhook check with the traffic.
 */
@Component
public class ConnectionHealth {

    /**
     * Refused deliveries of one connection. {@code recent}: one in the last 24 hours (the badge turns red).
     * {@code lastAgo}: "2 min ago".
     */
    public record Rejections(long total, OffsetDateTime lastAt, String lastAgo, boolean recent,
                             List<DeliveryRejections.Rejection> byReason) {

        /** "bad signature ×37 (ShipHero), malformed ×1 (Loop)". */
        public String breakdown() {
            return String.join(", ", byReason.stream().map(r -> reasonLabel(r.reason()) + " ×" + r.count() + " ("
                    + sourceLabel(r.source()) + ")").toList());
        }
    }

    /**
     * Signed deliveries of one connection stored as UNREADABLE (not yet read by a replay): how many, the latest, and
     * the most recent ones with their reason.
     */
    public record Unreadable(long count, OffsetDateTime lastAt, String lastAgo, List<Deliveries.Unreadable> recent) {
    }

    /** How many unreadable deliveries the connection page lists. */
    public static final int UNREADABLE_LISTED = 20;

    /**
     * The ShipHero webhook as the overview shows it. {@code level}: ok, warn, bad or muted (the badge's colour);
     * {@code label}: the badge; {@code message}: one line for the operator; the rest is the latest check.
     */
    public record ShipHeroWebhook(String level, String label, String message, String verdict, String detail,
                                  OffsetDateTime checkedAt, String registeredUrl) {
    }

    private static final Duration RECENT = Duration.ofHours(24);

    private final DeliveryRejections rejections;
    private final Deliveries deliveries;
    private final ShipHeroWebhookCheck checks;
    private final Clock clock;
    private final Duration silentAfter;

    public ConnectionHealth(DeliveryRejections rejections, Deliveries deliveries, ShipHeroWebhookCheck checks,
                            Clock clock,
                            @Value("${returnbridge.console.webhook-silent-after:PT24H}") Duration silentAfter) {
        this.rejections = rejections;
        this.deliveries = deliveries;
        this.checks = checks;
        this.clock = clock;
        this.silentAfter = silentAfter;
    }

    public Rejections rejections(String connectionId) {
        List<DeliveryRejections.Rejection> rows = rejections.forConnection(connectionId);
        long total = rows.stream().mapToLong(DeliveryRejections.Rejection::count).sum();
        OffsetDateTime last = rows.stream().map(DeliveryRejections.Rejection::lastAt).max(OffsetDateTime::compareTo)
                .orElse(null);
        Instant now = clock.instant();
        return new Rejections(total, last, last == null ? null : ago(last.toInstant(), now),
                last != null && last.toInstant().isAfter(now.minus(RECENT)), rows);
    }

    public Unreadable unreadable(String connectionId, int listed) {
        long count = deliveries.countUnreadable(connectionId);
        List<Deliveries.Unreadable> recent = count == 0 ? List.of() : deliveries.unreadable(connectionId, listed);
        OffsetDateTime last = recent.isEmpty() ? null : recent.get(0).receivedAt();
        return new Unreadable(count, last, last == null ? null : ago(last.toInstant(), clock.instant()), recent);
    }

    public ShipHeroWebhook shipheroWebhook(ConnectionCounts counts) {
        return shipheroWebhook(checks.latest(counts.connectionId()), counts, clock.instant(), silentAfter);
    }

    static ShipHeroWebhook shipheroWebhook(Optional<WebhookChecks.Check> check, ConnectionCounts n,
                                           Instant now, Duration silentAfter) {
        String verdict = check.map(WebhookChecks.Check::verdict).orElse(null);
        String detail = check.map(WebhookChecks.Check::detail).orElse(null);
        OffsetDateTime checkedAt = check.map(WebhookChecks.Check::checkedAt).orElse(null);
        String registeredUrl = check.map(WebhookChecks.Check::registeredUrl).orElse(null);
        Instant quietSince = now.minus(silentAfter);
        boolean silent = n.awaitingWarehouse() > 0 && n.oldestAwaitingSince() != null
                && n.oldestAwaitingSince().toInstant().isBefore(quietSince)
                && (n.lastShipHeroDelivery() == null || n.lastShipHeroDelivery().toInstant().isBefore(quietSince));
        String waiting = n.awaitingWarehouse() + " RMA(s) await the warehouse";
        if ("MISSING".equals(verdict) || "WRONG_URL".equals(verdict)) {
            return new ShipHeroWebhook("bad", verdict.replace('_', ' '), detail + " — re-run Connect", verdict, detail,
                    checkedAt, registeredUrl);
        }
        if (silent) {
            String quiet = "nothing received from ShipHero for over " + human(silentAfter) + " while " + waiting;
            if ("REGISTERED".equals(verdict)) {
                return new ShipHeroWebhook("warn", "REGISTERED, SILENT", "registered, silent — ShipHero may have "
                        + "disabled it; check its health in ShipHero (" + quiet + ")", verdict, detail, checkedAt,
                        registeredUrl);
            }
            return new ShipHeroWebhook("warn", "SILENT", quiet + ("CHECK_FAILED".equals(verdict)
                    ? "; the last webhook check failed: " + detail : "; the webhook has not been checked yet"),
                    verdict, detail, checkedAt, registeredUrl);
        }
        if ("CHECK_FAILED".equals(verdict)) {
            return new ShipHeroWebhook("warn", "CHECK FAILED", detail, verdict, detail, checkedAt, registeredUrl);
        }
        if ("REGISTERED".equals(verdict)) {
            return n.lastShipHeroDelivery() != null
                    ? new ShipHeroWebhook("ok", "RECEIVING", "registered and receiving", verdict, detail, checkedAt,
                    registeredUrl)
                    : new ShipHeroWebhook("ok", "REGISTERED", "registered; nothing received yet", verdict, detail,
                    checkedAt, registeredUrl);
        }
        // not checked yet: judged from the traffic alone, as before the check existed
        if (n.lastShipHeroDelivery() != null) {
            return new ShipHeroWebhook("ok", "RECEIVING", "receiving; the webhook has not been checked yet", null, null,
                    null, registeredUrl);
        }
        return n.awaitingWarehouse() > 0
                ? new ShipHeroWebhook("bad", "NOTHING RECEIVED", "nothing received while " + waiting
                + "; the webhook has not been checked yet", null, null, null, registeredUrl)
                : new ShipHeroWebhook("muted", "NO TRAFFIC YET", "the webhook has not been checked yet", null, null, null,
                registeredUrl);
    }

    static String ago(Instant then, Instant now) {
        Duration d = Duration.between(then, now);
        if (d.isNegative() || d.toSeconds() < 60) {
            return "just now";
        }
        if (d.toMinutes() < 60) {
            return d.toMinutes() + " min ago";
        }
        if (d.toHours() < 48) {
            return d.toHours() + " h ago";
        }
        return d.toDays() + " days ago";
    }

    static String human(Duration d) {
        return d.toHours() >= 1 && d.toMinutesPart() == 0 ? d.toHours() + " h" : d.toMinutes() + " min";
    }

    static String reasonLabel(String reason) {
        return reason == null ? "?" : reason.replace('_', ' ');
    }

    static String sourceLabel(String source) {
        return "SHIPHERO".equals(source) ? "ShipHero" : "LOOP".equals(source) ? "Loop" : source;
    }
}
