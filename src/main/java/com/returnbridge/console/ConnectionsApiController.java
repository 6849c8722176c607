package com.returnbridge.console;

import com.returnbridge.backfill.Backfills;
import com.returnbridge.bridge.OperatorActions;
import com.returnbridge.monitor.ConnectionActivity;
import com.returnbridge.monitor.ConnectionCounts;
import com.returnbridge.monitor.ConnectionHealth;
import com.returnbridge.monitor.ShipHeroWebhookCheck;
import com.returnbridge.onboarding.ConnectReport;
import com.returnbridge.onboarding.Onboarding;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.responses.ApiResponses;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.security.Principal;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/** Connections: create, edit (secrets write-only), connect, pause/resume, bulk retry, backfill, overview. */
@RestController
@RequestMapping("/api")
@Tag(name = "Connections", description = "merchants: settings, onboarding, pause, bulk retry, backfill")
public class ConnectionsApiController {

    public record MappingInput(List<String> processStatuses, List<String> flagStatuses, List<String> ignoreStatuses,
                               String unmappedAction, String closeStatus, String receiptRule,
                               List<String> problemConditions) {
    }

    public record BackfillInput(LocalDate from, LocalDate to, List<String> returnIds) {
    }

    /**
     * One connection on the overview: its counts, the deliveries refused for it (by source and reason) and the health
     * of its ShipHero webhook (latest check combined with the traffic).
     */
    public record OverviewRow(ConnectionView connection, ConnectionCounts counts,
                              ConnectionHealth.Rejections rejections, ConnectionHealth.ShipHeroWebhook shipheroWebhook,
                              ConnectionHealth.Unreadable unreadable) {
    }

    private final ConnectionService service;
    private final OperatorActions actions;
    private final ConsoleQueries queries;
    private final ConnectionActivity activity;
    private final ConnectionHealth health;
    private final ShipHeroWebhookCheck webhookCheck;
    private final Backfills backfills;
    private final DeliveryReplay replay;
    private final Onboarding onboarding;

    public ConnectionsApiController(ConnectionService service, OperatorActions actions, ConsoleQueries queries,
                                    ConnectionActivity activity, ConnectionHealth health,
                                    ShipHeroWebhookCheck webhookCheck, Backfills backfills, DeliveryReplay replay,
                                    Onboarding onboarding) {
        this.replay = replay;
        this.onboarding = onboarding;
        this.service = service;
        this.actions = actions;
        this.queries = queries;
        this.activity = activity;
        this.health = health;
        this.webhookCheck = webhookCheck;
        this.backfills = backfills;
    }

    @GetMapping("/overview")
    @Operation(summary = "Per connection: returns by state (today, this week, all), deliveries, jobs, last webhooks, "
            + "refused deliveries by reason, ShipHero webhook health")
    public List<OverviewRow> overview() {
        return service.views().stream().map(v -> overviewRow(v, activity, health)).toList();
    }

    static OverviewRow overviewRow(ConnectionView v, ConnectionActivity activity, ConnectionHealth health) {
        ConnectionCounts counts = activity.counts(v.id());
        return new OverviewRow(v, counts, health.rejections(v.id()), health.shipheroWebhook(counts),
                health.unreadable(v.id(), 5));
    }

    @GetMapping("/connections/{id}/deliveries/unreadable")
    @Operation(summary = "Signed deliveries of this connection stored as UNREADABLE (not read by a replay yet): the "
            + "count and the latest ones with their reason; GET /api/deliveries/{id} has the body")
    public ConnectionHealth.Unreadable unreadable(@PathVariable String id,
                                                 @RequestParam(defaultValue = "50") int limit) {
        connectionOrThrow(id);
        return health.unreadable(id, Math.max(1, Math.min(limit, 500)));
    }

    @PostMapping("/connections/{id}/deliveries/replay-unreadable")
    @Operation(summary = "Replay every UNREADABLE delivery of this connection with the current code (up to 500 per "
            + "call, oldest first): one that reads now is handled as normal and stops being unreadable; one that still "
            + "cannot be read keeps UNREADABLE with the current reason")
    public DeliveryReplay.BulkResult replayUnreadable(@PathVariable String id, Principal who) {
        connectionOrThrow(id);
        return replay.replayUnreadable(id, who.getName());
    }

