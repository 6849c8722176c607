package com.returnbridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.returnbridge.bridge.LinkState;
import com.returnbridge.bridge.ReturnLink;
import com.returnbridge.bridge.ReturnLinks;
import com.returnbridge.bridge.Timeline;
import com.returnbridge.sandbox.SandboxConnection;
import com.returnbridge.sandbox.SandboxDemo;
import com.returnbridge.sandbox.SandboxFaults;
import com.returnbridge.sandbox.loop.ActionCall;
import com.returnbridge.sandbox.loop.SandboxLoop;
import com.returnbridge.sandbox.shiphero.SandboxShipHero;
import com.returnbridge.support.ReturnbridgeTest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * How fast a return recovers from a vendor answering 5xx, with the shipped retry and settle settings (none of the
 * shortened values the other end-to-end tests use): the figures are printed, and must stay under 10 s.
 */
@ReturnbridgeTest // deliberately without @FastJobs: it measures the shipped retry and settle settings
class VendorRecoveryH2Test {

    private static final Duration TARGET = Duration.ofSeconds(10);
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Autowired
    SandboxDemo demo;
    @Autowired
    SandboxLoop loop;
    @Autowired
    SandboxShipHero shiphero;
    @Autowired
    ReturnLinks links;
    @Autowired
    Timeline timeline;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> "jdbc:h2:mem:recovery-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    }

    @Test
    void twoServerErrorsOnReturnCreateCostSecondsNotMinutes() {
        shiphero.faults().inject("return_create", SandboxFaults.Fault.of(SandboxFaults.Kind.SERVER_ERROR), 2);
        long id = newReturn("TEE-5XX-RMA");
        ReturnLink link = awaitState(id, LinkState.RMA_CREATED);

        List<Timeline.Entry> retries = timeline.forLink(link.id()).stream()
                .filter(e -> e.kind().equals("RETRY")).toList();
        assertThat(retries).hasSize(2).allMatch(e -> e.message().contains("HTTP 500"));
        List<SandboxShipHero.ReturnView> rmas = shiphero.returnsByPartnerId(String.valueOf(id));
        assertThat(rmas).hasSize(1);
        Duration took = Duration.between(retries.get(0).at().toInstant(), rmas.get(0).createdAt());
        System.out.println("[recovery] two 5xx on return_create: first 5xx → RMA in " + took.toMillis() + " ms");
        assertThat(took).isLessThan(TARGET);
    }

    @Test
    void aServerErrorOnTheLoopNoteCostsSecondsNotAMinute() {
        long id = newReturn("TEE-5XX-NOTE");
        awaitState(id, LinkState.RMA_CREATED);
        loop.faults().inject("note", SandboxFaults.Fault.of(SandboxFaults.Kind.SERVER_ERROR), 1);
        demo.receive(id, "Warehouse Complete", "none");
        awaitState(id, LinkState.FLAGGED);

        Duration took = firstServerErrorToNote(id);
        System.out.println("[recovery] one 5xx on the Loop note: first 5xx → note in " + took.toMillis() + " ms");
        assertThat(took).isLessThan(TARGET);
        assertThat(performed(id)).containsExactly("flag", "note");
        assertThat(shiphero.returnsByPartnerId(String.valueOf(id))).hasSize(1);
    }

    @Test
    void aNoteLoopAddedBeforeAnsweringFiveHundredIsFoundNotAddedAgain() {
        long id = newReturn("TEE-5XX-NOTE-DONE");
        awaitState(id, LinkState.RMA_CREATED);
        loop.faults().inject("note", SandboxFaults.Fault.of(SandboxFaults.Kind.FAIL_AFTER_EXECUTE), 1);
        demo.receive(id, "Warehouse Complete", "none");
        ReturnLink link = awaitState(id, LinkState.FLAGGED);

        assertThat(performed(id)).containsExactly("flag", "note");
        assertThat(loop.actions(id)).filteredOn(a -> a.action().equals("note")).hasSize(1);
        assertThat(timeline.forLink(link.id())).anyMatch(e -> e.kind().equals("LOOP_ACTION_FOUND"));
    }

    private Duration firstServerErrorToNote(long id) {
        List<ActionCall> notes = loop.actions(id).stream().filter(a -> a.action().equals("note")).toList();
        Instant firstError = notes.stream().filter(a -> a.status() >= 500).map(ActionCall::at).findFirst()
                .orElseThrow(() -> new AssertionError("no 5xx on the note: " + notes));
        Instant added = notes.stream().filter(ActionCall::performed).map(ActionCall::at).findFirst()
                .orElseThrow(() -> new AssertionError("no note added: " + notes));
        return Duration.between(firstError, added);
    }

    private List<String> performed(long id) {
        return loop.actions(id).stream().filter(ActionCall::performed).map(ActionCall::action).toList();
    }

    private long newReturn(String sku) {
        return demo.createReturn(SandboxConnection.ID, List.of(new SandboxDemo.DemoItem(sku, 1)), null)
                .loopReturnId();
    }

    private ReturnLink awaitState(long loopReturnId, LinkState state) {
        await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).until(() -> links
                .findByLoopId(SandboxConnection.ID, String.valueOf(loopReturnId))
                .map(l -> l.state() == state).orElse(false));
        return links.findByLoopId(SandboxConnection.ID, String.valueOf(loopReturnId)).orElseThrow();
    }
}
