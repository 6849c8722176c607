package com.returnbridge.monitor;

import static com.returnbridge.bridge.TimelineKind.SHIPHERO_WEBHOOK_CHECK_FAILED;
import static com.returnbridge.bridge.TimelineKind.SHIPHERO_WEBHOOK_LOST;
import static com.returnbridge.bridge.TimelineKind.SHIPHERO_WEBHOOK_OK;
import static com.returnbridge.bridge.TimelineKind.SHIPHERO_WEBHOOK_RECOVERY_SWEEP;
import static com.returnbridge.bridge.TimelineKind.SHIPHERO_WEBHOOK_REREGISTERED;
import static com.returnbridge.bridge.TimelineKind.SHIPHERO_WEBHOOK_REREGISTER_FAILED;

import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import com.returnbridge.bridge.Timeline;
import com.returnbridge.vendor.VendorException;
import com.returnbridge.connection.Connection;
import com.returnbridge.connection.Connections;
import com.returnbridge.onboarding.ShipHeroWebhookRegistration;
import com.returnbridge.onboarding.ShipHeroWebhookRegisteredByConnect;
import com.returnbridge.reconcile.Reconciler;
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
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.EventListener;
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
 *
 * <p>Webhooks get lost (since 2026-04-20 ShipHero takes failing ones out of service; they are deleted or re-pointed by
 * hand too), so this is expected, not exceptional: when the check finds ours MISSING or at a WRONG_URL it registers it
 * again as Connect does, through {@link ShipHeroWebhookRegistration} (unless
 * {@code returnbridge.webhook-check.re-register} is false or the connection is paused), keeps the new secret and
 * sweeps the connection at once, because ShipHero does not re-send what it could not deliver meanwhile.
 *
 * <p>One class, over 300 lines: the judgement, the stored verdict and the re-registration happen under one lock, so
 * the recurring check and a <i>Check now</i> never both register; the judging itself is static and tested alone.
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

    /** Who stored the new secret, in the connection's history. */
    static final String BY = "webhook-check";
    private static final String FAILED = "registering it again failed: ";

    private final Connections connections;
    private final ShipHeroAdminClient shiphero;
    private final WebhookChecks checks;
    private final Timeline timeline;
    private final String publicUrl;
    private final Duration interval;
    private final Reconciler reconciler;
    private final ShipHeroWebhookRegistration registration;
    private final boolean reRegister;

    public ShipHeroWebhookCheck(Connections connections, ShipHeroAdminClient shiphero, WebhookChecks checks,
                                Timeline timeline, @Value("${returnbridge.public-url:}") String publicUrl,
                                @Value("${returnbridge.webhook-check.interval:${returnbridge.reconcile.interval:PT10M}}")
                                Duration interval, Reconciler reconciler, ShipHeroWebhookRegistration registration,
                                @Value("${returnbridge.webhook-check.re-register:true}") boolean reRegister) {
        this.connections = connections;
        this.shiphero = shiphero;
        this.checks = checks;
        this.timeline = timeline;
        this.publicUrl = publicUrl == null ? "" : publicUrl.replaceAll("/+$", "");
        this.interval = interval;
        this.reconciler = reconciler;
        this.registration = registration;
        this.reRegister = reRegister;
    }

    public boolean reRegisters() {
        return reRegister;
    }

    /** The recurring task, started with the reconciliation sweep on the same scheduler. */
    @Bean("shipHeroWebhookCheckTask")
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

    /**
     * Checks now and stores the result; a change to MISSING or WRONG_URL is written to the timeline (and alerted),
     * then the webhook is registered again when that is on. One check at a time in this instance, so the recurring
     * check and a <i>Check now</i> never both register it.
     */
    public synchronized Result check(Connection connection) {
        Judgement judgement;
        Optional<WebhookChecks.Check> before = checks.find(connection.id(), WebhookChecks.SHIPHERO);
        String expected = expectedUrl(connection.id(), before.map(WebhookChecks.Check::registeredUrl).orElse(null));
        List<ShipHeroAdminClient.Webhook> listed = null;
        if (!hasCredentials(connection)) {
            judgement = new Judgement(Verdict.CHECK_FAILED, "no ShipHero refresh or access token is set");
        } else {
            try {
                listed = shiphero.webhooks(connection);
                judgement = judge(connection.id(), expected, listed);
            } catch (VendorException e) {
                judgement = new Judgement(Verdict.CHECK_FAILED, "could not list ShipHero webhooks: " + e.getMessage());
            } catch (RuntimeException e) {
                judgement = new Judgement(Verdict.CHECK_FAILED, "could not list ShipHero webhooks: "
                        + e.getClass().getSimpleName());
            }
        }
        Result reported = store(connection.id(), judgement);
        boolean lost = judgement.verdict() == Verdict.MISSING || judgement.verdict() == Verdict.WRONG_URL;
        if (lost && listed != null && reRegister && !connections.isPaused(connection.id())) {
            return registerAgain(connection.id(), expected, listed, judgement,
                    before.map(WebhookChecks.Check::detail).orElse(null), reported);
        }
        return reported;
    }

    /**
     * As Connect does ({@link ShipHeroWebhookRegistration}): delete ours when it points elsewhere, create it at the
     * expected URL, store the secret shown this once (encrypted), then sweep the connection for what ShipHero could
     * not deliver meanwhile. A failure is stored with the verdict, written once per distinct reason
     * (and alerted), and tried again at the next check.
     */
    private Result registerAgain(String connectionId, String expected, List<ShipHeroAdminClient.Webhook> listed,
                                 Judgement lost, String previousDetail, Result reported) {
        String failure;
        try {
            if (expected == null) {
                failure = "no URL to register: Connect never registered this webhook and returnbridge.public-url is "
                        + "not set (run Connect once)";
            } else {
                return registered(connectionId, expected, listed, lost);
            }
        } catch (VendorException e) {
            failure = e.getMessage();
        } catch (RuntimeException e) {
            failure = e.getClass().getSimpleName();
            log.warn("registering the ShipHero webhook of {} again failed: {}", connectionId, e.toString());
        }
        // The reason first: a long detail is cut at its end, and the next check compares the reason.
        String reason = FAILED + failure + " (tried again at the next check)";
        checks.save(connectionId, WebhookChecks.SHIPHERO, lost.verdict().name(), reason + ". " + lost.detail());
        if (previousDetail == null || !previousDetail.startsWith(reason)) {
            timeline.record(null, connectionId, null, SHIPHERO_WEBHOOK_REREGISTER_FAILED,
                    "ShipHero Return Update webhook "
                    + lost.verdict() + ": registering it again failed: " + failure
                    + " — tried again at the next check; re-run Connect to do it now");
        }
        WebhookChecks.Check now = checks.find(connectionId, WebhookChecks.SHIPHERO).orElseThrow();
        return new Result(connectionId, now.verdict(), now.detail(), now.registeredUrl(), now.checkedAt(),
                reported.changed());
    }

    private Result registered(String connectionId, String url, List<ShipHeroAdminClient.Webhook> listed,
                              Judgement lost) {
        boolean replaced = registration.register(connections.get(connectionId), url, listed, BY);
        checks.registered(connectionId, WebhookChecks.SHIPHERO, url);
        checks.save(connectionId, WebhookChecks.SHIPHERO, Verdict.REGISTERED.name(), "Return Update → " + url
                + " (registered again by the webhook check)");
        timeline.record(null, connectionId, null, SHIPHERO_WEBHOOK_REREGISTERED,
                "ShipHero Return Update webhook registered "
                + "again → " + url + " (it was " + lost.verdict() + (replaced ? "; ours, pointing elsewhere, was "
                + "deleted first" : "") + "); the new shared secret is stored encrypted");
        sweep(connectionId);
        WebhookChecks.Check now = checks.find(connectionId, WebhookChecks.SHIPHERO).orElseThrow();
        return new Result(connectionId, now.verdict(), now.detail(), now.registeredUrl(), now.checkedAt(), true);
    }

    /** What ShipHero could not deliver while the webhook was gone is not sent again: the sweep finds it. */
    private void sweep(String connectionId) {
        try {
            // a full pass: a change made meanwhile may not have touched its order (the ordinary sweep's source)
            Reconciler.Result r = reconciler.sweep(connections.get(connectionId), true);
            timeline.record(null, connectionId, null, SHIPHERO_WEBHOOK_RECOVERY_SWEEP,
                    "sweep run at once to cover the time "
                    + "without the ShipHero webhook: " + r.rmasRead() + " RMA(s) read, " + r.rmasChanged()
                    + " changed status; " + r.loopSeen() + " Loop return(s) seen, " + (r.loopMissed() + r.loopChanged())
                    + " missed" + (r.errors().isEmpty() ? "" : "; errors: " + String.join("; ", r.errors())
                    + " (the periodic sweep tries again)"));
        } catch (RuntimeException e) {
            log.warn("recovery sweep of {} failed: {}", connectionId, e.toString());
            timeline.record(null, connectionId, null, SHIPHERO_WEBHOOK_RECOVERY_SWEEP,
                    "the sweep to cover the time without the "
                    + "ShipHero webhook failed (" + e.getClass().getSimpleName() + "); the periodic sweep covers it");
        }
    }

    /** Connect has just registered (or found) our webhook: its URL is the one to look for. */
    @EventListener
    public void registeredByConnect(ShipHeroWebhookRegisteredByConnect registered) {
        String connectionId = registered.connectionId();
        String url = registered.url();
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
            case MISSING, WRONG_URL -> timeline.record(null, connectionId, null, SHIPHERO_WEBHOOK_LOST,
                    "ShipHero Return Update "
                    + "webhook " + judgement.verdict() + was + ": " + judgement.detail() + (!reRegister
                    ? " — re-run Connect to register it again" : connections.isPaused(connectionId)
                    ? " — the connection is paused: resume it or re-run Connect to register it again"
                    : " — registering it again"));
            case REGISTERED -> {
                if (previous != null) {
                    timeline.record(null, connectionId, null, SHIPHERO_WEBHOOK_OK,
                            "ShipHero Return Update webhook REGISTERED"
                            + was + ": " + judgement.detail());
                }
            }
            case CHECK_FAILED -> timeline.record(null, connectionId, null, SHIPHERO_WEBHOOK_CHECK_FAILED,
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

    static String shopName(String connectionId) {
        return ShipHeroWebhookRegistration.shopName(connectionId);
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
        String shopName = shopName(connectionId);
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
