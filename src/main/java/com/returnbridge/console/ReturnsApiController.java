package com.returnbridge.console;

import com.returnbridge.vendor.VendorCallLog;
import com.returnbridge.bridge.LineDecisions;
import com.returnbridge.bridge.LinkState;
import com.returnbridge.bridge.OperatorActions;
import com.returnbridge.bridge.ReturnClocks;
import com.returnbridge.bridge.ReturnLink;
import com.returnbridge.bridge.ReturnLinks;
import com.returnbridge.bridge.Timeline;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.security.Principal;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Returns, their timelines and deliveries, and the actions on them, for scripts and for the operator console. */
@RestController
@RequestMapping("/api")
@Tag(name = "Returns", description = "returns, timelines, deliveries and operator actions")
public class ReturnsApiController {

    public record ReturnSummary(long id, String connectionId, String loopReturnId, String state, String orderName,
                                String shipheroReturnId, Long shipheroLegacyId, String lastStatus,
                                String attentionReason, String createdAt, String updatedAt) {
        static ReturnSummary of(ReturnLink l) {
            return new ReturnSummary(l.id(), l.connectionId(), l.loopReturnId(), l.state().name(), l.orderName(),
                    l.shipheroReturnId(), l.shipheroLegacyId(), l.lastStatus(), l.attentionReason(),
                    l.createdAt().toString(), l.updatedAt().toString());
        }
    }

    public record DeliverySummary(long id, String source, String topic, String subjectId, String receivedAt,
                                  String outcome, int duplicates, boolean routed) {
        static DeliverySummary of(ConsoleQueries.DeliveryRow d) {
            return new DeliverySummary(d.id(), d.source(), d.topic(), d.subjectId(), d.receivedAt().toString(),
                    d.outcome(), d.duplicates(), d.routed());
        }
    }

    /**
     * {@code lines}: the verdict on each Loop line item at the latest decision (received, missing or problem, with
     * what the warehouse recorded and Loop's outcome); empty before the warehouse decided. {@code clocks}: when the
     * return was created, delivered, received, decided and confirmed (UTC; null: not yet).
     */
    public record ReturnDetail(ReturnSummary link, List<Timeline.Entry> timeline, List<DeliverySummary> deliveries,
                               List<VendorCallLog.Entry> vendorCalls, List<LineDecisions.Line> lines,
                               ReturnClocks.Clocks clocks) {
    }

    public record ActionResult(boolean changed, String message) {
        static ActionResult of(OperatorActions.Outcome o) {
            return new ActionResult(o.changed(), o.message());
        }
    }

    private final ReturnLinks links;
    private final Timeline timeline;
    private final ConsoleQueries queries;
    private final OperatorActions actions;
    private final DeliveryReplay replay;
    private final VendorCallLog calls;
    private final Access access;
    private final LineDecisions lineDecisions;
    private final ReturnClocks clocks;

    public ReturnsApiController(ReturnLinks links, Timeline timeline, ConsoleQueries queries, OperatorActions actions,
                                DeliveryReplay replay, VendorCallLog calls, LineDecisions lineDecisions,
                                ReturnClocks clocks, Access access) {
        this.access = access;
        this.lineDecisions = lineDecisions;
        this.clocks = clocks;
        this.links = links;
        this.timeline = timeline;
        this.queries = queries;
        this.actions = actions;
        this.replay = replay;
        this.calls = calls;
    }

    @GetMapping("/returns")
    @Operation(summary = "Search returns, newest first",
            description = "q matches a Loop return id, an order name (with or without #), a ShipHero RMA id or legacy "
                    + "id. from/to are UTC days (inclusive) on the creation date. The total is in X-Total-Count.")
    public ResponseEntity<List<ReturnSummary>> list(@RequestParam(required = false) String connection,
                                                    @RequestParam(required = false) LinkState state,
                                                    @RequestParam(required = false)
                                                    @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate from,
                                                    @RequestParam(required = false)
                                                    @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate to,
                                                    @RequestParam(defaultValue = "false") boolean unmapped,
                                                    @RequestParam(required = false) String q,
                                                    @RequestParam(defaultValue = "0") int page,
                                                    @RequestParam(defaultValue = "100") int limit) {
        ConsoleQueries.Page<ReturnLink> found = queries.search(
                new ConsoleQueries.ReturnFilter(connection, state, from, to, unmapped, q),
                access.only().orElse(null), Math.max(0, page),
                Math.max(1, Math.min(limit, 500)));
        return ResponseEntity.ok().header("X-Total-Count", String.valueOf(found.total()))
                .body(found.items().stream().map(ReturnSummary::of).toList());
    }

