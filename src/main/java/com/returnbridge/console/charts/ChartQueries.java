package com.returnbridge.console.charts;

import com.returnbridge.bridge.TimelineKind;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The figures behind the console's charts, per connection or for all ({@code connectionId} null), in UTC days and
 * weeks (weeks start on Monday). Counted from the timeline, so they need nothing stored for them.
 */
@Component
public class ChartQueries {

    static final int DAYS = 30;
    static final int WEEKS = 12;

    /** Each outcome a day can show and the timeline kinds that mean it (a return counts once per outcome and day). */
    enum Outcome {
        PROCESSED("processed", TimelineKind.LOOP_PROCESSED, TimelineKind.LOOP_ALREADY_CLOSED),
        FLAGGED("flagged", TimelineKind.LOOP_FLAGGED),
        NEEDS_ATTENTION("needs attention", TimelineKind.NEEDS_ATTENTION);

        final String label;
        final List<TimelineKind> kinds;

        Outcome(String label, TimelineKind... kinds) {
            this.label = label;
            this.kinds = List.of(kinds);
        }

        static Outcome of(String kind) {
            for (Outcome o : values()) {
                if (o.kinds.stream().anyMatch(k -> k.name().equals(kind))) {
                    return o;
                }
            }
            return null;
        }
    }

    public record Series(String outcome, String label, List<Integer> counts) {
    }

    public record Outcomes(String connection, LocalDate from, LocalDate to, List<LocalDate> days,
                           List<Series> series) {
    }

    public record Week(LocalDate week, int returns, Double medianSeconds, Double p90Seconds) {
    }

    public record ConfirmationTimes(String connection, String measuredFrom, String measuredTo, List<Week> weeks) {
    }

    /** One return's way from the warehouse's receipt to Loop's confirmation. */
    record Interval(Instant start, Instant end) {
        Duration duration() {
            return Duration.between(start, end);
        }
    }

    private final JdbcClient jdbc;
    private final Clock clock;

