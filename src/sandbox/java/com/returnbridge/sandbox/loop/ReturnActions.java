package com.returnbridge.sandbox.loop;

import static com.returnbridge.sandbox.loop.LoopReturnView.CANCELLED;
import static com.returnbridge.sandbox.loop.LoopReturnView.CLOSED;
import static com.returnbridge.sandbox.loop.LoopReturnView.EXPIRED;
import static com.returnbridge.sandbox.loop.LoopReturnView.OPEN;
import static com.returnbridge.sandbox.loop.LoopReturnView.REVIEW;

import com.returnbridge.sandbox.loop.SandboxLoop.Change;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Loop's Return Action state machine (loop.md §7, §12). Refusals answer HTTP 200 with an error body, in the
 * three inconsistent shapes Loop uses, because clients must treat anything but "true" as failure.
 */
final class ReturnActions {

    static final String UNPROCESSABLE_RETURN = "UNPROCESSABLE_RETURN";
    static final String UNPROCESSABLE_FLAGGED_RETURN = "UNPROCESSABLE_FLAGGED_RETURN";
    static final int MAX_NOTE_LENGTH = 255;
    private static final String NOTE_RULE = "Content is required and must be less than 255 characters.";

    private final SandboxLoop loop;

    ReturnActions(SandboxLoop loop) {
        this.loop = loop;
    }

    /**
     * Process only queues the work (loop.md §0): "true" now, the return still open; the processing finishes shortly
     * after on the simulator's own thread ({@link SandboxLoop#queueProcessing}), closing the return with
     * {@code return.updated} + {@code return.closed}, or, under a PROCESSING_FAILED fault, leaving it as it was with
     * {@code return.processing.failed}.
     */
    LoopAnswer process(long id, String body, Optional<com.returnbridge.sandbox.SandboxFaults.Fault> failure) {
        if (body != null && !body.isBlank() && !isJsonObject(body)) {
            return LoopAnswer.invalid("body", "The request body must be a JSON object.");
        }
        Optional<LoopReturnView> current = loop.returnById(id);
        if (current.isEmpty()) {
            return LoopAnswer.NOT_FOUND;
        }
        LoopReturnView r = current.get();
        if (r.is(OPEN) || (r.is(REVIEW) && loop.allowFlaggedProcess())) {
            boolean queued = loop.queueProcessing(id, failure.isPresent(), failure.map(f -> f.message()).orElse(null));
            return queued ? loop.success() : loop.successAgain();
        }
        String state = r.state();
        return switch (state) {
            // Loop's documented example really pairs this message with the flagged code.
            case REVIEW -> LoopAnswer.refusal("Return is open and therefore cannot be processed.",
                    UNPROCESSABLE_FLAGGED_RETURN);
            case CLOSED -> LoopAnswer.refusal("Return is closed and therefore cannot be processed.",
                    UNPROCESSABLE_RETURN);
            default -> LoopAnswer.message(200, "Return is " + state + " and therefore cannot be processed.");
        };
    }

    /**
     * Remove Line Items (loop.md §7.6): the ids comma-separated in {@code line_item_id}; only refund and store-credit
     * items qualify. The items go at once ({@code return.updated}); the rest is then processed and the return closed
     * on the simulator's own thread, as after Process (a PROCESSING_FAILED fault fails that processing). Refusals
     * are 422s with Loop's documented messages.
     */
    LoopAnswer remove(long id, String lineItemIds, Optional<com.returnbridge.sandbox.SandboxFaults.Fault> failure) {
        if (lineItemIds == null || lineItemIds.isBlank()) {
            return unprocessable("The line item id field is required.");
        }
        Optional<LoopReturnView> current = loop.returnById(id);
        if (current.isEmpty()) {
            return LoopAnswer.NOT_FOUND;
        }
        java.util.Set<Long> ids = new java.util.LinkedHashSet<>();
        for (String part : lineItemIds.split(",")) {
            try {
                ids.add(Long.parseLong(part.trim()));
            } catch (NumberFormatException e) {
                return unprocessable("The line item id field must be a list of integers.");
            }
        }
        var refused = new java.util.concurrent.atomic.AtomicReference<LoopAnswer>();
        Optional<Change> change = loop.update(id, r -> {
            if (!(r.is(OPEN) || (r.is(REVIEW) && loop.allowFlaggedProcess()))) {
                refused.set(unprocessable("Return cannot be modified."));
                return r;
            }
            long qualifying = r.lineItems().stream().filter(i -> ids.contains(i.lineItemId()) && !i.exchange()).count();
            if (qualifying == 0) {
                refused.set(unprocessable("There are no line items that qualify for removal"));
                return r;
            }
            if (qualifying < ids.size()) {
                refused.set(unprocessable("Not all line items qualify for removal"));
                return r;
            }
            return r.withLineItems(r.lineItems().stream().filter(i -> !ids.contains(i.lineItemId())).toList(),
                    loop.now());
        });
        if (refused.get() != null) {
            return refused.get();
        }
        loop.fire("return.updated", change.orElseThrow().after());
        loop.queueProcessing(id, failure.isPresent(), failure.map(f -> f.message()).orElse(null));
        return loop.success();
    }

