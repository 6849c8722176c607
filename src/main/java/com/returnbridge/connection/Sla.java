package com.returnbridge.connection;

import java.time.Duration;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A connection's processing SLA: a return is to be processed (or flagged, decided) within {@code days} business days
 * and {@code time} business hours of its delivery, on the {@link BusinessClock}. {@code rmaOpenAfter}: how long after
 * Loop accepted Process an RMA still open (Loop has not confirmed) is shown as an exception (wall-clock time).
 */
public record Sla(String processWithin, int days, Duration time, BusinessClock clock, Duration rmaOpenAfter) {

    private static final Pattern WITHIN = Pattern.compile("P(?:(\\d+)D)?(?:T(.+))?", Pattern.CASE_INSENSITIVE);

    /**
     * @param processWithin ISO-8601 like {@code P2D} (2 business days), {@code PT4H} (4 business hours) or
     *                      {@code P1DT4H}
     * @throws IllegalArgumentException naming the setting and the value refused
     */
    public static Sla of(String processWithin, String hours, String days, String zone, Duration rmaOpenAfter) {
        String text = processWithin == null ? "" : processWithin.trim();
        Matcher m = WITHIN.matcher(text);
        if (!m.matches() || (m.group(1) == null && m.group(2) == null)) {
            throw new IllegalArgumentException("sla.process-within must be a duration like P2D or PT8H (was '"
                    + processWithin + "')");
        }
        int d = m.group(1) == null ? 0 : Integer.parseInt(m.group(1));
        Duration t;
        try {
            t = m.group(2) == null ? Duration.ZERO : Duration.parse("PT" + m.group(2));
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("sla.process-within must be a duration like P2D or PT8H (was '"
                    + processWithin + "')");
        }
        if (t.isNegative() || d > 3000) {
            throw new IllegalArgumentException("sla.process-within must be a positive duration (was '" + processWithin
                    + "')");
        }
        return new Sla(text.toUpperCase(java.util.Locale.ROOT), d, t, BusinessClock.parse(hours, days, zone),
                rmaOpenAfter == null ? Duration.ofDays(1) : rmaOpenAfter);
    }

    public static Sla defaults() {
        return of("P2D", "09:00-17:00", "MON-FRI", "UTC", Duration.ofDays(1));
    }

    /** How much business time the SLA allows. */
    public Duration allowed() {
        return clock.dayLength().multipliedBy(days).plus(time);
    }

    /** When a return whose clock started at {@code start} is due. */
    public Instant due(Instant start) {
        return clock.plus(start, allowed());
    }
}
