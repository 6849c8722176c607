package com.returnbridge.console.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.returnbridge.bridge.LinkState;
import com.returnbridge.bridge.ReturnLink;
import com.returnbridge.bridge.ReturnLinks;
import com.returnbridge.sandbox.SandboxConnection;
import com.returnbridge.sandbox.SandboxDemo;
import com.returnbridge.support.FastJobs;
import com.returnbridge.support.Http;
import com.returnbridge.support.ReturnbridgeTest;
import com.returnbridge.support.Timing;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The billing export and the charts' figures over real HTTP (HTTP Basic, as a script calls it): returns driven through the sandbox (processed
 * and closed, flagged, waiting on the warehouse) and rows written directly where a case needs a date or a text the
 * flow cannot make (period boundaries, a return whose text holds commas, quotes and a newline, a large period).
 * The charts' figures from the same flow, and exactly from timeline rows written for chosen days. H2 here;
 * {@link BillingAndChartsPostgresTest} runs the same on PostgreSQL. One class (over 300 lines) because each Spring
 * context costs a start-up on each database: the export and the charts read the same returns, so they share one.
 */
@ReturnbridgeTest
@FastJobs
@TestPropertySource(properties = {
        "spring.datasource.url=jdbc:h2:mem:billing-tests;DB_CLOSE_DELAY=-1",
        "returnbridge.jobs.processing-confirm-after=PT2S"})
class BillingAndChartsTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String ID = SandboxConnection.ID;
    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** A text a CSV writer gets wrong unless it quotes: a comma, double quotes, CRLF and a lone LF. */
    static final String AWKWARD = "#7, \"gift\" for Ana\r\nsecond line\nthird";

    @LocalServerPort
    int port;
    @Autowired
    SandboxDemo demo;
    @Autowired
    ReturnLinks links;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    MeterRegistry meters;

    // ------------------------------------------------------------------ a period with every kind of return

    @Test
    void aPeriodCountsProcessedFlaggedAndNeverClosedRmasInJsonAndCsv() {
        long processed = demo.createReturn(ID, List.of(new SandboxDemo.DemoItem("BILL-TEE", 2)), null).loopReturnId();
        long flagged = demo.createReturn(ID, List.of(new SandboxDemo.DemoItem("BILL-CAP", 1)), null).loopReturnId();
        long waiting = demo.createReturn(ID, List.of(new SandboxDemo.DemoItem("BILL-SOCK", 3)), null).loopReturnId();
        awaitState(processed, LinkState.RMA_CREATED);
        awaitState(flagged, LinkState.RMA_CREATED);
        awaitState(waiting, LinkState.RMA_CREATED);
        demo.receive(processed, "Warehouse Complete", "all");
        demo.receive(flagged, "Damaged", "all");
        awaitState(processed, LinkState.CLOSED);
        awaitState(flagged, LinkState.FLAGGED);

        // Today's returns (a day either side, so a run across midnight UTC still finds them).
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        String period = "from=" + today.minusDays(1) + "&to=" + today.plusDays(1);
        JsonNode export = json(get("/api/connections/" + ID + "/billing?" + period, Map.of()));
        assertThat(export.path("connection").asString()).isEqualTo(ID);
        assertThat(export.path("closeStatus").asString()).isEqualTo("Complete");
        JsonNode p = row(export, processed);
        assertThat(p.path("decision").asString()).isEqualTo("process");
        assertThat(p.path("unitsExpected").asInt()).isEqualTo(2);
        assertThat(p.path("unitsReceived").asInt()).isEqualTo(2);
        assertThat(p.path("processed").asBoolean()).isTrue();
        assertThat(p.path("processedAt").asString()).isNotEmpty();
        assertThat(p.path("flagged").asBoolean()).isFalse();
        assertThat(p.path("rmaClosed").asBoolean()).isTrue();
        assertThat(p.path("rmaClosedAt").asString()).isNotEmpty();
        assertThat(p.path("rmaNeverClosed").asBoolean()).isFalse();
        assertThat(p.path("removedLineItems").asInt()).isZero();
        JsonNode f = row(export, flagged);
        assertThat(f.path("decision").asString()).isEqualTo("flag");
        assertThat(f.path("flagged").asBoolean()).isTrue();
        assertThat(f.path("processed").asBoolean()).isFalse();
        assertThat(f.path("shipheroStatus").asString()).isEqualTo("Damaged");
        assertThat(f.path("rmaNeverClosed").asBoolean()).isTrue();
        JsonNode w = row(export, waiting);
        assertThat(w.path("state").asString()).isEqualTo("RMA_CREATED");
        assertThat(w.path("unitsExpected").asInt()).as("from the Loop return before any decision").isEqualTo(3);
        assertThat(w.path("unitsReceived").asInt()).isZero();
        assertThat(w.path("rmaCreated").asBoolean()).isTrue();
        assertThat(w.path("rmaNeverClosed").asBoolean()).isTrue();

        JsonNode summary = export.path("summary");
        List<JsonNode> rows = export.path("returns").values().stream().toList();
        assertThat(summary.path("returns").asLong()).isEqualTo(rows.size());
        assertThat(summary.path("processed").asLong()).isEqualTo(count(rows, "processed"));
        assertThat(summary.path("flagged").asLong()).isEqualTo(count(rows, "flagged"));
        assertThat(summary.path("rmasClosed").asLong()).isEqualTo(count(rows, "rmaClosed"));
        assertThat(summary.path("rmasNeverClosed").asLong()).isEqualTo(count(rows, "rmaNeverClosed"))
                .isGreaterThanOrEqualTo(2);
        assertThat(summary.path("unitsExpected").asLong())
                .isEqualTo(rows.stream().mapToLong(r -> r.path("unitsExpected").asLong()).sum());

        // The same period as CSV, asked for by Accept and by format=csv: one record per return plus the summary.
        Http.Answer byAccept = get("/api/connections/" + ID + "/billing?" + period, Map.of("Accept", "text/csv"));
        Answer byFormat = getRaw("/api/connections/" + ID + "/billing?" + period + "&format=csv", Map.of());
        assertThat(byFormat.header("Content-Type")).startsWith("text/csv");
        assertThat(byFormat.header("Content-Disposition"))
                .isEqualTo("attachment; filename=\"billing-" + ID + "-" + today.minusDays(1) + "-"
                        + today.plusDays(1) + ".csv\"");
        assertThat(byAccept.body()).isEqualTo(byFormat.body());
        List<List<String>> csv = StrictCsv.parse(byFormat.body());
        assertThat(csv.get(0)).isEqualTo(BillingWriter.Csv.HEADER);
        assertThat(csv).hasSize(rows.size() + 2);
        Map<String, String> processedCsv = record(csv, String.valueOf(processed));
        assertThat(processedCsv).containsEntry("record", "return").containsEntry("processed", "1")
                .containsEntry("rma_closed", "1").containsEntry("rma_never_closed", "0")
                .containsEntry("units_expected", "2").containsEntry("units_received", "2");
        assertThat(record(csv, String.valueOf(flagged))).containsEntry("flagged", "1")
                .containsEntry("rma_never_closed", "1");
        Map<String, String> summaryCsv = named(csv.get(0), csv.get(csv.size() - 1));
        assertThat(summaryCsv).containsEntry("record", "summary")
                .containsEntry("returns", String.valueOf(rows.size()))
                .containsEntry("processed", summary.path("processed").asString())
                .containsEntry("flagged", summary.path("flagged").asString())
                .containsEntry("rma_closed", summary.path("rmasClosed").asString())
                .containsEntry("rma_never_closed", summary.path("rmasNeverClosed").asString())
                .containsEntry("loop_return_id", "");

        // The same flow on the charts: processed and flagged today, one confirmation this week at least.
        JsonNode outcomes = json(get("/api/connections/" + ID + "/charts/outcomes", Map.of()));
        int last = outcomes.path("days").size() - 1;
        assertThat(outcomes.path("days").get(last).asString()).isEqualTo(LocalDate.now(ZoneOffset.UTC).toString());
        assertThat(series(outcomes, "processed").get(last).asInt()).isPositive();
        assertThat(series(outcomes, "flagged").get(last).asInt()).isPositive();
        JsonNode weeks = json(get("/api/connections/" + ID + "/charts/confirmation-times", Map.of())).path("weeks");
        JsonNode thisWeek = weeks.get(weeks.size() - 1);
        assertThat(thisWeek.path("returns").asInt()).isPositive();
        assertThat(thisWeek.path("p90Seconds").asDouble()).isGreaterThanOrEqualTo(thisWeek.path("medianSeconds")
                .asDouble()).isGreaterThanOrEqualTo(0.0);
    }

    // ------------------------------------------------------------------ charts, from timeline rows and clocks

    @Test
    void chartsCountEachReturnOncePerOutcomeAndDayAndTakePercentilesPerWeek() {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        OffsetDateTime twoDaysAgo = today.minusDays(2).atTime(12, 0).atOffset(ZoneOffset.UTC);
        OffsetDateTime threeDaysAgo = today.minusDays(3).atTime(12, 0).atOffset(ZoneOffset.UTC);
        long base = 9_000_000 + (System.nanoTime() % 1000) * 100;
        entry(base + 1, twoDaysAgo, "LOOP_PROCESSED");
        entry(base + 1, twoDaysAgo.plusMinutes(5), "LOOP_ALREADY_CLOSED");
        entry(base + 2, twoDaysAgo, "LOOP_PROCESSED");
        entry(base + 3, twoDaysAgo, "LOOP_FLAGGED");
        entry(base + 4, threeDaysAgo, "NEEDS_ATTENTION");
        entry(base + 5, today.minusDays(30).atTime(12, 0).atOffset(ZoneOffset.UTC), "LOOP_PROCESSED");

        JsonNode outcomes = json(get("/api/connections/" + ID + "/charts/outcomes", Map.of()));
        assertThat(outcomes.path("days").size()).isEqualTo(30);
        assertThat(outcomes.path("from").asString()).isEqualTo(today.minusDays(29).toString());
        assertThat(series(outcomes, "processed").get(27).asInt()).as("two returns, one of them twice").isEqualTo(2);
        assertThat(series(outcomes, "flagged").get(27).asInt()).isEqualTo(1);
        assertThat(series(outcomes, "needs_attention").get(26).asInt()).isEqualTo(1);
        JsonNode all = json(get("/api/charts/outcomes", Map.of()));
        assertThat(series(all, "processed").get(27).asInt()).isGreaterThanOrEqualTo(2);

        // A week ago: three returns confirmed by Loop 60 s, 120 s and 600 s after the carrier delivered them to the
        // warehouse (the second one's delivery never reported: counted from the warehouse's receipt), and one not
        // confirmed yet: median 120 s, 90th percentile 600 s (nearest rank).
        OffsetDateTime delivered = today.minusDays(7).atTime(10, 0).atOffset(ZoneOffset.UTC);
        clocks(base + 11, delivered, delivered.plusSeconds(20), delivered.plusSeconds(60));
        clocks(base + 12, null, delivered, delivered.plusSeconds(120));
        clocks(base + 13, delivered, delivered.plusSeconds(300), delivered.plusSeconds(600));
        clocks(base + 14, delivered, delivered.plusSeconds(300), null);
        JsonNode times = json(get("/api/connections/" + ID + "/charts/confirmation-times", Map.of()));
        JsonNode weeks = times.path("weeks");
        assertThat(weeks.size()).isEqualTo(12);
        JsonNode lastWeek = weeks.get(10);
        assertThat(lastWeek.path("week").asString()).isEqualTo(today.minusDays(7)
                .with(java.time.temporal.TemporalAdjusters.previousOrSame(java.time.DayOfWeek.MONDAY)).toString());
        assertThat(lastWeek.path("returns").asInt()).isEqualTo(3);
        assertThat(lastWeek.path("medianSeconds").asDouble()).isEqualTo(120.0);
        assertThat(lastWeek.path("p90Seconds").asDouble()).isEqualTo(600.0);
        assertThat(weeks.get(0).path("medianSeconds").isNull()).as("a week without returns has no median").isTrue();

        assertThat(get("/api/connections/no-such-merchant/charts/outcomes", Map.of()).status()).isEqualTo(404);
        assertThat(get("/api/connections/no-such-merchant/charts/confirmation-times", Map.of()).status())
                .isEqualTo(404);
    }

    /** A return's SLA clocks as the bridge writes them; {@code null}: that step has not happened. */
    private void clocks(long loopReturnId, OffsetDateTime delivered, OffsetDateTime received, OffsetDateTime confirmed) {
        OffsetDateTime created = (delivered != null ? delivered : received).minusDays(2);
        jdbc.update("INSERT INTO return_link (connection_id, loop_return_id, state, created_at, updated_at, delivered_at,"
                + " received_at, confirmed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", ID, "chart-" + loopReturnId,
                confirmed != null ? "CLOSED" : "PROCESSED", created, created, delivered, received, confirmed);
    }

    private void entry(long linkId, OffsetDateTime at, String kind) {
        jdbc.update("INSERT INTO timeline_entry (link_id, connection_id, loop_return_id, at, kind, message) "
                + "VALUES (?, ?, ?, ?, ?, ?)", linkId, ID, "chart-" + linkId, at, kind, "written by the test");
    }

    private static JsonNode series(JsonNode outcomes, String outcome) {
        return outcomes.path("series").values().stream().filter(s -> s.path("outcome").asString().equals(outcome))
                .findFirst().orElseThrow().path("counts");
    }

    // ------------------------------------------------------------------ boundaries and awkward text, direct rows

    @Test
    void fromAndToAreInclusiveUtcDaysAndTextIsQuotedByTheRfc() {
        String tag = "b" + UUID.randomUUID().toString().substring(0, 8);
        insertLink(tag + "-before", "2026-10-31T23:59:59.999Z", "#before", LinkState.CLOSED, null, null, null);
        insertLink(tag + "-first", "2026-11-01T00:00:00Z", "#first", LinkState.CLOSED, "rma-first", "Complete",
                "PROCESS:complete:1/1");
        insertLink(tag + "-awkward", "2026-11-15T12:00:00Z", AWKWARD, LinkState.CLOSED, "rma-awkward",
                "Warehouse Complete", "PROCESS:warehousecomplete:3/3");
        insertLink(tag + "-last", "2026-11-30T23:59:59.999Z", "#last", LinkState.CANCELLED_IN_LOOP, null, null,
                null);
        insertLink(tag + "-after", "2026-12-01T00:00:00Z", "#after", LinkState.CLOSED, null, null, null);

        JsonNode november = json(get("/api/connections/" + ID + "/billing?from=2026-11-01&to=2026-11-30", Map.of()));
        assertThat(ids(november, tag)).containsExactly(tag + "-first", tag + "-awkward", tag + "-last");
        assertThat(json(get("/api/connections/" + ID + "/billing?month=2026-11", Map.of())))
                .isEqualTo(november);
        assertThat(ids(json(get("/api/connections/" + ID + "/billing?from=2026-11-30&to=2026-11-30", Map.of())),
                tag)).containsExactly(tag + "-last");
        assertThat(ids(json(get("/api/connections/" + ID + "/billing?from=2026-10-31&to=2026-10-31", Map.of())),
                tag)).containsExactly(tag + "-before");
        // One end alone reaches to its month's other end.
        assertThat(ids(json(get("/api/connections/" + ID + "/billing?from=2026-11-15", Map.of())), tag))
                .containsExactly(tag + "-awkward", tag + "-last");

        // An RMA whose warehouse status already is the close status bills (closed); one that never got it does not.
        JsonNode first = rowById(november, tag + "-first");
        assertThat(first.path("rmaClosed").asBoolean()).isTrue();
        assertThat(first.path("rmaClosedAt").isNull()).isTrue();
        JsonNode awkward = rowById(november, tag + "-awkward");
        assertThat(awkward.path("orderName").asString()).isEqualTo(AWKWARD);
        assertThat(awkward.path("rmaNeverClosed").asBoolean()).isTrue();
        assertThat(awkward.path("createdAt").asString()).isEqualTo("2026-11-15T12:00:00Z");
        assertThat(rowById(november, tag + "-last").path("rmaCreated").asBoolean()).isFalse();

        Http.Answer csv = get("/api/connections/" + ID + "/billing?month=2026-11&format=csv", Map.of());
        assertThat(csv.body()).contains("\"#7, \"\"gift\"\" for Ana\r\nsecond line\nthird\"");
        List<List<String>> records = StrictCsv.parse(csv.body());
        Map<String, String> parsed = record(records, tag + "-awkward");
        assertThat(parsed).containsEntry("order_name", AWKWARD).containsEntry("created_at", "2026-11-15T12:00:00Z")
                .containsEntry("units_expected", "3").containsEntry("units_received", "3")
                .containsEntry("rma_never_closed", "1");
        assertThat(records.stream().filter(r -> r.get(1).startsWith(tag)).map(r -> r.get(1)))
                .containsExactly(tag + "-first", tag + "-awkward", tag + "-last");
    }

    @Test
    void withoutDatesTheExportIsTheCurrentMonth() {
        JsonNode export = json(get("/api/connections/" + ID + "/billing", Map.of()));
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        assertThat(export.path("from").asString()).isEqualTo(today.withDayOfMonth(1).toString());
        assertThat(export.path("to").asString()).isEqualTo(today.withDayOfMonth(today.lengthOfMonth()).toString());
        assertThat(export.path("timeZone").asString()).isEqualTo("UTC");
    }

    @Test
    void badDatesAreRefusedWithTheReasonAndAnUnknownConnectionIsNotFound() {
        assertRefused("from=2026-13-01&to=2026-11-30", Map.of(), "'from' must be a date");
        assertRefused("from=2026-11-01&to=yesterday", Map.of("Accept", "text/csv"), "'to' must be a date");
        assertRefused("from=2026-11-30&to=2026-11-01", Map.of(), "is before 'from'");
        assertRefused("from=2024-01-01&to=2026-11-30", Map.of(), "366 days at most");
        assertRefused("month=November", Map.of(), "'month' must be a month");
        assertRefused("month=2026-11&from=2026-11-01", Map.of(), "either 'month' or 'from'/'to'");
        assertRefused("format=xlsx", Map.of(), "'format' must be csv or json");

        Http.Answer unknown = get("/api/connections/no-such-merchant/billing?month=2026-11",
                Map.of("Accept", "text/csv"));
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(json(unknown).path("error").asString()).contains("no connection no-such-merchant");
    }

    @Test
    void exportAndFiguresNeedTheLoginWhileTheChartLibraryIsServedFromTheJar() {
        for (String path : List.of("/api/connections/" + ID + "/billing?month=2026-11",
                "/api/connections/" + ID + "/charts/outcomes", "/api/connections/" + ID + "/charts/confirmation-times",
                "/api/charts/outcomes", "/api/charts/confirmation-times")) {
            Http.Answer anonymous = Http.get("http://127.0.0.1:" + port + path, Map.of());
            assertThat(anonymous.status()).as(path).isEqualTo(401);
        }
        Http.Answer library = Http.get("http://127.0.0.1:" + port + "/js/chart.umd.min.js", Map.of());
        assertThat(library.status()).isEqualTo(200);
        assertThat(library.body()).startsWith("/*!\n * Chart.js v4.5.1");
        assertThat(Http.get("http://127.0.0.1:" + port + "/js/chart.js.LICENSE.txt", Map.of()).body())
                .contains("MIT License");
        assertThat(Http.get("http://127.0.0.1:" + port + "/js/charts.js", Map.of()).status()).isEqualTo(200);
    }

    private void assertRefused(String query, Map<String, String> headers, String reason) {
        Answer answer = getRaw("/api/connections/" + ID + "/billing?" + query, headers);
        assertThat(answer.status()).as(query).isEqualTo(400);
        assertThat(answer.header("Content-Disposition")).as("an error is not a download").isNull();
        assertThat(JSON.readTree(answer.body()).path("error").asString()).as(query).contains(reason);
    }

    // ------------------------------------------------------------------ streaming

    /**
     * 50,000 returns in a month, read by a client that stops after the first bytes: the export stops too, with most
     * rows not yet read from the database (they are read only as the client takes them, so the period is never held
     * in memory); once the client reads on, every row and the summary arrive.
     */
    @Test
    void aLargePeriodIsStreamedAsTheClientReadsIt() throws Exception {
        int total = 50_000;
        insertMany(total);
        double before = rowsWritten();

        try (Socket socket = new Socket()) {
            socket.setReceiveBufferSize(16 * 1024);
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            socket.setSoTimeout(60_000);
            OutputStream request = socket.getOutputStream();
            // HTTP/1.0: the body ends when the server closes, with no chunked framing to undo.
            request.write(("GET /api/connections/" + ID + "/billing?month=2025-03 HTTP/1.0\r\nHost: 127.0.0.1\r\n"
                    + "Authorization: " + basic() + "\r\nAccept: application/json\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            request.flush();
            InputStream in = socket.getInputStream();
            byte[] first = in.readNBytes(4096);
            String head = new String(first, StandardCharsets.UTF_8);
            assertThat(head).startsWith("HTTP/1.1 200").contains("\"returns\":[{");

            // The client reads nothing more: the server fills the socket's buffers, then waits on them.
            double stalled = awaitStable();
            assertThat(stalled - before).as("rows read while the client has read only its first 4 KiB")
                    .isLessThan(total * 0.8);

            ByteArrayOutputStream rest = new ByteArrayOutputStream();
            rest.write(first);
            in.transferTo(rest);
            String answer = rest.toString(StandardCharsets.UTF_8);
            JsonNode export = JSON.readTree(answer.substring(answer.indexOf("\r\n\r\n") + 4));
            assertThat(export.path("returns").get(0).path("loopReturnId").asString()).startsWith("bulk-0-");
            assertThat(export.path("returns").size()).isEqualTo(total);
            assertThat(export.path("summary").path("returns").asLong()).isEqualTo(total);
            assertThat(export.path("summary").path("rmasNeverClosed").asLong()).isEqualTo(total);
        }
        assertThat(rowsWritten() - before).isEqualTo(total);
    }

    /**
     * Waits until the export's row counter has not moved for two seconds (the server blocked on the stalled client,
     * not a pause of a busy machine), then checks it stays put for one more.
     */
    private double awaitStable() {
        double[] last = {-1};
        int[] unchanged = {0};
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            double now = rowsWritten();
            unchanged[0] = now == last[0] ? unchanged[0] + 1 : 0;
            last[0] = now;
            return unchanged[0] >= 2;
        });
        Timing.holdFor(Duration.ofSeconds(1), "the stalled export reads no more rows");
        assertThat(rowsWritten()).as("no row read while the client reads nothing").isEqualTo(last[0]);
        return last[0];
    }

    private double rowsWritten() {
        var counter = meters.find("returnbridge.billing.rows").tag("format", "json").counter();
        return counter == null ? 0 : counter.count();
    }

    // ------------------------------------------------------------------ helpers

    ReturnLink awaitState(long loopReturnId, LinkState state) {
        await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> links
                .findByLoopId(ID, String.valueOf(loopReturnId)).map(l -> l.state() == state).orElse(false));
        return links.findByLoopId(ID, String.valueOf(loopReturnId)).orElseThrow();
    }

    private void insertLink(String loopReturnId, String createdAt, String orderName, LinkState state, String rmaId,
                            String status, String decision) {
        OffsetDateTime at = OffsetDateTime.parse(createdAt);
        jdbc.update("""
                INSERT INTO return_link (connection_id, loop_return_id, state, order_name, shiphero_return_id,
                                         last_status, last_decision, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""", ID, loopReturnId, state.name(), orderName, rmaId, status,
                decision, at, at);
    }

    /**
     * {@code n} closed returns taken in during March 2025, one every 40 s, in one INSERT … SELECT over a generated
     * series (H2's SYSTEM_RANGE, PostgreSQL's generate_series). As wide as real rows get: long ids, order names and
     * statuses, since what fills the socket's buffers is the export's bytes, not its row count.
     */
    private void insertMany(int n) {
        String pad = "x".repeat(60);
        boolean postgres = Boolean.TRUE.equals(jdbc.execute((java.sql.Connection c) ->
                c.getMetaData().getDatabaseProductName().toLowerCase(java.util.Locale.ROOT).contains("postgres")));
        String series = postgres ? "generate_series(0, ? - 1) AS g(x)" : "SYSTEM_RANGE(0, ? - 1) AS g(x)";
        String createdAt = postgres ? "TIMESTAMPTZ '2025-03-01 00:00:00+00' + x * INTERVAL '40 seconds'"
                : "DATEADD('SECOND', x * 40, TIMESTAMP WITH TIME ZONE '2025-03-01 00:00:00+00')";
        jdbc.update("""
                INSERT INTO return_link (connection_id, loop_return_id, state, order_name, shiphero_return_id,
                                         last_status, last_decision, created_at, updated_at)
                SELECT ?, CONCAT('bulk-', CAST(x AS VARCHAR(10)), '-', ?), 'CLOSED', CONCAT('#', CAST(x AS VARCHAR(10)),
                       ' ', ?), CONCAT('rma-', CAST(x AS VARCHAR(10)), '-', ?), CONCAT('Warehouse Complete ', ?),
                       'PROCESS:warehousecomplete:2/2', %s, %s
                  FROM %s""".formatted(createdAt, createdAt, series),
                ID, pad.substring(0, 25), pad, pad, pad, n);
    }

    private static long count(List<JsonNode> rows, String flag) {
        return rows.stream().filter(r -> r.path(flag).asBoolean()).count();
    }

    private static JsonNode row(JsonNode export, long loopReturnId) {
        return rowById(export, String.valueOf(loopReturnId));
    }

    private static JsonNode rowById(JsonNode export, String loopReturnId) {
        return export.path("returns").values().stream()
                .filter(r -> r.path("loopReturnId").asString().equals(loopReturnId)).findFirst()
                .orElseThrow(() -> new AssertionError("no row for " + loopReturnId + " in " + export));
    }

    private static List<String> ids(JsonNode export, String tag) {
        return export.path("returns").values().stream().map(r -> r.path("loopReturnId").asString())
                .filter(id -> id.startsWith(tag)).toList();
    }

    private static Map<String, String> record(List<List<String>> csv, String loopReturnId) {
        return csv.stream().filter(r -> r.get(1).equals(loopReturnId)).findFirst()
                .map(r -> named(csv.get(0), r))
                .orElseThrow(() -> new AssertionError("no record for " + loopReturnId));
    }

    private static Map<String, String> named(List<String> header, List<String> record) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        for (int i = 0; i < header.size(); i++) {
            out.put(header.get(i), record.get(i));
        }
        return out;
    }

    private JsonNode json(Http.Answer answer) {
        assertThat(answer.status()).as(answer.body()).isBetween(200, 499);
        return JSON.readTree(answer.body());
    }

    private Http.Answer get(String path, Map<String, String> headers) {
        Answer a = getRaw(path, headers);
        return new Http.Answer(a.status(), a.body());
    }

    record Answer(int status, String body, HttpResponse<String> response) {
        String header(String name) {
            return response.headers().firstValue(name).orElse(null);
        }
    }

    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    private Answer getRaw(String path, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(60)).header("Authorization", basic()).GET();
        headers.forEach(request::header);
        try {
            HttpResponse<String> response = CLIENT.send(request.build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Answer(response.statusCode(), response.body(), response);
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    static String basic() {
        return "Basic " + Base64.getEncoder().encodeToString(("admin:" + ReturnbridgeTest.ADMIN_PASSWORD)
                .getBytes(StandardCharsets.UTF_8));
    }
}
