package com.returnbridge.sandbox.shiphero;

import graphql.schema.DataFetchingEnvironment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Relay connections the way ShipHero's graphene backend pages them: cursors are base64 of
 * {@code "arrayconnection:<offset>"} and {@code first/after/last/before} slice one list.
 */
final class RelayPages {

    private static final String PREFIX = "arrayconnection:";

    private RelayPages() {
    }

    static Map<String, Object> page(List<?> items, DataFetchingEnvironment env) {
        Integer first = env.getArgument("first");
        Integer last = env.getArgument("last");
        int start = env.getArgument("after") == null ? 0 : offsetOf(env.getArgument("after")) + 1;
        int end = env.getArgument("before") == null ? items.size() : offsetOf(env.getArgument("before"));
        start = Math.max(0, Math.min(start, items.size()));
        end = Math.max(start, Math.min(end, items.size()));
        if (first != null) {
            if (first < 0) {
                throw ShipHeroException.invalid("Argument \"first\" must be a non-negative integer");
            }
            end = Math.min(end, start + first);
        }
        if (last != null) {
            if (last < 0) {
                throw ShipHeroException.invalid("Argument \"last\" must be a non-negative integer");
            }
            start = Math.max(start, end - last);
        }
        List<Map<String, Object>> edges = new ArrayList<>();
        for (int i = start; i < end; i++) {
            Map<String, Object> edge = new LinkedHashMap<>();
            edge.put("cursor", cursor(i));
            edge.put("node", items.get(i));
            edges.add(edge);
        }
        Map<String, Object> pageInfo = new LinkedHashMap<>();
        pageInfo.put("hasNextPage", end < items.size());
        pageInfo.put("hasPreviousPage", start > 0);
        pageInfo.put("startCursor", edges.isEmpty() ? null : cursor(start));
        pageInfo.put("endCursor", edges.isEmpty() ? null : cursor(end - 1));
        Map<String, Object> connection = new LinkedHashMap<>();
        connection.put("pageInfo", pageInfo);
        connection.put("edges", edges);
        connection.put("total_count", items.size());
        return connection;
    }

    static String cursor(int offset) {
        return Base64.getEncoder().encodeToString((PREFIX + offset).getBytes(StandardCharsets.UTF_8));
    }

    private static int offsetOf(String cursor) {
        try {
            String decoded = new String(Base64.getDecoder().decode(cursor), StandardCharsets.UTF_8);
            if (decoded.startsWith(PREFIX)) {
                return Integer.parseInt(decoded.substring(PREFIX.length()));
            }
        } catch (IllegalArgumentException e) {
            // fall through: graphene answers an invalid cursor with an error as well
        }
        throw ShipHeroException.invalid("Invalid cursor: " + cursor);
    }
}
