package com.returnbridge.console;

import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import com.returnbridge.bridge.Timeline;
import com.returnbridge.bridge.VendorException;
import com.returnbridge.connection.Connection;
import com.returnbridge.connection.Connections;
import com.returnbridge.shiphero.ShipHeroAdminClient;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;

/**
 * Does ShipHero still hold our "Return Update" webhook? One {@code webhooks(customer_account_id)} query (the
 * connection's {@code ListWebhooks} document) per connection, judged against the URL Connect registered.
 *
 * <p>ShipHero documents {@code enabled} and {@code health} fields and auto-disables unhealthy webhooks, but those
 * fields are not in the GraphQL schema we validate our documents against, so they are not asked for. What the schema
 * lets us see is whether the webhook exists and where it points; a webhook that exists but was disabled shows up as
 * silence in the traffic instead (see {@link ConnectionHealth}).
 *
 * <p>Runs as a recurring db-scheduler task (one instance at a time, every {@code returnbridge.webhook-check.interval},
 * by default the reconciliation interval) over connections that are not paused and have ShipHero credentials, and
 * on demand from the console and the API.
 */
@Service
public class ShipHeroWebhookCheck {

    private static final Logger log = LoggerFactory.getLogger(ShipHeroWebhookCheck.class);

    public enum Verdict { REGISTERED, MISSING, WRONG_URL, CHECK_FAILED }

    /** The judgement of one check, before it is stored. */
    public record Judgement(Verdict verdict, String detail) {
    }

    /** A stored check, as the API answers it. {@code changed}: this check moved the verdict. */
    public record Result(String connectionId, String verdict, String detail, String registeredUrl,
                         OffsetDateTime checkedAt, boolean changed) {
    }

    public static final String KIND_LOST = "SHIPHERO_WEBHOOK_LOST";
    public static final String KIND_OK = "SHIPHERO_WEBHOOK_OK";
    public static final String KIND_CHECK_FAILED = "SHIPHERO_WEBHOOK_CHECK_FAILED";

    private final Connections connections;
    private final ShipHeroAdminClient shiphero;
    private final WebhookChecks checks;
    private final Timeline timeline;
    private final String publicUrl;
    private final Duration interval;

    public ShipHeroWebhookCheck(Connections connections, ShipHeroAdminClient shiphero, WebhookChecks checks,
                                Timeline timeline, @Value("${returnbridge.public-url:}") String publicUrl,
                                @Value("${returnbridge.webhook-check.interval:${returnbridge.reconcile.interval:PT10M}}")
                                Duration interval) {
        this.connections = connections;
        this.shiphero = shiphero;
        this.checks = checks;
        this.timeline = timeline;
        this.publicUrl = publicUrl == null ? "" : publicUrl.replaceAll("/+$", "");
        this.interval = interval;
    }

    /** The recurring task, started with the reconciliation sweep on the same scheduler. */
    public RecurringTask<Void> recurringTask() {
        return Tasks.recurring("shiphero-webhook-check", FixedDelay.of(interval))
                .execute((instance, context) -> checkAll());
    }

    /** Every connection that is running and can ask ShipHero: one small query each. */
    public List<Result> checkAll() {
        List<Result> results = new ArrayList<>();
        for (Connection connection : connections.all()) {
            if (connections.isPaused(connection.id()) || !hasCredentials(connection)) {
                continue;
            }
            try {
                results.add(check(connection));
            } catch (RuntimeException e) {
                log.warn("ShipHero webhook check of {} failed: {}", connection.id(), e.toString());
            }
        }
        return results;
    }

    /** Checks now and stores the result; a change to MISSING or WRONG_URL is written to the timeline (and alerted). */
    public Result check(Connection connection) {
        Judgement judgement;
        Optional<WebhookChecks.Check> before = checks.find(connection.id(), WebhookChecks.SHIPHERO);
        String expected = expectedUrl(connection.id(), before.map(WebhookChecks.Check::registeredUrl).orElse(null));
        if (!hasCredentials(connection)) {
            judgement = new Judgement(Verdict.CHECK_FAILED, "no ShipHero refresh or access token is set");
        } else {
            try {
                judgement = judge(connection.id(), expected, shiphero.webhooks(connection));
            } catch (VendorException e) {
                judgement = new Judgement(Verdict.CHECK_FAILED, "could not list ShipHero webhooks: " + e.getMessage());
            } catch (RuntimeException e) {
                judgement = new Judgement(Verdict.CHECK_FAILED, "could not list ShipHero webhooks: "
                        + e.getClass().getSimpleName());
            }
        }
        return store(connection.id(), judgement);
    }

