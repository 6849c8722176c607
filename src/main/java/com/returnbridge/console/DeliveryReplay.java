package com.returnbridge.console;

import static com.returnbridge.bridge.TimelineKind.OPERATOR_REPLAY;

import com.returnbridge.bridge.NotFound;
import com.returnbridge.bridge.ReturnLinks;
import com.returnbridge.bridge.Timeline;
import com.returnbridge.intake.Deliveries;
import com.returnbridge.intake.IntakeService;
import com.returnbridge.intake.Replays;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Service;

/** Replays a stored delivery (or all unreadable ones of a connection), recording on the timeline who asked. */
@Service
public class DeliveryReplay {

    private final ConsoleQueries queries;
    private final ReturnLinks links;
    private final Timeline timeline;
    private final Replays intake;
    private final MeterRegistry meters;
    private final Deliveries deliveries;

    public DeliveryReplay(ConsoleQueries queries, ReturnLinks links, Timeline timeline, Replays intake,
                          MeterRegistry meters, Deliveries deliveries) {
        this.deliveries = deliveries;
        this.queries = queries;
        this.links = links;
        this.timeline = timeline;
        this.intake = intake;
        this.meters = meters;
    }

    public String replay(long deliveryId, String by) {
        ConsoleQueries.DeliveryRow d = queries.delivery(deliveryId)
                .orElseThrow(() -> new NotFound("no delivery " + deliveryId));
        meters.counter("returnbridge.operator.actions", "action", "replay").increment();
        var link = "LOOP".equals(d.source()) ? links.findByLoopId(d.connectionId(), d.subjectId())
                : links.findByRmaId(d.connectionId(), d.subjectId());
        String what = d.source().toLowerCase() + " delivery #" + d.id() + " (" + d.topic() + ")";
        if (link.isPresent()) {
            timeline.record(link.get(), OPERATOR_REPLAY, what + " replayed by " + by);
        } else {
            timeline.record(null, d.connectionId(), null, OPERATOR_REPLAY, what + " replayed by " + by);
        }
        IntakeService.Outcome outcome = intake.replay(deliveryId);
        if (outcome == IntakeService.Outcome.UNREADABLE) {
            return what + " replayed: still unreadable: "
                    + deliveries.unreadableReason(deliveryId).orElse("unreadable");
        }
        return what + " replayed: " + outcome.name().toLowerCase()
                + ("UNREADABLE".equals(d.outcome()) ? " (it was unreadable and reads now)" : "");
    }

    /** The bulk replay's answer: the counts and one line for the operator. */
    public record BulkResult(int replayed, int read, int stillUnreadable, boolean more, String message) {
    }

    /** Most deliveries one bulk replay reads; the operator runs it again for the rest. */
    static final int BULK_MAX = 500;

    /** Replays every UNREADABLE delivery of a connection with the current code; recorded on its timeline. */
    public BulkResult replayUnreadable(String connectionId, String by) {
        meters.counter("returnbridge.operator.actions", "action", "replay_unreadable").increment();
        Replays.BulkReplay r = intake.replayUnreadable(connectionId, BULK_MAX);
        String message = r.replayed() == 0 ? "no unreadable deliveries to replay"
                : r.replayed() + " unreadable deliveries replayed: " + r.read() + " read now, " + r.stillUnreadable()
                + " still unreadable" + (r.more() ? "; more are left, replay again" : "");
        timeline.record(null, connectionId, null, OPERATOR_REPLAY, message + " (by " + by + ")");
        return new BulkResult(r.replayed(), r.read(), r.stillUnreadable(), r.more(), message);
    }
}
