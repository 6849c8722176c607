package com.returnbridge.console;

import com.returnbridge.bridge.NotFound;
import com.returnbridge.bridge.OperatorActions;
import com.returnbridge.connection.Connections;
import com.returnbridge.connection.Sla;
import com.returnbridge.connection.Slas;
import com.returnbridge.monitor.AgingQueue;
import com.returnbridge.monitor.ExceptionsReport;
import java.time.Duration;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.stereotype.Service;

/**
 * What the aging and exceptions pages and their API show, and the exceptions' bulk actions, which are the operator
 * actions the return and connection pages already offer (retry, replay, re-run the decision) applied to every item
 * of a kind on one connection. The listing takes a set of connection ids (null: all), so a caller limited to some
 * connections passes them.
 */
@Service
public class SlaViews {

    /** A connection's SLA as the pages and the API show it. */
    public record SlaView(String connectionId, String processWithin, String allowed, String businessHours,
                          String zone, String rmaOpenAfter) {
        static SlaView of(String id, Sla sla) {
            String clock = sla.clock().toString();
            return new SlaView(id, sla.processWithin(), human(sla.allowed()) + " of business time",
                    clock.substring(0, clock.lastIndexOf(' ')), sla.clock().zone().getId(), sla.rmaOpenAfter().toString());
        }
    }

    /** {@code GET /api/aging}: the queue soonest due first, with counts. */
    public record Aging(String now, List<SlaView> slas, Map<AgingQueue.Queue, Long> counts, long breached,
                        List<AgingRow> items) {
    }

    /** An aging item with its durations in ISO-8601 and words, for JSON and the page. */
    public record AgingRow(String connectionId, String loopReturnId, long id, String orderName, String state,
                           AgingQueue.Queue queue, String reason, String startedAt, String dueAt, String timeLeft,
                           String businessTimeLeft, String timeLeftText, boolean breached, String link) {
        static AgingRow of(AgingQueue.Item i) {
            java.time.temporal.ChronoUnit s = java.time.temporal.ChronoUnit.SECONDS;
            return new AgingRow(i.connectionId(), i.loopReturnId(), i.linkId(), i.orderName(), i.state(), i.queue(),
                    i.reason(), i.startedAt().toInstant().truncatedTo(s).toString(), i.dueAt().truncatedTo(s).toString(),
                    i.timeLeft().truncatedTo(s).toString(), i.businessTimeLeft().truncatedTo(s).toString(), (i.breached() ? "overdue " + human(i.timeLeft().negated())
                    : human(i.businessTimeLeft()) + " left"), i.breached(), i.link());
        }
    }

    /** {@code GET /api/exceptions}: every kind with its count, per connection, and its items (links included). */
    public record ExceptionsView(long total, List<ExceptionsReport.KindReport> kinds) {
    }

    /** What a bulk action did. */
    public record BulkResult(String kind, String action, String connection, int matched, int acted, String message) {
    }

    private final AgingQueue aging;
    private final ExceptionsReport exceptions;
    private final Slas slas;
    private final Connections connections;
    private final OperatorActions actions;
    private final DeliveryReplay replay;
    private final java.time.Clock clock;
    private final Access access;

    SlaViews(AgingQueue aging, ExceptionsReport exceptions, Slas slas, Connections connections,
             OperatorActions actions, DeliveryReplay replay, java.time.Clock clock, Access access) {
        this.access = access;
        this.clock = clock;
        this.aging = aging;
        this.exceptions = exceptions;
        this.slas = slas;
        this.connections = connections;
        this.actions = actions;
        this.replay = replay;
    }

    /** The connection named (404 when there is none), or null for all. */
    public Set<String> scope(String connection) {
        if (connection == null || connection.isBlank()) {
            // no connection named: every one the person may read (a merchant user: its own)
            return access.only().orElse(null);
        }
        if (connections.find(connection).isEmpty()) {
            throw new NotFound("no connection " + connection);
        }
        return Set.of(connection);
    }