    /** Connect has just registered (or found) our webhook at {@code url}. */
    public void registeredByConnect(String connectionId, String url) {
        checks.registered(connectionId, WebhookChecks.SHIPHERO, url);
        store(connectionId, new Judgement(Verdict.REGISTERED, "Return Update → " + url + " (registered by Connect)"));
    }

    public Optional<WebhookChecks.Check> latest(String connectionId) {
        return checks.find(connectionId, WebhookChecks.SHIPHERO);
    }

    private Result store(String connectionId, Judgement judgement) {
        WebhookChecks.Saved saved = checks.save(connectionId, WebhookChecks.SHIPHERO, judgement.verdict().name(),
                judgement.detail());
        if (saved.changed()) {
            onChange(connectionId, saved.previous(), judgement);
        }
        WebhookChecks.Check now = checks.find(connectionId, WebhookChecks.SHIPHERO).orElseThrow();
        return new Result(connectionId, now.verdict(), now.detail(), now.registeredUrl(), now.checkedAt(),
                saved.changed());
    }

    private void onChange(String connectionId, String previous, Judgement judgement) {
        String was = previous == null ? "" : " (was " + previous + ")";
        switch (judgement.verdict()) {
            case MISSING, WRONG_URL -> timeline.record(null, connectionId, null, KIND_LOST, "ShipHero Return Update "
                    + "webhook " + judgement.verdict() + was + ": " + judgement.detail()
                    + " — re-run Connect to register it again");
            case REGISTERED -> {
                if (previous != null) {
                    timeline.record(null, connectionId, null, KIND_OK, "ShipHero Return Update webhook REGISTERED"
                            + was + ": " + judgement.detail());
                }
            }
            case CHECK_FAILED -> timeline.record(null, connectionId, null, KIND_CHECK_FAILED,
                    "ShipHero webhook check failed" + was + ": " + judgement.detail());
        }
    }

    /**
     * The URL ShipHero must hold: the one Connect registered, else {@code returnbridge.public-url} + our path, else
     * unknown (then a webhook whose path is ours counts, whatever its host).
     */
    String expectedUrl(String connectionId, String registeredUrl) {
        if (registeredUrl != null) {
            return registeredUrl;
        }
        return publicUrl.isEmpty() ? null : publicUrl + path(connectionId);
    }

    static String path(String connectionId) {
        return "/webhooks/shiphero/" + connectionId;
    }

    /**
     * REGISTERED: a Return Update webhook points at the expected URL. WRONG_URL: one of ours (our {@code shop_name},
     * or our path on another host) points elsewhere. MISSING: none of ours (other integrations' Return Update
     * webhooks on the account are named in the detail, not taken for ours).
     */
    static Judgement judge(String connectionId, String expected, List<ShipHeroAdminClient.Webhook> webhooks) {
        String shopName = "returnbridge-" + connectionId;
        String ourPath = path(connectionId);
        List<ShipHeroAdminClient.Webhook> returnUpdates = webhooks.stream()
                .filter(w -> ShipHeroAdminClient.RETURN_UPDATE.equals(w.name())).toList();
        for (ShipHeroAdminClient.Webhook w : returnUpdates) {
            String url = trim(w.url());
            if (expected != null ? Objects.equals(url, trim(expected)) : url != null && url.endsWith(ourPath)) {
                return new Judgement(Verdict.REGISTERED, "Return Update → " + w.url() + (expected == null
                        ? " (no registered URL known: the path matches; run Connect or set returnbridge.public-url "
                        + "to check the host too)" : ""));
            }
        }
        List<ShipHeroAdminClient.Webhook> ours = returnUpdates.stream()
                .filter(w -> shopName.equals(w.shopName()) || (trim(w.url()) != null && trim(w.url()).endsWith(ourPath)))
                .toList();
        String wanted = expected != null ? expected : "…" + ourPath;
        if (!ours.isEmpty()) {
            return new Judgement(Verdict.WRONG_URL, "Return Update points to " + ours.get(0).url() + " instead of "
                    + wanted);
        }
        List<ShipHeroAdminClient.Webhook> others = returnUpdates.stream().limit(3).toList();
        return new Judgement(Verdict.MISSING, "no Return Update webhook to " + wanted + (returnUpdates.isEmpty()
                ? " (none at all on this account)" : "; " + returnUpdates.size() + " other Return Update webhook(s) on "
                + "this account go elsewhere: " + String.join(", ", others.stream().map(o -> o.url() + " ("
                + o.shopName() + ")").toList()) + (returnUpdates.size() > others.size() ? ", …" : "")));
    }

    static boolean hasCredentials(Connection connection) {
        return connection.shiphero().refreshToken() != null || connection.shiphero().accessToken() != null;
    }

    private static String trim(String url) {
        return url == null ? null : url.trim().replaceAll("/+$", "");
    }
}