    @GetMapping("/connections/{id}/rejections")
    @Operation(summary = "Deliveries refused for this connection (bad or missing signature, malformed, too large): "
            + "count, first and last time and the last reason answered, by source and reason; bodies are never kept")
    public ConnectionHealth.Rejections rejections(@PathVariable String id) {
        connectionOrThrow(id);
        return health.rejections(id);
    }

    @GetMapping("/connections/{id}/webhook-check")
    @Operation(summary = "The latest check of ShipHero's Return Update webhook: REGISTERED, MISSING, WRONG_URL or "
            + "CHECK_FAILED, with the detail and the URL Connect registered")
    public ResponseEntity<?> latestWebhookCheck(@PathVariable String id) {
        connectionOrThrow(id);
        return webhookCheck.latest(id).<ResponseEntity<?>>map(ResponseEntity::ok).orElseGet(() -> ResponseEntity
                .status(HttpStatus.NOT_FOUND).body(Map.of("error", "the ShipHero webhook of " + id
                        + " has not been checked yet")));
    }

    @PostMapping("/connections/{id}/webhook-check")
    @Operation(summary = "Check now that ShipHero holds our Return Update webhook (one webhooks query); stores and "
            + "answers the verdict")
    public ShipHeroWebhookCheck.Result checkWebhookNow(@PathVariable String id) {
        return webhookCheck.check(connectionOrThrow(id));
    }

    @GetMapping("/connections")
    @Operation(summary = "All connections (secrets are never returned, only whether they are set)")
    public List<ConnectionView> list() {
        return service.views();
    }

    @GetMapping("/connections/{id}")
    public ResponseEntity<?> get(@PathVariable String id) {
        return service.view(id).<ResponseEntity<?>>map(ResponseEntity::ok)
                .orElseGet(() -> ResponseEntity.status(HttpStatus.NOT_FOUND).body(Map.of("error", "no connection " + id)));
    }

    @PostMapping("/connections")
    @Operation(summary = "Create a connection; secrets are stored encrypted and never shown again")
    public ResponseEntity<ConnectionView> create(@RequestBody ConnectionInput input, Principal who) {
        return ResponseEntity.status(HttpStatus.CREATED).body(service.create(input, who.getName()));
    }

    @PutMapping("/connections/{id}")
    @Operation(summary = "Edit a connection; an absent or blank secret keeps the stored one",
            description = "RMA defaults (rmaLabelType: FREE, PAID, SELF_RETURN, FLAT_RATE or RETURN_TO_SENDER; "
                    + "rmaLabelCost, rmaWeight, rmaLength, rmaWidth, rmaHeight: non-negative decimals; "
                    + "rmaShippingCarrier, rmaShippingMethod) are used by the next RMA when Loop does not say; an absent "
                    + "or blank one keeps its value. A configured connection edited here becomes a stored override. "
                    + "400 with a reason for an invalid value.")
    public ConnectionView update(@PathVariable String id, @RequestBody ConnectionInput input, Principal who) {
        return service.update(id, input, who.getName());
    }

    @PutMapping("/connections/{id}/mapping")
    @Operation(summary = "Edit the status mapping: the three lists, the unmapped action, the close status, the receipt rule"
            + " (all_units, any_unit, status_only, per_item) and the conditions per_item counts as a problem")
    public ConnectionView mapping(@PathVariable String id, @RequestBody MappingInput m, Principal who) {
        return service.updateMapping(id, m.processStatuses(), m.flagStatuses(), m.ignoreStatuses(), m.unmappedAction(),
                m.closeStatus(), m.receiptRule(), m.problemConditions(), who.getName());
    }

    @GetMapping("/connections/{id}/unmapped-statuses")
    @Operation(summary = "ShipHero statuses seen for this connection that the mapping does not list")
    public List<String> unmapped(@PathVariable String id) {
        return queries.unmappedStatusesSeen(connectionOrThrow(id));
    }

    @DeleteMapping("/connections/{id}")
    @Operation(summary = "Delete a stored connection (a configured one with the same id comes back)")
    public ResponseEntity<?> delete(@PathVariable String id, Principal who) {
        return service.delete(id, who.getName()) ? ResponseEntity.noContent().build()
                : ResponseEntity.status(HttpStatus.NOT_FOUND).body(Map.of("error", "no stored connection " + id));
    }

