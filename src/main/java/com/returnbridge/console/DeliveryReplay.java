package com.returnbridge.console;

import com.returnbridge.bridge.NotFound;
import com.returnbridge.bridge.ReturnLinks;
import com.returnbridge.bridge.Timeline;
import com.returnbridge.intake.IntakeService;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Service;

/** Replays a stored delivery, recording on the return's timeline who asked. */
@Service
public class DeliveryReplay {

    private final ConsoleQueries queries;
    private final ReturnLinks links;
    private final Timeline timeline;
    private final IntakeService intake;
    private final MeterRegistry meters;

    public DeliveryReplay(ConsoleQueries queries, ReturnLinks links, Timeline timeline, IntakeService intake,
                          MeterRegistry meters) {
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
            timeline.record(link.get(), "OPERATOR_REPLAY", what + " replayed by " + by);
        } else {
            timeline.record(null, d.connectionId(), null, "OPERATOR_REPLAY", what + " replayed by " + by);
        }
        IntakeService.Outcome outcome = intake.replay(deliveryId);
        return what + " replayed: " + outcome.name().toLowerCase();
    }
}
