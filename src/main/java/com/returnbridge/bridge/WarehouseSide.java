package com.returnbridge.bridge;

import static com.returnbridge.bridge.TimelineKind.SHIPHERO_EVENT;

import com.returnbridge.connection.Connection;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * What a ShipHero Return Update does: for an RMA we know, a hint and the apply-status job (which re-reads ShipHero);
 * for one we do not, the resolve-RMA job finds out whose it is. Runs in the caller's transaction.
 */
@Component
public class WarehouseSide {

    private final ReturnLinks links;
    private final Timeline timeline;
    private final BridgeJobs jobs;

    public WarehouseSide(ReturnLinks links, Timeline timeline, BridgeJobs jobs) {
        this.links = links;
        this.timeline = timeline;
        this.jobs = jobs;
    }

    /** {@code replayed}: an operator's replay of a stored delivery, said so on the timeline. */
    public void returnUpdate(Connection connection, WarehouseEvent event, boolean replayed) {
        Optional<ReturnLink> link = links.findByRmaId(connection.id(), event.returnUuid());
        if (link.isPresent()) {
            links.bumpHint(link.get().id());
            timeline.record(link.get(), SHIPHERO_EVENT, "ShipHero Return Update" + (replayed ? " (replayed)" : "")
                    + ": status '" + event.status() + "'");
            jobs.applyStatus(link.get().id());
        } else {
            jobs.resolveRma(connection.id(), event.returnUuid());
        }
    }
}
