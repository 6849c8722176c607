package com.returnbridge.loop;

import com.returnbridge.connection.Connection;
import com.returnbridge.grading.ConditionCategory;
import com.returnbridge.grading.Disposition;
import com.returnbridge.grading.LoopGradingApi;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpMethod;
import org.springframework.stereotype.Component;

/**
 * Loop's Item Grading and Disposition endpoints (vendor notes §14): {@code POST /dispositioning/grade} and
 * {@code POST /dispositioning/assess}, each {@code {"items":[…]}} keyed by the return's {@code line_item_id}. Success
 * is any 2xx (Loop echoes the items); a 4xx (422 validation, 403 items of another shop) is a refusal with Loop's
 * message. Grade takes at most 20 items per call (Loop's OpenAPI says 30, its guide 20), assess 30.
 */
@Component
class LoopGradingClient implements LoopGradingApi {

    static final int GRADE_LIMIT = 20;
    static final int ASSESS_LIMIT = 30;

    private final LoopHttp http;
    private final Clock clock;

    LoopGradingClient(LoopHttp http, Clock clock) {
        this.http = http;
        this.clock = clock;
    }

    @Override
    public int gradeLimit() {
        return GRADE_LIMIT;
    }

    @Override
    public int assessLimit() {
        return ASSESS_LIMIT;
    }

    @Override
    public Answer grade(Connection connection, List<Grade> items) {
        List<Map<String, Object>> body = new ArrayList<>();
        String inspectedAt = LoopHttp.TIME.format(clock.instant());
        for (Grade g : items) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("line_item_id", lineItemId(g.lineItemId()));
            item.put("condition_category", category(g.category()));
            item.put("description", g.description());
            item.put("inspected_at", inspectedAt);
            body.add(item);
        }
        return post(connection, "grade", "/dispositioning/grade", body);
    }

    @Override
    public Answer assess(Connection connection, List<Assessment> items) {
        List<Map<String, Object>> body = new ArrayList<>();
        String inspectedAt = LoopHttp.TIME.format(clock.instant());
        for (Assessment a : items) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("line_item_id", lineItemId(a.lineItemId()));
            item.put("disposition_outcome", disposition(a.disposition()));
            if (a.note() != null) {
                item.put("note", a.note());
            }
            item.put("inspected_at", inspectedAt);
            body.add(item);
        }
        return post(connection, "assess", "/dispositioning/assess", body);
    }

    private Answer post(Connection connection, String operation, String path, List<Map<String, Object>> items) {
        URI url = URI.create(connection.loop().baseUrl() + path);
        LoopHttp.Reply reply = http.send(connection, operation, HttpMethod.POST, url, http.write(Map.of("items", items)),
                true);
        if (reply.succeeded()) {
            return new Answer(true, "HTTP " + reply.status());
        }
        return new Answer(false, "HTTP " + reply.status() + ": " + http.refusalMessage(reply.body()));
    }

    /** Loop's line item ids are integers; anything else goes as it is, for Loop to refuse with its reason. */
    private static Object lineItemId(String id) {
        return id != null && id.matches("\\d{1,18}") ? (Object) Long.parseLong(id) : id;
    }

    static String category(ConditionCategory category) {
        return switch (category) {
            case GRADE_A -> "grade_a";
            case GRADE_B -> "grade_b";
            case GRADE_C -> "grade_c";
            case GRADE_D -> "grade_d";
            case INCORRECT_ITEM -> "incorrect_item";
            case MISSING -> "missing";
            case JUNK -> "junk";
        };
    }

    static String disposition(Disposition disposition) {
        return switch (disposition) {
            case BACK_TO_STOCK -> "back_to_stock";
            case RESALE_HOLD -> "resale_hold";
            case RECYCLE -> "recycle";
            case DONATE -> "donate";
            case MISSING -> "missing";
        };
    }
}
