package com.returnbridge.console.billing;

import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/**
 * The days a billing export covers: {@code from} and {@code to} inclusive, UTC days. A return belongs to the period
 * when Returnbridge took it in (its link was created) on one of those days.
 */
public record BillingPeriod(LocalDate from, LocalDate to) {

    /** A year and a day: a leap year's export fits, and one request cannot ask for the whole history. */
    static final int MAX_DAYS = 366;

    public BillingPeriod {
        if (to.isBefore(from)) {
            throw new IllegalArgumentException("'to' (" + to + ") is before 'from' (" + from + ")");
        }
        if (ChronoUnit.DAYS.between(from, to) + 1 > MAX_DAYS) {
            throw new IllegalArgumentException("a billing period is " + MAX_DAYS + " days at most (asked: " + from
                    + " to " + to + ")");
        }
    }

    /**
     * From the request's parameters, any of which may be absent: {@code month} ({@code 2026-11}) alone, or
     * {@code from}/{@code to} ({@code 2026-11-01}); one of those alone extends to its month's other end; none is the
     * current month (UTC). Anything unreadable is an {@link IllegalArgumentException} naming the parameter.
     */
    public static BillingPeriod of(String from, String to, String month, Clock clock) {
        boolean hasFrom = present(from);
        boolean hasTo = present(to);
        if (present(month)) {
            if (hasFrom || hasTo) {
                throw new IllegalArgumentException("give either 'month' or 'from'/'to', not both");
            }
            return month(parseMonth(month));
        }
        if (!hasFrom && !hasTo) {
            return month(YearMonth.from(LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC)));
        }
        LocalDate start = hasFrom ? parseDate("from", from) : null;
        LocalDate end = hasTo ? parseDate("to", to) : null;
        if (start == null) {
            start = YearMonth.from(end).atDay(1);
        }
        if (end == null) {
            end = YearMonth.from(start).atEndOfMonth();
        }
        return new BillingPeriod(start, end);
    }

    static BillingPeriod month(YearMonth month) {
        return new BillingPeriod(month.atDay(1), month.atEndOfMonth());
    }

    /** The first instant of the period (midnight UTC of {@code from}). */
    public OffsetDateTime startInclusive() {
        return from.atStartOfDay().atOffset(ZoneOffset.UTC);
    }

    /** The first instant after the period (midnight UTC after {@code to}). */
    public OffsetDateTime endExclusive() {
        return to.plusDays(1).atStartOfDay().atOffset(ZoneOffset.UTC);
    }

    /** {@code billing-acme-2026-11-01-2026-11-30.csv}: the connection id is kept to letters, digits, - and _. */
    public String fileName(String connectionId, String extension) {
        return "billing-" + connectionId.replaceAll("[^A-Za-z0-9_-]", "_") + "-" + from + "-" + to + "." + extension;
    }

    private static boolean present(String value) {
        return value != null && !value.isBlank();
    }

    private static LocalDate parseDate(String name, String value) {
        try {
            return LocalDate.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'" + name + "' must be a date like 2026-11-01 (got '" + shorten(value)
                    + "')");
        }
    }

    private static YearMonth parseMonth(String value) {
        try {
            return YearMonth.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'month' must be a month like 2026-11 (got '" + shorten(value) + "')");
        }
    }

    private static String shorten(String value) {
        return value.length() > 40 ? value.substring(0, 40) + "…" : value;
    }
}