    @GetMapping("/returns/{connection}/{loopReturnId}")
    @Operation(summary = "One return: its link, its timeline, the deliveries about it and every vendor call made for it "
            + "(bodies redacted, headers never kept)")
    public ResponseEntity<?> detail(@PathVariable String connection, @PathVariable String loopReturnId) {
        return links.findByLoopId(connection, loopReturnId)
                .<ResponseEntity<?>>map(l -> ResponseEntity.ok(new ReturnDetail(ReturnSummary.of(l),
                        timeline.forLink(l.id()), queries.deliveriesFor(l).stream().map(DeliverySummary::of).toList(),
                        calls.forReturn(l.connectionId(), l.loopReturnId(), ReturnStory.CALLS_PER_RETURN),
                        lineDecisions.forLink(l.id()), clocks.of(l.id()).orElse(null))))
                .orElseGet(() -> notFound(loopReturnId, connection));
    }

    @PostMapping("/returns/{connection}/{loopReturnId}/retry")
    @Operation(summary = "Retry now: a return in NEEDS_ATTENTION goes back to its job; a waiting job runs at once")
    public ResponseEntity<?> retry(@PathVariable String connection, @PathVariable String loopReturnId,
                                   Principal who) {
        return links.findByLoopId(connection, loopReturnId)
                .<ResponseEntity<?>>map(l -> ResponseEntity.ok(ActionResult.of(actions.retry(l.id(), who.getName()))))
                .orElseGet(() -> notFound(loopReturnId, connection));
    }

    @PostMapping("/returns/{connection}/{loopReturnId}/rerun-decision")
    @Operation(summary = "Decide again from the RMA as it is now, with the connection's current mapping")
    public ResponseEntity<?> rerun(@PathVariable String connection, @PathVariable String loopReturnId,
                                   Principal who) {
        return links.findByLoopId(connection, loopReturnId)
                .<ResponseEntity<?>>map(l -> ResponseEntity.ok(ActionResult.of(
                        actions.rerunDecision(l.id(), who.getName()))))
                .orElseGet(() -> notFound(loopReturnId, connection));
    }

    /** Which ShipHero order a return belongs to, when several could be. */
    public record OrderPick(String orderId) {
    }

    @PostMapping("/returns/{connection}/{loopReturnId}/order")
    @Operation(summary = "Choose the ShipHero order of a return in NEEDS_ATTENTION because several orders could be its "
            + "order (the reason names them); its RMA is then created on that order")
    public ResponseEntity<?> chooseOrder(@PathVariable String connection, @PathVariable String loopReturnId,
                                         @RequestBody(required = false) OrderPick pick, Principal who) {
        return links.findByLoopId(connection, loopReturnId)
                .<ResponseEntity<?>>map(l -> ResponseEntity.ok(ActionResult.of(actions.chooseOrder(l.id(),
                        pick == null ? null : pick.orderId(), who.getName()))))
                .orElseGet(() -> notFound(loopReturnId, connection));
    }

    @GetMapping("/deliveries")
    @Operation(summary = "Latest stored webhook deliveries (bodies omitted)")
    public List<DeliverySummary> deliveries(@RequestParam(required = false) String connection,
                                            @RequestParam(defaultValue = "100") int limit) {
        return queries.recentDeliveries(connection, access.only().orElse(null), Math.max(1, Math.min(limit, 500)))
                .stream()
                .map(DeliverySummary::of).toList();
    }

    /** One stored delivery with its body as stored ({@code bodyEncoding} base64: bytes that were not UTF-8 text). */
    public record DeliveryDetail(long id, String connectionId, String source, String topic, String subjectId,
                                 String receivedAt, String outcome, String unreadableReason, int duplicates,
                                 String bodyEncoding, String body, boolean routed) {
    }

    @GetMapping("/deliveries/{id}")
    @Operation(summary = "One stored delivery with its body, and the reason when it is UNREADABLE")
    public DeliveryDetail delivery(@PathVariable long id) {
        ConsoleQueries.DeliveryRow d = queries.delivery(id).orElseThrow(() -> new com.returnbridge.bridge.NotFound("no delivery " + id));
        ConsoleQueries.Unreadability u = queries.unreadability(id);
        return new DeliveryDetail(d.id(), d.connectionId(), d.source(), d.topic(), d.subjectId(),
                d.receivedAt().toString(), d.outcome(), u.reason(), d.duplicates(), u.bodyEncoding(), d.body(),
                d.routed());
    }

    @PostMapping("/deliveries/{id}/replay")
    @Operation(summary = "Apply a stored delivery again (jobs stay idempotent: no second RMA or Loop action)")
    public ActionResult replay(@PathVariable long id, Principal who) {
        return new ActionResult(true, replay.replay(id, who.getName()));
    }

    private static ResponseEntity<Map<String, String>> notFound(String loopReturnId, String connection) {
        return ResponseEntity.status(HttpStatus.NOT_FOUND)
                .body(Map.of("error", "no return " + loopReturnId + " on connection " + connection));
    }
}
