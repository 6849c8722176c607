package com.returnbridge.sandbox.loop;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;

/**
 * Loop's Item Grading and Disposition endpoints as documented (vendor notes §14): {@code POST /dispositioning/grade}
 * and {@code /dispositioning/assess} take {@code {"items":[…]}}, check every item (a 422 naming the first field
 * wrong, nothing kept), answer 403 for an item of another shop, and echo the items. Grade's item limit differs between
 * Loop's OpenAPI (30) and its guide (20): the simulator plays either ({@link #setGradeLimit}). What each endpoint
 * took is kept for tests; {@link #refuseWith} makes both refuse with a 422, as a shop without the feature would.
 */
public final class Dispositioning {

    public static final Set<String> CATEGORIES = Set.of("grade_a", "grade_b", "grade_c", "grade_d", "incorrect_item",
            "missing", "junk");
    public static final Set<String> OUTCOMES = Set.of("back_to_stock", "resale_hold", "recycle", "donate", "missing");
    public static final int GUIDE_GRADE_LIMIT = 20;
    public static final int OPENAPI_LIMIT = 30;
    private static final DateTimeFormatter INSPECTED_AT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    /** One grade Loop kept. */
    public record Grade(long returnId, long lineItemId, String category, String description, Instant at) {
    }

    /** One disposition Loop kept. */
    public record Assessment(long returnId, long lineItemId, String outcome, String note, Instant at) {
    }

    private final SandboxLoop loop;
    private final ConcurrentLinkedQueue<Grade> grades = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Assessment> assessments = new ConcurrentLinkedQueue<>();
    private volatile int gradeLimit = GUIDE_GRADE_LIMIT;
    private volatile String refusal;

    Dispositioning(SandboxLoop loop) {
        this.loop = loop;
    }

    /** 20 as Loop's guide says (default), or 30 as its OpenAPI says. */
    public void setGradeLimit(int limit) {
        this.gradeLimit = limit;
    }

    /** Both endpoints answer 422 with this message (null: they work). */
    public void refuseWith(String message) {
        this.refusal = message;
    }

    public List<Grade> grades(long returnId) {
        return grades.stream().filter(g -> g.returnId() == returnId).toList();
    }

    public List<Assessment> assessments(long returnId) {
        return assessments.stream().filter(a -> a.returnId() == returnId).toList();
    }

    /** Back to a fresh shop: nothing kept, the guide's limit, no refusal. */
    public void reset() {
        grades.clear();
        assessments.clear();
        gradeLimit = GUIDE_GRADE_LIMIT;
        refusal = null;
    }

    LoopAnswer grade(String apiKey, String body) {
        return handle(apiKey, body, gradeLimit, true);
    }

    LoopAnswer assess(String apiKey, String body) {
        return handle(apiKey, body, OPENAPI_LIMIT, false);
    }

