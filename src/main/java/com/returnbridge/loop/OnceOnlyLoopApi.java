package com.returnbridge.loop;

import static com.returnbridge.bridge.TimelineKind.LOOP_ACTION_FOUND;

import com.returnbridge.bridge.LoopApi;
import com.returnbridge.bridge.ReturnLinks;
import com.returnbridge.bridge.Timeline;
import com.returnbridge.connection.Connection;
import com.returnbridge.vendor.Signatures;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.springframework.context.annotation.Primary;
import org.springframework.stereotype.Component;

/**
 * The Loop actions the bridge takes, each at most once even when we crash (or Loop's answer is lost) between Loop
 * acting and our commit. Loop has no idempotency key, so every action is written down as an intent, and committed,
 * before it is asked for, and marked done once Loop accepted it. A done intent is never asked again (and costs no
 * request). An attempt that finds an unfinished intent first asks Loop whether it already took effect:
 * <ul>
 *   <li>Flag: the return is in {@code review} → already flagged, not asked again;</li>
 *   <li>Note: a note with the same text exists → not added again;</li>
 *   <li>Process: the return is {@code closed} → already processed (Loop's "closed" refusal covers the rest);</li>
 *   <li>Remove: none of the line items is on the return any more, or it is {@code closed} → already removed.</li>
 * </ul>
 */
@Component
@Primary
public class OnceOnlyLoopApi implements LoopApi {

    private final LoopClient loop;
    private final LoopReturnsReader reads;
    private final LoopIntents intents;
    private final ReturnLinks links;
    private final Timeline timeline;

    public OnceOnlyLoopApi(LoopClient loop, LoopReturnsReader reads, LoopIntents intents, ReturnLinks links,
                           Timeline timeline) {
        this.loop = loop;
        this.reads = reads;
        this.intents = intents;
        this.links = links;
        this.timeline = timeline;
    }

    @Override
    public LoopAnswer process(Connection connection, String returnId, ProcessDetails details) {
        String key = "process";
        Optional<LoopIntents.Intent> earlier = intents.find(connection.id(), returnId, "process", key);
        if (earlier.isPresent() && earlier.get().done()) {
            // Accepted is not closed (Process only queues): the link still waits for Loop to report the return closed
            return new LoopAnswer(LoopAnswer.Outcome.ACCEPTED, "Loop accepted Process earlier; not asked again");
        }
        if (earlier.isPresent()) {
            Optional<String> state = reads.state(connection, returnId);
            if (state.isPresent() && LoopStateWords.CLOSED.equals(state.get())) {
                return found(connection, returnId, "process", key, new LoopAnswer(LoopAnswer.Outcome.ALREADY_CLOSED,
                        "the return is closed in Loop: an earlier Process took effect"));
            }
        }
        return ask(connection, returnId, "process", key, () -> loop.process(connection, returnId, details));
    }

    @Override
    public LoopAnswer flag(Connection connection, String returnId) {
        String key = "flag";
        Optional<LoopIntents.Intent> earlier = intents.find(connection.id(), returnId, "flag", key);
        if (earlier.isPresent() && earlier.get().done()) {
            // Loop accepted it: asking again would only count twice (and cost budget a retry of the note needs)
            return new LoopAnswer(LoopAnswer.Outcome.ACCEPTED, "Loop accepted Flag earlier; not asked again");
        }
        if (earlier.isPresent()) {
            Optional<String> state = reads.state(connection, returnId);
            if (state.isPresent() && LoopStateWords.REVIEW.equals(state.get())) {
                return found(connection, returnId, "flag", key, new LoopAnswer(LoopAnswer.Outcome.ACCEPTED,
                        "the return is already in review in Loop: an earlier Flag took effect"));
            }
        }
        return ask(connection, returnId, "flag", key, () -> loop.flag(connection, returnId));
    }

    @Override
    public LoopAnswer note(Connection connection, String returnId, String content) {
        String key = Signatures.sha256Hex(content.getBytes(StandardCharsets.UTF_8)).substring(0, 64);
        Optional<LoopIntents.Intent> earlier = intents.find(connection.id(), returnId, "note", key);
        if (earlier.isPresent() && (earlier.get().done() || reads.notes(connection, returnId).contains(content))) {
            return found(connection, returnId, "note", key, new LoopAnswer(LoopAnswer.Outcome.ACCEPTED,
                    "the same note is already on the return in Loop"));
        }
        return ask(connection, returnId, "note", key, () -> loop.note(connection, returnId, content));
    }

    /** One intent per set of line items: the same removal announced by many deliveries is asked for once. */
    @Override
    public LoopAnswer removeLineItems(Connection connection, String returnId, java.util.List<String> lineItemIds) {
        String ids = String.join(",", new java.util.TreeSet<>(lineItemIds));
        String key = Signatures.sha256Hex(ids.getBytes(StandardCharsets.UTF_8)).substring(0, 64);
        Optional<LoopIntents.Intent> earlier = intents.find(connection.id(), returnId, "remove", key);
        if (earlier.isPresent() && earlier.get().done()) {
            return new LoopAnswer(LoopAnswer.Outcome.ACCEPTED, "Loop accepted Remove Line Items earlier; not asked again");
        }
        if (earlier.isPresent()) {
            Optional<LoopReturnsReader.Details> now = reads.lineItems(connection, returnId);
            if (now.isPresent() && (LoopStateWords.CLOSED.equals(now.get().state())
                    || lineItemIds.stream().noneMatch(now.get().lineItemIds()::contains))) {
                return found(connection, returnId, "remove", key, new LoopAnswer(LoopAnswer.Outcome.ACCEPTED,
                        "the line items are no longer on the return in Loop: an earlier Remove took effect"));
            }
        }
        LoopAnswer answer = ask(connection, returnId, "remove", key,
                () -> loop.removeLineItems(connection, returnId, lineItemIds));
        if (answer.outcome() == LoopAnswer.Outcome.REFUSED) {
            intents.forget(connection.id(), returnId, "remove", key); // Loop did not act: nothing to look for later
        }
        return answer;
    }

    @Override
    public void processFailed(String connectionId, String returnId) {
        intents.discard(connectionId, returnId, "process", "process");
    }

    private LoopAnswer ask(Connection connection, String returnId, String action, String key,
                           java.util.function.Supplier<LoopAnswer> call) {
        intents.intend(connection.id(), returnId, action, key);
        LoopAnswer answer;
        try {
            answer = call.get();
        } catch (com.returnbridge.vendor.VendorException e) {
            if (e.kind() != com.returnbridge.vendor.VendorException.Kind.TRANSIENT) {
                // Throttled (our budget or Loop's 429) or refused outright: Loop did not act, nothing to look for
                intents.forget(connection.id(), returnId, action, key);
            }
            throw e;
        }
        if (answer.outcome() != LoopAnswer.Outcome.REFUSED) {
            intents.done(connection.id(), returnId, action, key, answer.outcome() + ": " + answer.message());
        }
        return answer;
    }

    private LoopAnswer found(Connection connection, String returnId, String action, String key, LoopAnswer answer) {
        intents.done(connection.id(), returnId, action, key, "found on retry: " + answer.message());
        Long linkId = links.findByLoopId(connection.id(), returnId).map(l -> l.id()).orElse(null);
        timeline.record(linkId, connection.id(), returnId, LOOP_ACTION_FOUND, action + " not asked again: "
                + answer.message());
        return answer;
    }
}
