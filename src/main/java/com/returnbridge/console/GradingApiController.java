package com.returnbridge.console;

import com.returnbridge.bridge.NotFound;
import com.returnbridge.grading.GradingSettings;
import com.returnbridge.grading.Gradings;
import com.returnbridge.grading.RestockGuard;
import com.returnbridge.onboarding.Onboarding;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.security.Principal;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** A connection's grading tables (read and edit, like the status mapping) and its restock guard. */
@RestController
@RequestMapping("/api/connections/{id}")
@Tag(name = "Connections", description = "merchants: settings, onboarding, pause, bulk retry, backfill")
public class GradingApiController {

    /**
     * What to change; an absent field keeps its value. {@code conditions} replaces the whole table;
     * {@code unmappedCondition} {@code none} (or blank) means no grade; {@code dispositions} keys are
     * {@code restocked}, {@code not_restocked} and {@code missing}.
     */
    public record GradingInput(Boolean enabled, Map<String, String> conditions, String unmappedCondition,
                               Map<String, String> dispositions) {
    }

    private final ConnectionService connections;
    private final Gradings gradings;
    private final Onboarding onboarding;

    GradingApiController(ConnectionService connections, Gradings gradings, Onboarding onboarding) {
        this.connections = connections;
        this.gradings = gradings;
        this.onboarding = onboarding;
    }

    @GetMapping("/grading")
    @Operation(summary = "The grading settings: on/off, ShipHero condition → Loop condition category, the unmapped "
            + "category, the dispositions for restocked / not restocked / missing lines")
    public GradingView grading(@PathVariable String id) {
        connections.connection(id);
        return GradingView.of(id, gradings.settings(id), gradings.origin(id));
    }

    @PutMapping("/grading")
    @Operation(summary = "Edit the grading settings; an absent field keeps its value. 400 with a reason for a "
            + "category or disposition Loop does not know, nothing saved")
    public GradingView editGrading(@PathVariable String id, @RequestBody GradingInput input, Principal who) {
        connections.connection(id);
        GradingSettings saved = gradings.save(id, merge(gradings.settings(id), input), who.getName());
        return GradingView.of(id, saved, gradings.origin(id));
    }

    @GetMapping("/restock-guard")
    @Operation(summary = "The merchant's restock setting as Loop's restock.requested deliveries show it: wrong while "
            + "one came within the last week, with the returns ShipHero restocked too (counted twice in Shopify)")
    public RestockGuard.Setting restockGuard(@PathVariable String id) {
        connections.connection(id);
        return onboarding.restockSetting(id);
    }

    static GradingSettings merge(GradingSettings current, GradingInput in) {
        Map<String, String> table = in.conditions() != null ? in.conditions() : current.conditionWords();
        String unmapped = in.unmappedCondition() != null ? in.unmappedCondition()
                : current.unmappedCondition() == null ? null : current.unmappedCondition().word();
        Map<String, String> d = in.dispositions() == null ? Map.of() : in.dispositions();
        for (String key : d.keySet()) {
            if (!key.equals("restocked") && !key.equals("not_restocked") && !key.equals("missing")) {
                throw new IllegalArgumentException("dispositions are set for restocked, not_restocked and missing "
                        + "lines (was '" + (key.length() <= 40 ? key : key.substring(0, 40)) + "')");
            }
        }
        return GradingSettings.parse(in.enabled() != null ? in.enabled() : current.enabled(), table, unmapped,
                d.getOrDefault("restocked", current.restocked().word()),
                d.getOrDefault("not_restocked", current.notRestocked().word()),
                d.getOrDefault("missing", current.missing().word()));
    }

    @ExceptionHandler(IllegalArgumentException.class)
    ResponseEntity<Map<String, String>> badRequest(IllegalArgumentException e) {
        return ResponseEntity.badRequest().body(Map.of("error", e.getMessage()));
    }

    @ExceptionHandler(NotFound.class)
    ResponseEntity<Map<String, String>> notFound(NotFound e) {
        return ResponseEntity.status(HttpStatus.NOT_FOUND).body(Map.of("error", e.getMessage()));
    }
}