    private LoopAnswer handle(String apiKey, String body, int limit, boolean grading) {
        if (refusal != null) {
            return LoopAnswer.message(422, refusal);
        }
        JsonNode root;
        try {
            root = body == null || body.isBlank() ? null : LoopJson.parse(body);
        } catch (JacksonException e) {
            return LoopAnswer.message(400, "Malformed JSON.");
        }
        JsonNode items = root == null ? null : root.get("items");
        if (items == null || !items.isArray() || items.isEmpty()) {
            return LoopAnswer.invalid("items", "The items field is required.");
        }
        if (items.size() > limit) {
            return LoopAnswer.invalid("items", "The items may not have more than " + limit + " items.");
        }
        List<Long> returnIds = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i);
            String at = "items." + i + ".";
            JsonNode id = item.get("line_item_id");
            if (id == null || !id.isIntegralNumber()) {
                return LoopAnswer.invalid(at + "line_item_id", "The " + at + "line_item_id must be an integer.");
            }
            Optional<LoopReturnView> owner = returnOf(id.asLong());
            if (owner.isEmpty()) {
                return LoopAnswer.invalid(at + "line_item_id", "The selected " + at + "line_item_id is invalid.");
            }
            if (!loop.isOfShop(owner.get().id(), apiKey)) {
                return LoopAnswer.message(403, "This action is unauthorized.");
            }
            returnIds.add(owner.get().id());
            Optional<LoopAnswer> wrong = grading ? checkGrade(item, at) : checkAssessment(item, at);
            if (wrong.isPresent()) {
                return wrong.get();
            }
        }
        ArrayNode echo = LoopJson.array();
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i);
            long lineItemId = item.get("line_item_id").asLong();
            if (grading) {
                grades.add(new Grade(returnIds.get(i), lineItemId, item.get("condition_category").asString(),
                        item.get("description").asString(), loop.now()));
            } else {
                assessments.add(new Assessment(returnIds.get(i), lineItemId, item.get("disposition_outcome").asString(),
                        text(item, "note"), loop.now()));
            }
            echo.add(item);
        }
        return LoopAnswer.json(200, echo);
    }

    private static Optional<LoopAnswer> checkGrade(JsonNode item, String at) {
        String description = text(item, "description");
        if (description == null || description.isEmpty()) {
            return Optional.of(LoopAnswer.invalid(at + "description", "The " + at + "description field is required."));
        }
        if (description.length() > 255) {
            return Optional.of(LoopAnswer.invalid(at + "description", "The " + at
                    + "description may not be greater than 255 characters."));
        }
        String category = text(item, "condition_category");
        if (category != null && !CATEGORIES.contains(category)) {
            return Optional.of(LoopAnswer.invalid(at + "condition_category", "The selected " + at
                    + "condition_category is invalid."));
        }
        if (category == null) {
            return Optional.of(LoopAnswer.invalid(at + "condition_category", "The " + at
                    + "condition_category field is required."));
        }
        JsonNode images = item.get("images");
        if (images != null && (!images.isArray() || images.size() > 5)) {
            return Optional.of(LoopAnswer.invalid(at + "images", "The " + at + "images may not have more than 5 items."));
        }
        return common(item, at);
    }

    private static Optional<LoopAnswer> checkAssessment(JsonNode item, String at) {
        String outcome = text(item, "disposition_outcome");
        if (outcome == null || !OUTCOMES.contains(outcome)) {
            return Optional.of(LoopAnswer.invalid(at + "disposition_outcome", outcome == null
                    ? "The " + at + "disposition_outcome field is required."
                    : "The selected " + at + "disposition_outcome is invalid."));
        }
        return common(item, at);
    }

    private static Optional<LoopAnswer> common(JsonNode item, String at) {
        String processor = text(item, "return_processor");
        if (processor != null && (processor.length() > 100 || !processor.contains("@"))) {
            return Optional.of(LoopAnswer.invalid(at + "return_processor", "The " + at
                    + "return_processor must be a valid email address of at most 100 characters."));
        }
        String note = text(item, "note");
        if (note != null && note.length() > 65535) {
            return Optional.of(LoopAnswer.invalid(at + "note", "The " + at
                    + "note may not be greater than 65535 characters."));
        }
        String inspected = text(item, "inspected_at");
        if (inspected != null) {
            try {
                LocalDateTime.parse(inspected, INSPECTED_AT);
            } catch (DateTimeParseException e) {
                return Optional.of(LoopAnswer.invalid(at + "inspected_at", "The " + at
                        + "inspected_at does not match the format Y-m-d H:i:s."));
            }
        }
        return Optional.empty();
    }

    private Optional<LoopReturnView> returnOf(long lineItemId) {
        return loop.returns().stream().filter(r -> r.lineItems().stream().anyMatch(l -> l.lineItemId() == lineItemId))
                .findFirst();
    }

    private static String text(JsonNode item, String field) {
        JsonNode node = item.get(field);
        return node == null || node.isNull() ? null : node.isString() ? node.asString() : node.toString();
    }
}
