package com.returnbridge.monitor;

import com.returnbridge.bridge.TimelineKind;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;

/**
 * The alerting hook: posts {@code {"text": "…"}} (the shape of a Slack incoming webhook) to
 * {@code returnbridge.alerts.webhook-url} when a return enters NEEDS_ATTENTION, when the ShipHero webhook check finds
 * a connection's Return Update webhook missing or pointing elsewhere (and when it registers it again, with the sweep
 * that follows, or cannot), when a signed delivery had to be stored as UNREADABLE, when Loop restocked a return
 * ShipHero restocked too (RESTOCK_DOUBLED, the restock guard), or when a connection's jobs keep
 * retrying (a vendor keeps failing: {@code returnbridge.alerts.failing-threshold} retries within 10 minutes).
 * Rate-limited to {@code returnbridge.alerts.max-per-hour} messages; what is held back is summed up in the next one.
 * It reads new timeline entries every {@code returnbridge.alerts.poll}, so it needs no hook in the jobs.
 */
@Component
public class AlertNotifier implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(AlertNotifier.class);
    private static final Duration FAILING_WINDOW = Duration.ofMinutes(10);
    private static final Duration FAILING_COOLDOWN = Duration.ofMinutes(30);

    record NewEntry(long id, String connectionId, String loopReturnId, Long linkId, String kind, String message) {
    }

    private final JdbcClient jdbc;
    private final Clock clock;
    private final String url;
    private final Duration poll;
    private final int failingThreshold;
    private final Bucket bucket;
    private final RestClient http;
    private final AtomicInteger suppressed = new AtomicInteger();
    private final Map<String, Instant> failingAlertedAt = new ConcurrentHashMap<>();
    private volatile long lastSeen = -1;
    private volatile ScheduledExecutorService executor;

    public AlertNotifier(JdbcClient jdbc, Clock clock, @Value("${returnbridge.alerts.webhook-url:}") String url,
                         @Value("${returnbridge.alerts.poll:PT15S}") Duration poll,
                         @Value("${returnbridge.alerts.max-per-hour:20}") int maxPerHour,
                         @Value("${returnbridge.alerts.failing-threshold:10}") int failingThreshold,
                         com.returnbridge.vendor.VendorTimeouts timeouts) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.url = url == null ? "" : url.trim();
        this.poll = poll;
        this.failingThreshold = failingThreshold;
        this.bucket = Bucket.builder().addLimit(Bandwidth.builder().capacity(Math.max(1, maxPerHour))
                .refillGreedy(Math.max(1, maxPerHour), Duration.ofHours(1)).build()).build();
        this.http = RestClient.builder().requestFactory(timeouts.requestFactory()).build();
    }

    public boolean enabled() {
        return !url.isEmpty();
    }

    /** One pass: alerts for entries since the last pass. Public for tests. */
    public synchronized int check() {
        if (lastSeen < 0) {
            lastSeen = maxId();
            return 0;
        }
        int sent = 0;
        List<NewEntry> entries = jdbc.sql("""
                SELECT id, connection_id, loop_return_id, link_id, kind, message FROM timeline_entry
                 WHERE id > :lastSeen AND kind IN (:kinds) ORDER BY id FETCH FIRST 200 ROWS ONLY""")
                .param("lastSeen", lastSeen)
                .param("kinds", TimelineKind.alerting().stream().map(TimelineKind::name).toList())
                .query(NewEntry.class).list();
        for (NewEntry e : entries) {
            String text = e.kind().startsWith("SHIPHERO_WEBHOOK_")
                    ? (e.kind().equals(TimelineKind.SHIPHERO_WEBHOOK_LOST.name())
                    || e.kind().equals(TimelineKind.SHIPHERO_WEBHOOK_REREGISTER_FAILED.name()) ? ":rotating_light:"
                    : ":white_check_mark:") + " Returnbridge — " + e.connectionId() + ": " + e.message()
                    : TimelineKind.RESTOCK_DOUBLED.name().equals(e.kind())
                    ? ":rotating_light: Returnbridge — " + e.connectionId() + ": Loop return " + e.loopReturnId() + " "
                    + e.message()
                    : TimelineKind.DELIVERY_UNREADABLE.name().equals(e.kind())
                    ? ":warning: Returnbridge — " + e.connectionId() + ": " + e.message()
                    : TimelineKind.SLA_BREACH.name().equals(e.kind())
                    ? ":hourglass: Returnbridge — " + e.connectionId() + ": Loop return " + e.loopReturnId() + " "
                    + e.message()
                    : ":warning: Returnbridge — " + e.connectionId() + ": Loop return " + e.loopReturnId()
                    + " needs attention: " + e.message();
            if (send(text)) {
                sent++;
            }
        }
        lastSeen = Math.max(lastSeen, entries.isEmpty() ? maxId() : entries.get(entries.size() - 1).id());
        OffsetDateTime since = OffsetDateTime.ofInstant(clock.instant().minus(FAILING_WINDOW), ZoneOffset.UTC);
        for (Map.Entry<String, Long> failing : jdbc.sql("""
                SELECT connection_id, COUNT(*) FROM timeline_entry WHERE kind = ? AND at >= ?
                 GROUP BY connection_id""").params(TimelineKind.RETRY.name(), since)
                .query((rs, n) -> Map.entry(rs.getString(1), rs.getLong(2))).list()) {
            Instant last = failingAlertedAt.get(failing.getKey());
            if (failing.getValue() >= failingThreshold
                    && (last == null || last.plus(FAILING_COOLDOWN).isBefore(clock.instant()))) {
                failingAlertedAt.put(failing.getKey(), clock.instant());
                if (send(":rotating_light: Returnbridge — " + failing.getKey() + ": " + failing.getValue()
                        + " retries in the last 10 minutes; a vendor keeps failing (see the console)")) {
                    sent++;
                }
            }
        }
        return sent;
    }

    private boolean send(String text) {
        if (!enabled()) {
            return false;
        }
        if (!bucket.tryConsume(1)) {
            suppressed.incrementAndGet();
            return false;
        }
        int held = suppressed.getAndSet(0);
        String body = held > 0 ? text + " (+" + held + " alert(s) held back by the rate limit)" : text;
        try {
            http.post().uri(url).contentType(MediaType.APPLICATION_JSON).body(Map.of("text", body)).retrieve()
                    .toBodilessEntity();
            return true;
        } catch (RuntimeException e) {
            log.warn("alert webhook failed: {}", e.getClass().getSimpleName());
            return false;
        }
    }

    private long maxId() {
        Long max = jdbc.sql("SELECT MAX(id) FROM timeline_entry").query(Long.class).optional().orElse(null);
        return max == null ? 0 : max;
    }

    @Override
    public void start() {
        if (!enabled()) {
            return;
        }
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "returnbridge-alerts");
            t.setDaemon(true);
            return t;
        });
        executor.scheduleWithFixedDelay(() -> {
            try {
                check();
            } catch (RuntimeException e) {
                log.warn("alert check failed: {}", e.toString());
            }
        }, 0, poll.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        if (executor != null) {
            executor.shutdownNow();
            executor = null;
        }
    }

    @Override
    public boolean isRunning() {
        return executor != null;
    }
}
