package com.returnbridge.grading;

import com.returnbridge.bridge.LineReceipt;
import com.returnbridge.connection.StatusPolicy;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A connection's grading tables: whether grading and disposition are sent to Loop at all, ShipHero's condition word
 * → Loop condition category (compared normalised, as statuses are), the category of a condition in no row (null: no
 * grade, the disposition is still sent), and the disposition for a line restocked, received but not restocked, or
 * not received.
 */
public record GradingSettings(boolean enabled, Map<String, ConditionCategory> conditions,
                              ConditionCategory unmappedCondition, Disposition restocked, Disposition notRestocked,
                              Disposition missing) {

    /** ShipHero's {@code condition} is free text; these are the words warehouses commonly record. */
    public static final Map<String, ConditionCategory> DEFAULT_CONDITIONS = defaultConditions();

    public GradingSettings {
        conditions = Collections.unmodifiableMap(new LinkedHashMap<>(conditions == null ? Map.of() : conditions));
        restocked = restocked == null ? Disposition.BACK_TO_STOCK : restocked;
        notRestocked = notRestocked == null ? Disposition.RESALE_HOLD : notRestocked;
        missing = missing == null ? Disposition.MISSING : missing;
    }

    private static Map<String, ConditionCategory> defaultConditions() {
        Map<String, ConditionCategory> m = new LinkedHashMap<>();
        m.put("New", ConditionCategory.GRADE_A);
        m.put("Like New", ConditionCategory.GRADE_A);
        m.put("Good", ConditionCategory.GRADE_B);
        m.put("Used", ConditionCategory.GRADE_C);
        m.put("Damaged", ConditionCategory.GRADE_D);
        m.put("Defective", ConditionCategory.GRADE_D);
        m.put("Wrong Item", ConditionCategory.INCORRECT_ITEM);
        m.put("Junk", ConditionCategory.JUNK);
        return Collections.unmodifiableMap(m);
    }

    /** Off; the default tables, ready for when an operator turns it on. */
    public static GradingSettings defaults() {
        return new GradingSettings(false, DEFAULT_CONDITIONS, null, null, null, null);
    }

    /**
     * The settings from their words, each checked: a category one of {@link ConditionCategory#choices()}, a
     * disposition one of {@link Disposition#choices()}. A blank unmapped category (or {@code none}) means no grade;
     * a blank disposition keeps the default. The console, the admin API and configuration all go through here.
     *
     * @throws IllegalArgumentException naming the field and the value refused
     */
    public static GradingSettings parse(boolean enabled, Map<String, String> conditions, String unmappedCondition,
                                        String restocked, String notRestocked, String missing) {
        Map<String, ConditionCategory> table = new LinkedHashMap<>();
        Map<String, String> seen = new LinkedHashMap<>();
        for (Map.Entry<String, String> row : (conditions == null ? Map.<String, String>of() : conditions).entrySet()) {
            String condition = row.getKey() == null ? "" : row.getKey().trim();
            String key = StatusPolicy.normalise(condition);
            if (key.isEmpty()) {
                throw new IllegalArgumentException("a grading condition needs a ShipHero condition word before '='");
            }
            if (condition.length() > 100) {
                throw new IllegalArgumentException("ShipHero condition '" + ConditionCategory.shorten(condition)
                        + "' is longer than 100 characters");
            }
            if (seen.containsKey(key)) {
                throw new IllegalArgumentException("ShipHero condition '" + condition + "' is listed twice (as '"
                        + seen.get(key) + "' too)");
            }
            seen.put(key, condition);
            table.put(condition, ConditionCategory.parse(row.getValue(), "the category of condition '" + condition + "'"));
        }
        ConditionCategory unmapped = blank(unmappedCondition) || "none".equalsIgnoreCase(unmappedCondition.trim())
                ? null : ConditionCategory.parse(unmappedCondition, "the category of an unmapped condition");
        return new GradingSettings(enabled, table, unmapped,
                blank(restocked) ? null : Disposition.parse(restocked, "the disposition of a restocked line"),
                blank(notRestocked) ? null : Disposition.parse(notRestocked,
                        "the disposition of a line received but not restocked"),
                blank(missing) ? null : Disposition.parse(missing, "the disposition of a line not received"));
    }

    /**
     * The grade of what came back: the table's category for the condition word, else the unmapped one; none when the
     * warehouse recorded no condition (nothing was graded) or the unmapped category is none.
     */
    public Optional<ConditionCategory> category(String condition) {
        if (condition == null || condition.isBlank()) {
            return Optional.empty();
        }
        String key = StatusPolicy.normalise(condition);
        for (Map.Entry<String, ConditionCategory> row : conditions.entrySet()) {
            if (StatusPolicy.normalise(row.getKey()).equals(key)) {
                return Optional.of(row.getValue());
            }
        }
        return Optional.ofNullable(unmappedCondition);
    }

    /**
     * From the counts: nothing received → missing; every unit received put back to stock → restocked; otherwise
     * (some or none of the received units restocked) → not restocked.
     */
    public Disposition disposition(LineReceipt line) {
        if (line.received() <= 0) {
            return missing;
        }
        return line.restocked() >= line.received() ? restocked : notRestocked;
    }

    /** The condition table as words, for the console and the API. */
    public Map<String, String> conditionWords() {
        Map<String, String> words = new LinkedHashMap<>();
        conditions.forEach((condition, category) -> words.put(condition, category.word()));
        return words;
    }

    /** The condition table as the console's text area shows it: one "condition = category" per line. */
    public String conditionLines() {
        StringBuilder text = new StringBuilder();
        conditions.forEach((condition, category) -> text.append(condition).append(" = ").append(category.word())
                .append('\n'));
        return text.toString();
    }

    /** The console's text area read back: one "condition = category" per line, blank lines skipped. */
    public static Map<String, String> parseLines(String text) {
        Map<String, String> rows = new LinkedHashMap<>();
        if (text == null) {
            return rows;
        }
        for (String line : text.split("\\R")) {
            if (line.isBlank()) {
                continue;
            }
            int eq = line.lastIndexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("grading condition line '" + ConditionCategory.shorten(line.trim())
                        + "' needs the form: ShipHero condition = category");
            }
            String condition = line.substring(0, eq).trim();
            if (rows.containsKey(condition)) {
                throw new IllegalArgumentException("ShipHero condition '" + condition + "' is listed twice");
            }
            rows.put(condition, line.substring(eq + 1).trim());
        }
        return rows;
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
