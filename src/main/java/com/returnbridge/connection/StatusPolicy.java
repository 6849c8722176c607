package com.returnbridge.connection;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A connection's table from ShipHero status to Loop action. Warehouses spell statuses freely
 * ("Warehouse Complete", "warehouse_complete", "WAREHOUSE-COMPLETE"), so names are compared normalised.
 */
public final class StatusPolicy {

    public static final List<String> DEFAULT_PROCESS = List.of("Warehouse Complete", "Complete");
    public static final List<String> DEFAULT_FLAG = List.of("Issue", "Damaged");
    public static final List<String> DEFAULT_IGNORE = List.of("Pending", "RTS");
    /**
     * ShipHero condition words that make a received item "received with a problem" under the per_item rule.
     * ShipHero's vocabulary is free text and undocumented; these are the words warehouses commonly use.
     */
    public static final List<String> DEFAULT_PROBLEM_CONDITIONS = List.of("Damaged", "Defective", "Wrong Item",
            "Used");

    private final Map<String, StatusAction> byNormalised = new LinkedHashMap<>();
    private final Map<StatusAction, List<String>> asListed = new java.util.EnumMap<>(StatusAction.class);
    private final StatusAction unmapped;
    private final ReceiptRule receiptRule;
    private List<String> problemConditions = DEFAULT_PROBLEM_CONDITIONS;

    public StatusPolicy(Collection<String> process, Collection<String> flag, Collection<String> ignore,
                        StatusAction unmapped) {
        this(process, flag, ignore, unmapped, ReceiptRule.ALL_UNITS);
    }

    public StatusPolicy(Collection<String> process, Collection<String> flag, Collection<String> ignore,
                        StatusAction unmapped, ReceiptRule receiptRule) {
        // Later lists do not override earlier ones: a status listed twice keeps its first (strongest) action.
        put(process, StatusAction.PROCESS);
        put(flag, StatusAction.FLAG);
        put(ignore, StatusAction.IGNORE);
        this.unmapped = unmapped == null ? StatusAction.IGNORE : unmapped;
        this.receiptRule = receiptRule == null ? ReceiptRule.ALL_UNITS : receiptRule;
    }

    public static StatusPolicy defaults() {
        return new StatusPolicy(DEFAULT_PROCESS, DEFAULT_FLAG, DEFAULT_IGNORE, StatusAction.IGNORE);
    }

    private void put(Collection<String> statuses, StatusAction action) {
        asListed.put(action, statuses == null ? List.of() : statuses.stream().filter(st -> st != null && !st.isBlank())
                .map(String::trim).toList());
        for (String status : statuses == null ? List.<String>of() : statuses) {
            String key = normalise(status);
            if (!key.isEmpty()) {
                byNormalised.putIfAbsent(key, action);
            }
        }
    }

    /**
     * Lower case with spaces (any kind), underscores, hyphens and control characters removed: all spellings of one
     * status meet, and normalising twice changes nothing.
     */
    public static String normalise(String status) {
        if (status == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(status.length());
        for (char c : status.toLowerCase(Locale.ROOT).toCharArray()) {
            if (c != '_' && c != '-' && !Character.isWhitespace(c) && !Character.isSpaceChar(c)
                    && !Character.isISOControl(c)) {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** The configured action, or empty when the status is in no list. */
    public Optional<StatusAction> mapped(String status) {
        return Optional.ofNullable(byNormalised.get(normalise(status)));
    }

    public StatusAction unmappedAction() {
        return unmapped;
    }

    public List<String> statusesFor(StatusAction action) {
        return byNormalised.entrySet().stream().filter(e -> e.getValue() == action).map(Map.Entry::getKey).toList();
    }

    /** The statuses of one list as the operator wrote them (the editor shows these). */
    public List<String> listed(StatusAction action) {
        return asListed.getOrDefault(action, List.of());
    }

    /** This table with these problem conditions (null: the defaults; empty: none). */
    public StatusPolicy withProblemConditions(Collection<String> conditions) {
        StatusPolicy copy = new StatusPolicy(listed(StatusAction.PROCESS), listed(StatusAction.FLAG),
                listed(StatusAction.IGNORE), unmapped, receiptRule);
        copy.problemConditions = conditions == null ? DEFAULT_PROBLEM_CONDITIONS
                : conditions.stream().filter(c -> c != null && !c.isBlank()).map(String::trim).distinct().toList();
        return copy;
    }

    /** The condition words, as written, that the per_item rule counts as a problem. */
    public List<String> problemConditions() {
        return problemConditions;
    }

    /** Compared normalised, like statuses: "Damaged", "damaged" and "DAMAGED" are one condition. */
    public boolean isProblemCondition(String condition) {
        String key = normalise(condition);
        return !key.isEmpty() && problemConditions.stream().anyMatch(c -> normalise(c).equals(key));
    }

    /** What Process needs besides a mapped status: by default every expected unit received. */
    public ReceiptRule receiptRule() {
        return receiptRule;
    }
}
