package com.returnbridge.sandbox.loop;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Get Return Details, Detailed Returns List and Get Return Notes (loop.md §5, §7.3, §8). */
final class ReturnQueries {

    static final int DEFAULT_PAGE_SIZE = 100;
    static final int MAX_PAGE_SIZE = 750;
    private static final Duration DEFAULT_WINDOW = Duration.ofHours(24);
    private static final Duration MAX_WINDOW = Duration.ofDays(120);
    private static final Set<String> STATES = Set.of("open", "closed", "cancelled", "expired", "review");
    /** Cancelled and review returns appear only when asked for by name. */
    private static final Set<String> DEFAULT_STATES = Set.of("open", "closed", "expired");
    private static final DateTimeFormatter LARAVEL_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private final SandboxLoop loop;

    ReturnQueries(SandboxLoop loop) {
        this.loop = loop;
    }

    /** Exactly one of the three keys; order_id is matched against the Shopify id and, leniently, Loop's. */
    LoopAnswer details(String returnId, String orderId, String orderName) {
        long given = Stream.of(returnId, orderId, orderName).filter(v -> v != null && !v.isBlank()).count();
        if (given != 1) {
            return LoopAnswer.invalid("return_id", "Exactly one of return_id, order_id or order_name is required.");
        }
        Optional<LoopReturnView> found;
        if (returnId != null && !returnId.isBlank()) {
            if (!returnId.matches("\\d{1,18}")) {
                return LoopAnswer.invalid("return_id", "The return id must be an integer.");
            }
            found = loop.returnById(Long.parseLong(returnId));
        } else if (orderId != null && !orderId.isBlank()) {
            found = latest(r -> r.providerOrderId().equals(orderId) || Long.toString(r.loopOrderId()).equals(orderId));
        } else {
            found = latest(r -> r.orderName().equals(orderName) || r.orderNumber().equals(orderName));
        }
        return found.map(r -> LoopAnswer.json(200, LoopJson.details(r))).orElse(LoopAnswer.NOT_FOUND);
    }

    /** Like Loop, a key lists its own shop's returns only (and those made for no shop in particular). */
    LoopAnswer list(String apiKey, Map<String, List<String>> params, String requestUrl) {
        Instant now = loop.now();
        Instant from;
        Instant to;
        try {
            Instant givenFrom = time(first(params, "from"));
            Instant givenTo = time(first(params, "to"));
            to = givenTo != null ? givenTo : now;
            from = givenFrom != null ? givenFrom : to.minus(DEFAULT_WINDOW);
        } catch (DateTimeParseException e) {
            return LoopAnswer.invalid("from", "The from and to dates must match the format Y-m-d H:i:s.");
        }
        if (to.isBefore(from)) {
            return LoopAnswer.invalid("to", "The to must be a date after from.");
        }
        if (Duration.between(from, to).compareTo(MAX_WINDOW) > 0) {
            return LoopAnswer.invalid("to", "The date range may not exceed 120 days.");
        }
        String filter = Optional.ofNullable(first(params, "filter")).orElse("created_at");
        if (!filter.equals("created_at") && !filter.equals("updated_at")) {
            return LoopAnswer.invalid("filter", "Must be one of the following values:created_at,updated_at");
        }
        Set<String> states = states(params);
        if (!STATES.containsAll(states)) {
            return LoopAnswer.invalid("state", "Must be one of the following values:open,closed,cancelled,expired,review");
        }
        boolean updated = filter.equals("updated_at");
        Instant windowFrom = from;
        Instant windowTo = to;
        List<LoopReturnView> matching = loop.returns().stream()
                .filter(r -> loop.isOfShop(r.id(), apiKey))
                .filter(r -> states.contains(r.state()))
                .filter(r -> within(updated ? r.updatedAt() : r.createdAt(), windowFrom, windowTo))
                .toList();
        if (!"true".equals(first(params, "paginate")) && !"1".equals(first(params, "paginate"))) {
            ArrayNode all = LoopJson.array();
            matching.forEach(r -> all.add(LoopJson.listEntry(r)));
            return LoopAnswer.json(200, all);
        }
        return page(matching, params, requestUrl);
    }

