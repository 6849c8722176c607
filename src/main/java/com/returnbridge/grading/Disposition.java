package com.returnbridge.grading;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Where a returned item ends up, in Loop's terms (vendor notes §14), as the settings spell them. */
public enum Disposition {
    BACK_TO_STOCK, RESALE_HOLD, RECYCLE, DONATE, MISSING;

    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Disposition parse(String word, String what) {
        String key = word == null ? "" : word.trim().toUpperCase(Locale.ROOT).replace(' ', '_').replace('-', '_');
        return Arrays.stream(values()).filter(d -> d.name().equals(key)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(what + " must be one of " + choices() + " (was '"
                        + ConditionCategory.shorten(word) + "')"));
    }

    public static String choices() {
        return Arrays.stream(values()).map(Disposition::word).collect(Collectors.joining(", "));
    }
}
