package com.returnbridge.console.charts;

import com.returnbridge.bridge.NotFound;
import com.returnbridge.connection.Connections;
import com.returnbridge.console.Access;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * The data of the console's charts: every connection together under {@code /api/charts} (a merchant's: its own
 * connections together), one connection under {@code /api/connections/{id}/charts} (where the per-connection access
 * rules of {@code /api/connections/**} apply).
 */
@RestController
@Tag(name = "Charts", description = "returns per day by outcome; time from warehouse receipt to Loop confirmation")
public class ChartsApiController {

    private final ChartQueries charts;
    private final Connections connections;

    private final Access access;

    public ChartsApiController(ChartQueries charts, Connections connections, Access access) {
        this.charts = charts;
        this.connections = connections;
        this.access = access;
    }

    @Operation(summary = "Returns per UTC day by outcome (processed, flagged, needs attention), last 30 days, all "
            + "connections")
    @GetMapping("/api/charts/outcomes")
    public ChartQueries.Outcomes outcomes() {
        return charts.outcomes(null, access.only().orElse(null));
    }

    @Operation(summary = "Median and 90th percentile seconds from warehouse receipt to Loop confirmation per week, "
            + "last 12 weeks, all connections")
    @GetMapping("/api/charts/confirmation-times")
    public ChartQueries.ConfirmationTimes confirmationTimes() {
        return charts.confirmationTimes(null, access.only().orElse(null));
    }

    @Operation(summary = "Returns per UTC day by outcome, last 30 days, one connection")
    @GetMapping("/api/connections/{id}/charts/outcomes")
    public ChartQueries.Outcomes outcomes(@PathVariable String id) {
        return charts.outcomes(known(id));
    }

    @Operation(summary = "Median and 90th percentile seconds from warehouse receipt to Loop confirmation per week, "
            + "one connection")
    @GetMapping("/api/connections/{id}/charts/confirmation-times")
    public ChartQueries.ConfirmationTimes confirmationTimes(@PathVariable String id) {
        return charts.confirmationTimes(known(id));
    }

    private String known(String id) {
        return connections.find(id).orElseThrow(() -> new NotFound("no connection " + id)).id();
    }

    @ExceptionHandler(NotFound.class)
    ResponseEntity<Map<String, String>> notFound(NotFound e) {
        return ResponseEntity.status(HttpStatus.NOT_FOUND).body(Map.of("error", e.getMessage()));
    }
}