    @PostMapping("/connections/{id}/connect")
    @Operation(summary = "Check the Loop key, refresh the ShipHero token, list warehouses, register both webhooks")
    public ConnectReport connect(@PathVariable String id, Principal who) {
        return onboarding.connect(id, ServletUriComponentsBuilder.fromCurrentContextPath().toUriString(),
                who.getName());
    }

    @PostMapping("/connections/{id}/pause")
    public ReturnsApiController.ActionResult pause(@PathVariable String id, Principal who) {
        return ReturnsApiController.ActionResult.of(actions.pause(id, who.getName()));
    }

    @PostMapping("/connections/{id}/resume")
    public ReturnsApiController.ActionResult resume(@PathVariable String id, Principal who) {
        return ReturnsApiController.ActionResult.of(actions.resume(id, who.getName()));
    }

    @PostMapping("/connections/{id}/retry-attention")
    @Operation(summary = "After a fix: retry every return of the connection in NEEDS_ATTENTION")
    public ReturnsApiController.ActionResult retryAttention(@PathVariable String id, Principal who) {
        connectionOrThrow(id);
        return ReturnsApiController.ActionResult.of(actions.retryAllNeedingAttention(id, who.getName()));
    }

    @PostMapping("/connections/{id}/backfill")
    @Operation(summary = "Start a backfill: import Loop returns by creation date range (UTC days, at most 366) and/or "
            + "by id, idempotently, as a background run",
            description = "Answers 202 Accepted with the queued run and its status URL in Location. While an identical "
                    + "request (same dates and ids) is queued or running, answers 200 with that run instead of starting "
                    + "a second. 400: end before start, range too long, neither range nor ids, an id that is not a "
                    + "number; 404: unknown connection. Nothing is queued on an error.")
    @ApiResponses({@ApiResponse(responseCode = "202", description = "run queued"),
            @ApiResponse(responseCode = "200", description = "an identical run is already queued or running"),
            @ApiResponse(responseCode = "400", description = "bad request, nothing queued"),
            @ApiResponse(responseCode = "404", description = "unknown connection")})
    public ResponseEntity<BackfillView> backfill(@PathVariable String id, @RequestBody(required = false)
                                                 BackfillInput input, Principal who) {
        BackfillInput in = input == null ? new BackfillInput(null, null, null) : input;
        Backfills.Started started = backfills.start(id, in.from(), in.to(), in.returnIds(), who.getName());
        BackfillView view = BackfillView.of(started.run());
        URI location = ServletUriComponentsBuilder.fromCurrentContextPath().path(view.statusUrl()).build().toUri();
        return ResponseEntity.status(started.created() ? HttpStatus.ACCEPTED : HttpStatus.OK).location(location)
                .body(view);
    }

    @GetMapping("/connections/{id}/backfills")
    @Operation(summary = "The connection's backfill runs, newest first, with their progress and counts")
    public List<BackfillView> backfills(@PathVariable String id,
                                        @RequestParam(defaultValue = "20") int limit) {
        return backfills.list(id, Math.max(1, Math.min(limit, 200))).stream().map(BackfillView::of).toList();
    }

    @GetMapping("/connections/{id}/backfills/{runId}")
    @Operation(summary = "One backfill run: state (QUEUED, RUNNING, DONE, FAILED, CANCELLED), progress, counts, errors")
    public BackfillView backfillRun(@PathVariable String id, @PathVariable long runId) {
        return BackfillView.of(backfills.get(id, runId));
    }

    @PostMapping("/connections/{id}/backfills/{runId}/cancel")
    @Operation(summary = "Cancel a queued or running backfill (the page being read is finished first)",
            description = "409 when the run has already ended (DONE or FAILED); cancelling a cancelled run changes nothing.")
    public BackfillView cancelBackfill(@PathVariable String id, @PathVariable long runId, Principal who) {
        return BackfillView.of(backfills.cancel(id, runId, who.getName()));
    }

    private com.returnbridge.connection.Connection connectionOrThrow(String id) {
        return service.connection(id);
    }
}