    public ChartQueries(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** Returns per day by outcome over the last {@value #DAYS} days, today (UTC) included. */
    public Outcomes outcomes(String connectionId) {
        return outcomes(connectionId, null);
    }

    /** As above, counting only the connections in {@code within} (null: every one), for a merchant's overview. */
    public Outcomes outcomes(String connectionId, Set<String> within) {
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        LocalDate first = today.minusDays(DAYS - 1);
        List<LocalDate> days = new ArrayList<>(DAYS);
        for (int i = 0; i < DAYS; i++) {
            days.add(first.plusDays(i));
        }
        Map<Outcome, List<Set<Long>>> seen = new LinkedHashMap<>();
        for (Outcome o : Outcome.values()) {
            List<Set<Long>> perDay = new ArrayList<>(DAYS);
            for (int i = 0; i < DAYS; i++) {
                perDay.add(new HashSet<>());
            }
            seen.put(o, perDay);
        }
        String kinds = Arrays.stream(Outcome.values()).flatMap(o -> o.kinds.stream())
                .map(k -> "'" + k.name() + "'").reduce((a, b) -> a + ", " + b).orElseThrow();
        jdbc.sql("""
                SELECT link_id, kind, at FROM timeline_entry
                 WHERE kind IN (%s) AND at >= :since AND link_id IS NOT NULL
                   AND (CAST(:connection AS VARCHAR(100)) IS NULL OR connection_id = :connection)
                   AND (:everyConnection OR connection_id IN (:within))""".formatted(kinds))
                .param("since", first.atStartOfDay().atOffset(ZoneOffset.UTC))
                .param("connection", connectionId)
                .param("everyConnection", within == null)
                .param("within", inList(within))
                .query(rs -> {
                    Outcome outcome = Outcome.of(rs.getString("kind"));
                    LocalDate day = LocalDate.ofInstant(rs.getObject("at", OffsetDateTime.class).toInstant(),
                            ZoneOffset.UTC);
                    int index = (int) ChronoUnit.DAYS.between(first, day);
                    if (outcome != null && index >= 0 && index < DAYS) {
                        seen.get(outcome).get(index).add(rs.getLong("link_id"));
                    }
                });
        List<Series> series = seen.entrySet().stream().map(e -> new Series(
                e.getKey().name().toLowerCase(java.util.Locale.ROOT), e.getKey().label,
                e.getValue().stream().map(Set::size).toList())).toList();
        return new Outcomes(connectionId, first, today, days, series);
    }

    /**
     * Median and 90th percentile (nearest rank) of the time from the warehouse's receipt to Loop's confirmation, per
     * week of the confirmation, over the last {@value #WEEKS} weeks (this one included).
     */
    public ConfirmationTimes confirmationTimes(String connectionId) {
        return confirmationTimes(connectionId, null);
    }

    /** As above, over the connections in {@code within} only (null: every one). */
    public ConfirmationTimes confirmationTimes(String connectionId, Set<String> within) {
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        LocalDate thisWeek = today.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
        LocalDate firstWeek = thisWeek.minusWeeks(WEEKS - 1);
        List<List<Long>> perWeek = new ArrayList<>(WEEKS);
        for (int i = 0; i < WEEKS; i++) {
            perWeek.add(new ArrayList<>());
        }
        for (Interval interval : confirmationIntervals(connectionId, within,
                firstWeek.atStartOfDay().atOffset(ZoneOffset.UTC))) {
            LocalDate day = LocalDate.ofInstant(interval.end(), ZoneOffset.UTC);
            int index = (int) ChronoUnit.WEEKS.between(firstWeek, day);
            if (index >= 0 && index < WEEKS && !interval.end().isBefore(interval.start())) {
                perWeek.get(index).add(interval.duration().toMillis());
            }
        }
        List<Week> weeks = new ArrayList<>(WEEKS);
        for (int i = 0; i < WEEKS; i++) {
            long[] millis = perWeek.get(i).stream().mapToLong(Long::longValue).sorted().toArray();
            weeks.add(new Week(firstWeek.plusWeeks(i), millis.length, seconds(percentile(millis, 50)),
                    seconds(percentile(millis, 90))));
        }
        return new ConfirmationTimes(connectionId, START, END, weeks);
    }

    /** What the interval is measured from and to, as the API and the chart's caption say it. */
    static final String START = "the carrier delivered the parcel to the warehouse (Loop's label update; without one, "
            + "the warehouse's first status after Pending)";
    static final String END = "Loop confirmed the return closed (the RMA then closed)";

    /**
     * The one place the confirmation chart reads its clock times from: the return's SLA clocks (issue 13), from
     * delivery to the warehouse (or, when Loop never reported the delivery, the warehouse's receipt) to Loop's
     * confirmation. Returns confirmed since {@code since}.
     */
    List<Interval> confirmationIntervals(String connectionId, Set<String> within, OffsetDateTime since) {
        return jdbc.sql("""
                SELECT COALESCE(delivered_at, received_at) AS started_at, confirmed_at FROM return_link
                 WHERE confirmed_at >= :since AND COALESCE(delivered_at, received_at) IS NOT NULL
                   AND (CAST(:connection AS VARCHAR(100)) IS NULL OR connection_id = :connection)
                   AND (:everyConnection OR connection_id IN (:within))""")
                .param("since", since)
                .param("connection", connectionId)
                .param("everyConnection", within == null)
                .param("within", inList(within))
                .query((rs, n) -> new Interval(rs.getObject("started_at", OffsetDateTime.class).toInstant(),
                        rs.getObject("confirmed_at", OffsetDateTime.class).toInstant()))
                .list();
    }

    /** An IN list is never empty in SQL: no connection has the empty id, so "none" matches nothing. */
    private static Set<String> inList(Set<String> within) {
        return within == null || within.isEmpty() ? Set.of("") : within;
    }

    private static Double seconds(Long millis) {
        return millis == null ? null : millis / 1000.0;
    }

    /** Nearest rank: the smallest value with at least p % of the values at or below it; null without values. */
    static Long percentile(long[] sorted, int p) {
        if (sorted.length == 0) {
            return null;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(rank, 1) - 1];
    }
}
