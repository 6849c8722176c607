package com.returnbridge.console;

import com.returnbridge.grading.ConditionCategory;
import com.returnbridge.grading.Disposition;
import com.returnbridge.grading.GradingSettings;
import com.returnbridge.grading.Gradings;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A connection's grading settings as the console and the API show them: on or off, ShipHero condition → Loop
 * condition category, the category of an unmapped condition ({@code none}: no grade), the dispositions by outcome,
 * where they come from, and the words each field accepts.
 */
public record GradingView(String connectionId, boolean enabled, Map<String, String> conditions,
                          String unmappedCondition, Map<String, String> dispositions, String origin,
                          List<String> categories, List<String> dispositionChoices) {

    static GradingView of(String connectionId, GradingSettings s, Gradings.Origin origin) {
        Map<String, String> dispositions = new LinkedHashMap<>();
        dispositions.put("restocked", s.restocked().word());
        dispositions.put("not_restocked", s.notRestocked().word());
        dispositions.put("missing", s.missing().word());
        return new GradingView(connectionId, s.enabled(), s.conditionWords(),
                s.unmappedCondition() == null ? "none" : s.unmappedCondition().word(), dispositions,
                origin.name().toLowerCase(), Arrays.stream(ConditionCategory.values()).map(ConditionCategory::word).toList(),
                Arrays.stream(Disposition.values()).map(Disposition::word).toList());
    }

    /** The condition table as the console's text area holds it. */
    public String conditionLines() {
        StringBuilder text = new StringBuilder();
        conditions.forEach((c, category) -> text.append(c).append(" = ").append(category).append('\n'));
        return text.toString();
    }
}
