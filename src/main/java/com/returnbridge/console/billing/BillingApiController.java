package com.returnbridge.console.billing;

import com.returnbridge.bridge.NotFound;
import com.returnbridge.connection.Connection;
import com.returnbridge.connection.Connections;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.responses.ApiResponses;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Locale;
import java.util.Map;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/connections/{id}/billing}: a connection's billing export for a period, JSON or CSV, written to the
 * response as the rows are read (the console's download button asks for the same address). Everything that can be
 * refused is checked before the first byte, so a refusal is a clean 4xx and never a half-written file.
 */
@RestController
@Tag(name = "Billing", description = "per connection and period: returns handled, units, outcomes, RMAs closed")
public class BillingApiController {

    static final MediaType TEXT_CSV = new MediaType("text", "csv", StandardCharsets.UTF_8);

    private final Connections connections;
    private final BillingExport export;
    private final Clock clock;
    private final Counter csvRows;
    private final Counter jsonRows;

    public BillingApiController(Connections connections, BillingExport export, Clock clock, MeterRegistry meters) {
        this.connections = connections;
        this.export = export;
        this.clock = clock;
        this.csvRows = Counter.builder("returnbridge.billing.rows").tag("format", "csv")
                .description("returns written to billing exports").register(meters);
        this.jsonRows = Counter.builder("returnbridge.billing.rows").tag("format", "json")
                .description("returns written to billing exports").register(meters);
    }

    @Operation(summary = "Billing export of a connection for a period",
            description = "from/to: UTC days, inclusive (yyyy-MM-dd); or month (yyyy-MM); none: the current month. "
                    + "JSON by default; RFC 4180 CSV with Accept: text/csv or format=csv.")
    @ApiResponses({@ApiResponse(responseCode = "200", description = "the export, streamed"),
            @ApiResponse(responseCode = "400", description = "a date, the month or the format cannot be read, or "
                    + "the period is reversed or longer than 366 days"),
            @ApiResponse(responseCode = "404", description = "no such connection")})
    @GetMapping("/api/connections/{id}/billing")
    public void billing(@PathVariable String id, @RequestParam(required = false) String from,
                        @RequestParam(required = false) String to, @RequestParam(required = false) String month,
                        @RequestParam(required = false) String format,
                        @RequestHeader(name = HttpHeaders.ACCEPT, required = false) String accept,
                        HttpServletResponse response) throws IOException {
        Connection connection = connections.find(id).orElseThrow(() -> new NotFound("no connection " + id));
        BillingPeriod period = BillingPeriod.of(from, to, month, clock);
        boolean csv = wantsCsv(format, accept);

        response.setStatus(HttpStatus.OK.value());
        response.setContentType(csv ? TEXT_CSV.toString() : MediaType.APPLICATION_JSON_VALUE);
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.setHeader(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment()
                .filename(period.fileName(connection.id(), csv ? "csv" : "json")).build().toString());
        response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
        OutputStream out = response.getOutputStream();
        BillingWriter writer = csv ? BillingWriter.csv(out) : BillingWriter.json(out);
        Counter rows = csv ? csvRows : jsonRows;
        writer.begin(connection.id(), period, connection.closeStatus());
        BillingTotals totals = export.stream(connection.id(), period, connection.closeStatus(), row -> {
            writer.row(row);
            rows.increment();
        });
        writer.end(totals);
    }

    /** {@code format} decides when given; else CSV when the client accepts text/csv and not JSON before it. */
    static boolean wantsCsv(String format, String accept) {
        if (format != null && !format.isBlank()) {
            return switch (format.strip().toLowerCase(Locale.ROOT)) {
                case "csv" -> true;
                case "json" -> false;
                default -> throw new IllegalArgumentException("'format' must be csv or json (got '"
                        + (format.length() > 20 ? format.substring(0, 20) + "…" : format) + "')");
            };
        }
        if (accept == null || accept.isBlank()) {
            return false;
        }
        double csv = 0;
        double json = 0;
        try {
            for (MediaType type : MediaType.parseMediaTypes(accept)) {
                if (type.getType().equals("text") && type.getSubtype().equals("csv")) {
                    csv = Math.max(csv, type.getQualityValue());
                } else if (type.getType().equals("application") && type.getSubtype().equals("json")) {
                    json = Math.max(json, type.getQualityValue());
                }
            }
        } catch (org.springframework.http.InvalidMediaTypeException e) {
            return false;
        }
        return csv > 0 && csv >= json;
    }

    @ExceptionHandler(NotFound.class)
    void notFound(NotFound e, HttpServletResponse response) throws IOException {
        error(HttpStatus.NOT_FOUND, e.getMessage(), response);
    }

    @ExceptionHandler(IllegalArgumentException.class)
    void badRequest(IllegalArgumentException e, HttpServletResponse response) throws IOException {
        error(HttpStatus.BAD_REQUEST, e.getMessage(), response);
    }

    /**
     * Written by hand: the client may accept only text/csv, and a message converter would then refuse to write the
     * JSON error. Every check runs before the first byte of the export, so the response is not committed here.
     */
    private static void error(HttpStatus status, String message, HttpServletResponse response) throws IOException {
        response.reset();
        response.setStatus(status.value());
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.getOutputStream().write(ERRORS.writeValueAsBytes(Map.of("error", message)));
    }

    private static final tools.jackson.databind.json.JsonMapper ERRORS =
            tools.jackson.databind.json.JsonMapper.builder().build();
}