    public Aging aging(Collection<String> connectionIds) {
        java.time.Instant now = clock.instant();
        List<AgingQueue.Item> items = aging.list(connectionIds, now);
        Map<AgingQueue.Queue, Long> counts = new EnumMap<>(AgingQueue.Queue.class);
        for (AgingQueue.Queue q : AgingQueue.Queue.values()) {
            counts.put(q, 0L);
        }
        items.forEach(i -> counts.merge(i.queue(), 1L, Long::sum));
        List<SlaView> views = connections.ids().stream()
                .filter(id -> connectionIds == null || connectionIds.contains(id))
                .map(id -> SlaView.of(id, slas.of(id))).toList();
        return new Aging(now.toString(), views, counts,
                items.stream().filter(AgingQueue.Item::breached).count(),
                items.stream().map(AgingRow::of).toList());
    }

    public ExceptionsView exceptions(Collection<String> connectionIds) {
        List<ExceptionsReport.KindReport> kinds = exceptions.report(connectionIds);
        return new ExceptionsView(kinds.stream().mapToLong(ExceptionsReport.KindReport::count).sum(), kinds);
    }

    /**
     * The kind's bulk action on every item of it on {@code connection} (for NEEDS_ATTENTION, of one reason group when
     * given). A kind with no action, or an unknown one, is refused (400) before anything is done.
     */
    public BulkResult bulk(String kindText, String connection, String reason, String by) {
        ExceptionsReport.Kind kind = ExceptionsReport.Kind.of(kindText);
        if (kind == null) {
            throw new IllegalArgumentException("no exception kind '" + shorten(kindText) + "'; kinds: "
                    + String.join(", ", java.util.Arrays.stream(ExceptionsReport.Kind.values())
                    .map(ExceptionsReport.Kind::slug).toList()));
        }
        if (connection == null || connection.isBlank()) {
            throw new IllegalArgumentException("connection is required: a bulk action works on one connection");
        }
        Set<String> scope = scope(connection);
        if (kind.action() == ExceptionsReport.Action.NONE) {
            throw new IllegalArgumentException(kind.slug() + " has no bulk action: each needs a person in Loop or "
                    + "ShipHero (open its link)");
        }
        List<ExceptionsReport.Item> items = exceptions.items(kind, scope, reason);
        int acted = 0;
        if (kind.action() == ExceptionsReport.Action.REPLAY && kind == ExceptionsReport.Kind.UNREADABLE) {
            DeliveryReplay.BulkResult r = replay.replayUnreadable(connection, by);
            return new BulkResult(kind.slug(), kind.action().path(), connection, items.size(), r.replayed(),
                    r.message());
        }
        for (ExceptionsReport.Item item : items) {
            boolean changed = switch (kind.action()) {
                case RETRY -> actions.retry(item.linkId(), by).changed();
                case RERUN_DECISION -> actions.rerunDecision(item.linkId(), by).changed();
                case REPLAY -> {
                    replay.replay(item.deliveryId(), by);
                    yield true;
                }
                case NONE -> false;
            };
            if (changed) {
                acted++;
            }
        }
        return new BulkResult(kind.slug(), kind.action().path(), connection, items.size(), acted,
                kind.action().path() + " on " + acted + " of " + items.size() + " item(s) of " + kind.slug()
                        + (reason == null || reason.isBlank() ? "" : " (" + reason + ")"));
    }

    static String human(Duration d) {
        long minutes = Math.abs(d.toMinutes());
        String sign = d.isNegative() ? "-" : "";
        if (minutes < 120) {
            return sign + minutes + " min";
        }
        long hours = minutes / 60;
        return sign + (hours < 48 ? hours + " h" : hours / 24 + " d " + hours % 24 + " h");
    }

    private static String shorten(String s) {
        return s == null ? "" : s.length() <= 40 ? s : s.substring(0, 40) + "…";
    }
}
