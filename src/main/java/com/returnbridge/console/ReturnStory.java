package com.returnbridge.console;

import com.returnbridge.bridge.ReturnLink;
import com.returnbridge.bridge.Timeline;
import com.returnbridge.bridge.TimelineKind;
import com.returnbridge.vendor.VendorCallLog;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.springframework.stereotype.Component;

/** A return's merged story, as its page shows it: timeline, deliveries and vendor calls in one list, by lane. */
@Component
public class ReturnStory {

    /**
     * One line of a return's merged story. {@code lane}: loop, shiphero, decision, operator, bridge, error. A
     * delivery carries its id and body (for Replay); a vendor call carries what was sent and answered.
     */
    public record StoryLine(OffsetDateTime at, String lane, String kind, String message, Long deliveryId,
                            String body, VendorCallLog.Entry call) {
        StoryLine(OffsetDateTime at, String lane, String kind, String message) {
            this(at, lane, kind, message, null, null, null);
        }
    }

    /** The newest calls shown on a return page; a return normally needs fewer than twenty. */
    static final int CALLS_PER_RETURN = 200;

    private final Timeline timeline;
    private final ConsoleQueries queries;
    private final VendorCallLog calls;

    ReturnStory(Timeline timeline, ConsoleQueries queries, VendorCallLog calls) {
        this.timeline = timeline;
        this.queries = queries;
        this.calls = calls;
    }

    List<StoryLine> of(ReturnLink link) {
        List<StoryLine> lines = new ArrayList<>();
        for (Timeline.Entry e : timeline.forLink(link.id())) {
            lines.add(new StoryLine(e.at(), lane(e.kind()), e.kind(), e.message()));
        }
        for (ConsoleQueries.DeliveryRow d : queries.deliveriesFor(link)) {
            lines.add(new StoryLine(d.receivedAt(), d.source().toLowerCase(), "DELIVERY",
                    (d.source().equals("LOOP") ? "Loop" : "ShipHero") + " webhook #" + d.id() + " " + d.topic() + " → "
                            + d.outcome().toLowerCase() + (d.routed() ? "" : " (received, not yet routed)")
                            + (d.duplicates() > 0 ? " (+" + d.duplicates()
                            + " duplicate(s))" : ""), d.id(), d.body(), null));
        }
        for (VendorCallLog.Entry c : calls.forReturn(link.connectionId(), link.loopReturnId(), CALLS_PER_RETURN)) {
            lines.add(new StoryLine(c.startedAt(), c.failed() ? "error" : c.vendor(), "CALL", describe(c), null, null,
                    c));
        }
        lines.sort(Comparator.comparing(StoryLine::at).thenComparing(l -> l.deliveryId() == null ? 1 : 0));
        return lines;
    }

    /** "ShipHero return_create → 200 in 84 ms", the line a vendor call gets on the timeline. */
    static String describe(VendorCallLog.Entry c) {
        return ("loop".equals(c.vendor()) ? "Loop " : "ShipHero ") + c.operation() + " (" + c.method() + ") → "
                + (c.status() != null ? "HTTP " + c.status() : c.outcome()) + " in " + c.durationMs() + " ms"
                + (c.job() != null ? " · job " + c.job() : "");
    }

    /** The lane as the page's CSS class: loop, shiphero, decision, operator, bridge, error. */
    static String lane(String kind) {
        return TimelineKind.lane(kind).name().toLowerCase(Locale.ROOT);
    }
}