    LoopAnswer notes(long id) {
        if (loop.returnById(id).isEmpty()) {
            return LoopAnswer.NOT_FOUND;
        }
        List<SandboxLoop.Note> notes = loop.noteList(id);
        if (notes.isEmpty()) {
            ObjectNode body = LoopJson.object();
            body.putObject("errors").put("message", "No notes found for this return.");
            return LoopAnswer.json(422, body);
        }
        ObjectNode body = LoopJson.object();
        ArrayNode array = body.putArray("notes");
        for (SandboxLoop.Note note : notes) {
            array.addObject().put("id", note.id()).put("content", note.content())
                    .put("created_at", LoopJson.laravelTime(note.createdAt()));
        }
        return LoopAnswer.json(200, body);
    }

    /** Cursor = last id of the previous page, so pages stay stable while new returns arrive. */
    private LoopAnswer page(List<LoopReturnView> matching, Map<String, List<String>> params, String requestUrl) {
        int pageSize;
        long after;
        try {
            String size = first(params, "pageSize");
            pageSize = size == null ? DEFAULT_PAGE_SIZE : Math.min(Integer.parseInt(size), MAX_PAGE_SIZE);
            String cursor = first(params, "cursor");
            after = cursor == null || cursor.isEmpty() ? Long.MIN_VALUE : decodeCursor(cursor);
        } catch (IllegalArgumentException e) {
            return LoopAnswer.invalid("pageSize", "The pageSize and cursor parameters are invalid.");
        }
        if (pageSize < 1) {
            return LoopAnswer.invalid("pageSize", "The page size must be at least 1.");
        }
        List<LoopReturnView> rest = matching.stream().filter(r -> r.id() > after)
                .sorted(Comparator.comparingLong(LoopReturnView::id)).toList();
        List<LoopReturnView> page = rest.subList(0, Math.min(pageSize, rest.size()));
        ObjectNode body = LoopJson.object();
        ArrayNode returns = body.putArray("returns");
        page.forEach(r -> returns.add(LoopJson.listEntry(r)));
        if (rest.size() > page.size()) {
            body.put("nextPageUrl", withCursor(requestUrl, encodeCursor(page.get(page.size() - 1).id())));
        } else {
            body.putNull("nextPageUrl");
        }
        body.putNull("previousPageUrl");
        return LoopAnswer.json(200, body);
    }

    static String withCursor(String url, String cursor) {
        int q = url.indexOf('?');
        String base = q < 0 ? url : url.substring(0, q);
        String kept = q < 0 ? "" : Arrays.stream(url.substring(q + 1).split("&"))
                .filter(p -> !p.isEmpty() && !p.equals("cursor") && !p.startsWith("cursor="))
                .collect(Collectors.joining("&"));
        return base + "?" + (kept.isEmpty() ? "" : kept + "&") + "cursor=" + cursor;
    }

    private static String encodeCursor(long lastId) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString(("after:" + lastId).getBytes(StandardCharsets.US_ASCII));
    }

    private static long decodeCursor(String cursor) {
        String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII);
        if (!text.startsWith("after:")) {
            throw new IllegalArgumentException("bad cursor");
        }
        return Long.parseLong(text.substring("after:".length()));
    }

    private Optional<LoopReturnView> latest(Predicate<LoopReturnView> test) {
        return loop.returns().stream().filter(test).reduce((a, b) -> b);
    }

    private static boolean within(Instant at, Instant from, Instant to) {
        return !at.isBefore(from) && !at.isAfter(to);
    }

    /** Accepts Loop's "Y-m-d H:i:s" (UTC) and, leniently, ISO-8601 instants. */
    private static Instant time(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        if (value.contains("T")) {
            return Instant.parse(value);
        }
        return LocalDateTime.parse(value.trim(), LARAVEL_TIME).toInstant(ZoneOffset.UTC);
    }

    private static Set<String> states(Map<String, List<String>> params) {
        List<String> values = new ArrayList<>();
        for (String key : List.of("state", "state[]")) {
            for (String value : params.getOrDefault(key, List.of())) {
                Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).forEach(values::add);
            }
        }
        return values.isEmpty() ? DEFAULT_STATES : Set.copyOf(values);
    }

    private static String first(Map<String, List<String>> params, String key) {
        List<String> values = params.get(key);
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
