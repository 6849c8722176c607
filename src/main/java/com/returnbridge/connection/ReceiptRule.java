package com.returnbridge.connection;

import java.util.Locale;

/**
 * What the warehouse must have received before a status mapped to Process really processes the return in Loop;
 * otherwise the return is flagged with a note. {@link #ALL_UNITS} is the incumbent integration's rule.
 */
public enum ReceiptRule {
    /** Every expected unit received, on every line (default). */
    ALL_UNITS("every expected unit received"),
    /** At least one unit received. */
    ANY_UNIT("at least one unit received"),
    /** The status alone decides; counts are only reported. */
    STATUS_ONLY("the status alone decides"),
    /**
     * Each Loop line item on its own: all received and good → process; missing refund or store-credit items are
     * removed in Loop, which processes the rest; a missing exchange or an item with a problem → flag.
     */
    PER_ITEM("each line item on its own: missing refund items removed, the rest processed");

    private final String description;

    ReceiptRule(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }

    /** {@code fullyReceived}: total and per-line counts all complete. */
    public boolean allowsProcess(int expected, int received, boolean fullyReceived) {
        return switch (this) {
            case ALL_UNITS -> fullyReceived;
            case ANY_UNIT -> received > 0;
            case STATUS_ONLY -> true;
            case PER_ITEM -> fullyReceived; // without the Loop return's line items, as all_units
        };
    }

    public static ReceiptRule parse(String value) {
        if (value == null || value.isBlank()) {
            return ALL_UNITS;
        }
        return valueOf(value.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
    }
}
