package com.returnbridge.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import com.returnbridge.support.ReturnbridgeTest;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A status job decides on the link as it read it, then asks the vendors, then writes its decision: whatever moved
 * the link in between (Loop cancelling the return, a person) is not written back over.
 */
@ReturnbridgeTest
class ReturnLinksDecidedTest {

    @Autowired
    ReturnLinks links;

    @Test
    void aDecisionTakenOnAStateThatMovedMeanwhileKeepsTheNewerState() {
        long id = links.insert("sandbox", "decided-" + UUID.randomUUID(), "open", null, "#1");
        links.transition(id, LinkState.RECEIVED, LinkState.RMA_CREATED);
        // the job read RMA_CREATED; while it asked ShipHero, Loop's cancellation arrived
        links.transition(id, LinkState.RMA_CREATED, LinkState.CANCELLED_IN_LOOP);

        boolean applied = links.decided(id, LinkState.RMA_CREATED, LinkState.PROCESSED, "Complete", "PROCESS:k");

        ReturnLink link = links.find(id).orElseThrow();
        assertThat(applied).isFalse();
        assertThat(link.state()).isEqualTo(LinkState.CANCELLED_IN_LOOP);
        assertThat(link.lastStatus()).isEqualTo("Complete");
        assertThat(link.lastDecision()).isEqualTo("PROCESS:k");
    }

    @Test
    void aDecisionOnTheStateReadMovesIt() {
        long id = links.insert("sandbox", "decided-" + UUID.randomUUID(), "open", null, "#2");
        links.transition(id, LinkState.RECEIVED, LinkState.RMA_CREATED);

        assertThat(links.decided(id, LinkState.RMA_CREATED, LinkState.FLAGGED, "Damaged", "FLAG:k")).isTrue();
        assertThat(links.find(id).orElseThrow().state()).isEqualTo(LinkState.FLAGGED);
    }
}