    static LoopAnswer unprocessable(String message) {
        var body = LoopJson.object();
        body.putObject("errors").put("message", message);
        return LoopAnswer.json(422, body);
    }

    LoopAnswer flag(long id) {
        Optional<Change> change = loop.update(id, r -> r.is(OPEN) ? r.withState(REVIEW, loop.now()) : r);
        if (change.isEmpty()) {
            return LoopAnswer.NOT_FOUND;
        }
        Change c = change.get();
        if (c.changed()) {
            loop.fire("return.updated", c.after());
            return loop.success();
        }
        if (c.before().is(REVIEW)) {
            return loop.success(); // already flagged: nothing to do, but not an error
        }
        return LoopAnswer.refusal("Return is " + c.before().state() + " and therefore cannot be flagged.",
                UNPROCESSABLE_RETURN);
    }

    LoopAnswer close(long id) {
        Optional<Change> change = loop.update(id, r ->
                r.is(OPEN) || r.is(REVIEW) ? r.withState(CLOSED, loop.now()) : r);
        if (change.isEmpty()) {
            return LoopAnswer.NOT_FOUND;
        }
        Change c = change.get();
        if (c.changed()) {
            loop.fire("return.updated", c.after());
            loop.fire("return.closed", c.after());
            return loop.success();
        }
        String state = c.before().state();
        if (CLOSED.equals(state)) {
            return LoopAnswer.refusal("Return is closed and therefore cannot be closed.", UNPROCESSABLE_RETURN);
        }
        return LoopAnswer.message(200, "Return is " + state + " and therefore cannot be closed.");
    }

    LoopAnswer cancel(long id) {
        Optional<Change> change = loop.update(id, r -> r.is(OPEN) ? r.withState(CANCELLED, loop.now()) : r);
        if (change.isEmpty()) {
            return LoopAnswer.NOT_FOUND;
        }
        Change c = change.get();
        if (c.changed()) {
            loop.fire("return.updated", c.after());
            return loop.success();
        }
        return switch (c.before().state()) {
            case EXPIRED -> LoopAnswer.content("Return is expired and cannot be processed.");
            case REVIEW -> LoopAnswer.content("Return is flagged and cannot be processed.");
            default -> LoopAnswer.refusal(
                    "Return is " + c.before().state() + " and therefore cannot be cancelled.", UNPROCESSABLE_RETURN);
        };
    }

    LoopAnswer note(long id, String body) {
        if (loop.returnById(id).isEmpty()) {
            return LoopAnswer.NOT_FOUND;
        }
        String content = noteContent(body);
        if (content == null || content.isBlank() || content.length() >= MAX_NOTE_LENGTH) {
            return noteError();
        }
        loop.addNote(id, content);
        return loop.success();
    }

    static LoopAnswer noteError() {
        var body = LoopJson.object();
        body.putObject("errors").put("message", NOTE_RULE);
        return LoopAnswer.json(422, body);
    }

    /** Malformed JSON reads as no input at all, as in Laravel. */
    private static String noteContent(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            JsonNode content = LoopJson.parse(body).path("content");
            return content.isString() ? content.stringValue() : null;
        } catch (JacksonException e) {
            return null;
        }
    }

    private static boolean isJsonObject(String body) {
        try {
            return LoopJson.parse(body).isObject();
        } catch (JacksonException e) {
            return false;
        }
    }
}
