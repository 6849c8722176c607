package com.returnbridge.grading;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The grades Loop keeps for a returned item (vendor notes §14), as the settings spell them ({@code grade_a} …
 * {@code junk}); the Loop client writes them in Loop's own shape.
 */
public enum ConditionCategory {
    GRADE_A, GRADE_B, GRADE_C, GRADE_D, INCORRECT_ITEM, MISSING, JUNK;

    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** {@code grade_a}, {@code Grade A}, {@code grade-a}: one category; anything else is refused with the choices. */
    public static ConditionCategory parse(String word, String what) {
        String key = word == null ? "" : word.trim().toUpperCase(Locale.ROOT).replace(' ', '_').replace('-', '_');
        return Arrays.stream(values()).filter(c -> c.name().equals(key)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(what + " must be one of " + choices() + " (was '"
                        + shorten(word) + "')"));
    }

    public static String choices() {
        return Arrays.stream(values()).map(ConditionCategory::word).collect(Collectors.joining(", "));
    }

    static String shorten(String value) {
        if (value == null) {
            return "";
        }
        return value.length() <= 40 ? value : value.substring(0, 40) + "…";
    }
}
