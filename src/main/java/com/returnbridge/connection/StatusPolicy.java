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

    private final Map<String, StatusAction> byNormalised = new LinkedHashMap<>();
    private final StatusAction unmapped;

    public StatusPolicy(Collection<String> process, Collection<String> flag, Collection<String> ignore,
                        StatusAction unmapped) {
        // Later lists do not override earlier ones: a status listed twice keeps its first (strongest) action.
        put(process, StatusAction.PROCESS);
        put(flag, StatusAction.FLAG);
        put(ignore, StatusAction.IGNORE);
        this.unmapped = unmapped;
    }

    public static StatusPolicy defaults() {
        return new StatusPolicy(DEFAULT_PROCESS, DEFAULT_FLAG, DEFAULT_IGNORE, StatusAction.IGNORE);
    }

    private void put(Collection<String> statuses, StatusAction action) {
        for (String status : statuses) {
            String key = normalise(status);
            if (!key.isEmpty()) {
                byNormalised.putIfAbsent(key, action);
            }
        }
    }

    /** Lower case with spaces, underscores and hyphens removed: all spellings of one status meet. */
    public static String normalise(String status) {
        if (status == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(status.length());
        for (char c : status.trim().toLowerCase(Locale.ROOT).toCharArray()) {
            if (c != ' ' && c != '_' && c != '-' && !Character.isWhitespace(c)) {
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
}
