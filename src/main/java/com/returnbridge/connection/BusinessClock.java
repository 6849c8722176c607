package com.returnbridge.connection;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Time that counts toward an SLA: business hours on business days in one zone ("2 business days of delivery" with
 * 09:00-17:00, MON-FRI, Europe/Berlin). Pure: every answer comes from its arguments, so tests give it any instant.
 * Days are walked in the zone, so a daylight-saving change moves the hours with the wall clock (a day of 00:00-24:00
 * is 23 or 25 hours long on the change), and hours that start in a gap start when the wall clock resumes.
 */
public final class BusinessClock {

    private static final int MAX_DAYS = 3700; // ten years: an SLA never spans more; bounds every walk

    private final ZoneId zone;
    private final LocalTime open;
    private final LocalTime close; // null: midnight at the end of the day (24:00)
    private final Set<DayOfWeek> days;

    public BusinessClock(ZoneId zone, LocalTime open, LocalTime close, Set<DayOfWeek> days) {
        if (days == null || days.isEmpty()) {
            throw new IllegalArgumentException("business days must name at least one day");
        }
        if (close != null && !close.isAfter(open)) {
            throw new IllegalArgumentException("business hours must end after they start (" + open + "-" + close + ")");
        }
        this.zone = zone;
        this.open = open;
        this.close = close;
        this.days = EnumSet.copyOf(days);
    }

    /**
     * Reads the settings as written in properties: hours {@code 09:00-17:00} (or {@code 00:00-24:00}), days
     * {@code MON-FRI}, {@code MON,TUE,THU} or {@code MON-SUN}, a zone id such as {@code America/New_York}.
     *
     * @throws IllegalArgumentException naming the setting and the value refused
     */
    public static BusinessClock parse(String hours, String daysText, String zoneText) {
        ZoneId zone;
        try {
            zone = ZoneId.of(zoneText == null || zoneText.isBlank() ? "UTC" : zoneText.trim());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("sla.zone is not a time zone id like Europe/Berlin (was '" + zoneText
                    + "')");
        }
        Matcher m = Pattern.compile("(\\d{1,2}):(\\d{2})\\s*-\\s*(\\d{1,2}):(\\d{2})")
                .matcher(hours == null ? "" : hours.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("sla.business-hours must look like 09:00-17:00 (was '" + hours + "')");
        }
        LocalTime open;
        LocalTime close;
        try {
            open = LocalTime.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
            close = m.group(3).equals("24") && m.group(4).equals("00") ? null
                    : LocalTime.of(Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4)));
        } catch (java.time.DateTimeException e) {
            throw new IllegalArgumentException("sla.business-hours must look like 09:00-17:00 (was '" + hours + "')");
        }
        return new BusinessClock(zone, open, close, parseDays(daysText));
    }

    static Set<DayOfWeek> parseDays(String text) {
        Set<DayOfWeek> result = EnumSet.noneOf(DayOfWeek.class);
        for (String part : (text == null ? "" : text).split(",")) {
            String p = part.trim();
            if (p.isEmpty()) {
                continue;
            }
            String[] range = p.split("-");
            if (range.length == 1) {
                result.add(day(range[0], text));
            } else if (range.length == 2) {
                DayOfWeek from = day(range[0], text);
                DayOfWeek to = day(range[1], text);
                for (DayOfWeek d = from; ; d = d.plus(1)) {
                    result.add(d);
                    if (d == to) {
                        break;
                    }
                }
            } else {
                throw badDays(text);
            }
        }
        if (result.isEmpty()) {
            throw badDays(text);
        }
        return result;
    }

    private static DayOfWeek day(String word, String text) {
        String w = word.trim().toUpperCase(Locale.ROOT);
        for (DayOfWeek d : DayOfWeek.values()) {
            if (w.length() >= 3 && d.name().startsWith(w)) {
                return d;
            }
        }
        throw badDays(text);
    }

    private static IllegalArgumentException badDays(String text) {
        return new IllegalArgumentException("sla.business-days must look like MON-FRI or MON,WED,FRI (was '" + text
                + "')");
    }

    public ZoneId zone() {
        return zone;
    }

    /** How long one business day is on an ordinary day (what "a business day" of an SLA adds). */
    public Duration dayLength() {
        return close == null ? Duration.ofDays(1).minus(Duration.between(LocalTime.MIDNIGHT, open))
                : Duration.between(open, close);
    }

    /** The instant when {@code amount} of business time has passed since {@code start}. */
    public Instant plus(Instant start, Duration amount) {
        if (amount.isNegative()) {
            throw new IllegalArgumentException("amount must not be negative");
        }
        Instant t = start;
        Duration left = amount;
        LocalDate date = t.atZone(zone).toLocalDate();
        for (int i = 0; i < MAX_DAYS; i++, date = date.plusDays(1)) {
            if (!days.contains(date.getDayOfWeek())) {
                continue;
            }
            Instant windowOpen = opens(date);
            Instant windowClose = closes(date);
            if (t.isBefore(windowOpen)) {
                t = windowOpen;
            }
            if (!t.isBefore(windowClose)) {
                continue;
            }
            if (left.isZero()) {
                return t;
            }
            Duration available = Duration.between(t, windowClose);
            if (left.compareTo(available) <= 0) {
                return t.plus(left);
            }
            left = left.minus(available);
            t = windowClose;
        }
        throw new IllegalArgumentException("business time " + amount + " does not end within " + MAX_DAYS + " days");
    }

    /** Business time from {@code from} to {@code to}; negative when {@code to} is before {@code from}. */
    public Duration between(Instant from, Instant to) {
        if (to.isBefore(from)) {
            return between(to, from).negated();
        }
        Duration total = Duration.ZERO;
        LocalDate date = from.atZone(zone).toLocalDate();
        LocalDate last = to.atZone(zone).toLocalDate();
        for (int i = 0; i < MAX_DAYS && !date.isAfter(last); i++, date = date.plusDays(1)) {
            if (!days.contains(date.getDayOfWeek())) {
                continue;
            }
            Instant a = max(opens(date), from);
            Instant b = min(closes(date), to);
            if (a.isBefore(b)) {
                total = total.plus(Duration.between(a, b));
            }
        }
        return total;
    }

    /** Whether {@code at} falls within business hours. */
    public boolean isOpen(Instant at) {
        LocalDate date = at.atZone(zone).toLocalDate();
        return days.contains(date.getDayOfWeek()) && !at.isBefore(opens(date)) && at.isBefore(closes(date));
    }

    private Instant opens(LocalDate date) {
        return ZonedDateTime.of(date, open, zone).toInstant(); // in a gap: when the wall clock resumes
    }

    private Instant closes(LocalDate date) {
        return close == null ? date.plusDays(1).atStartOfDay(zone).toInstant()
                : ZonedDateTime.of(date, close, zone).toInstant();
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    @Override
    public String toString() {
        return open + "-" + (close == null ? "24:00" : close) + " " + days + " " + zone;
    }
}
