package com.returnbridge.backfill;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * An operator's backfill request, checked: creation dates as UTC days, inclusive ({@code start} null: no range), and
 * Loop return ids, deduplicated in the order given.
 */
record BackfillRequest(LocalDate start, LocalDate end, List<String> ids) {

    private static final Pattern RETURN_ID = Pattern.compile("\\d{1,20}");

    /**
     * One of {@code from}/{@code to} alone means that single day.
     *
     * @throws IllegalArgumentException what is wrong with the request, in the operator's terms
     */
    static BackfillRequest check(LocalDate from, LocalDate to, List<String> returnIds, BackfillProperties properties,
                                 Clock clock) {
        LocalDate start = from != null ? from : to;
        LocalDate end = to != null ? to : from;
        if (start != null) {
            if (end.isBefore(start)) {
                throw new IllegalArgumentException("the end date " + end + " is before the start date " + start);
            }
            long days = ChronoUnit.DAYS.between(start, end) + 1;
            if (days > properties.maxRangeDays()) {
                throw new IllegalArgumentException("the date range is " + days + " days; at most "
                        + properties.maxRangeDays() + " per backfill (split it into several)");
            }
            if (start.isAfter(LocalDate.now(clock.withZone(ZoneOffset.UTC)).plusDays(1))) {
                throw new IllegalArgumentException("the start date " + start + " is in the future");
            }
        }
        List<String> ids = normaliseIds(returnIds, properties.maxIds());
        if (start == null && ids.isEmpty()) {
            throw new IllegalArgumentException("give a creation date range (from, to) and/or Loop return ids");
        }
        return new BackfillRequest(start, end, ids);
    }

    /** The ids as stored on the run, or null. */
    String idsText() {
        return ids.isEmpty() ? null : String.join(",", ids);
    }

    /** Identical requests share this key while one of them is queued or running. */
    String activeKey(String connectionId) {
        String idsText = idsText();
        return connectionId + ":" + sha256(start + "|" + end + "|" + (idsText == null ? "" : idsText));
    }

    OffsetDateTime windowFrom() {
        return start == null ? null : start.atStartOfDay().atOffset(ZoneOffset.UTC);
    }

    String describe() {
        String range = start == null ? "" : "returns created " + start + " … " + end + " (UTC)";
        String list = ids.isEmpty() ? "" : ids.size() + " return id(s)";
        return range + (range.isEmpty() || list.isEmpty() ? "" : " and ") + list;
    }

    private static List<String> normaliseIds(List<String> given, int max) {
        Set<String> out = new LinkedHashSet<>();
        for (String entry : given == null ? List.<String>of() : given) {
            if (entry == null) {
                continue;
            }
            for (String one : entry.split("[,\\s]+")) {
                if (one.isBlank()) {
                    continue;
                }
                String id = one.trim();
                if (!RETURN_ID.matcher(id).matches()) {
                    throw new IllegalArgumentException("'" + BackfillRuns.abbreviate(id, 30)
                            + "' is not a Loop return id (digits only)");
                }
                out.add(id);
            }
        }
        if (out.size() > max) {
            throw new IllegalArgumentException(out.size() + " return ids; at most " + max + " per backfill");
        }
        return new ArrayList<>(out);
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
