package com.returnbridge.sandbox.loop;

import com.returnbridge.sandbox.SandboxFaults;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Loop's HTTP API as plain Java: every method is one endpoint, takes the {@code X-Authorization} value and
 * returns the exact status and body Loop would send. {@link SandboxLoopController} only translates HTTP; tests
 * call this class directly.
 *
 * <p>Every call passes the same gate, in Loop's order: API key (401), rate limit (429), then any injected fault
 * for the operation, then the endpoint itself.
 */
public final class SandboxLoopApi {

    private final SandboxLoop loop;
    private final ReturnActions actions;
    private final ReturnQueries queries;
    private final WebhookApi webhooks;

    public SandboxLoopApi(SandboxLoop loop) {
        this.loop = loop;
        this.actions = new ReturnActions(loop);
        this.queries = new ReturnQueries(loop);
        this.webhooks = new WebhookApi(loop);
    }

    public LoopAnswer details(String apiKey, String returnId, String orderId, String orderName) {
        return gate(apiKey, "details", null, () -> queries.details(returnId, orderId, orderName));
    }

    /**
     * @param params     query parameters (from, to, filter, state, paginate, pageSize, cursor)
     * @param requestUrl absolute URL of this request, query included; nextPageUrl is built from it
     */
    public LoopAnswer list(String apiKey, Map<String, List<String>> params, String requestUrl) {
        return gate(apiKey, "list", null, () -> queries.list(apiKey, params, requestUrl));
    }

    public LoopAnswer process(String apiKey, long returnId, String body) {
        return gate(apiKey, "process", new Target(returnId, body), fault -> actions.process(returnId, body,
                fault.filter(f -> f.kind() == SandboxFaults.Kind.PROCESSING_FAILED)));
    }

    public LoopAnswer flag(String apiKey, long returnId) {
        return gate(apiKey, "flag", new Target(returnId, null), () -> actions.flag(returnId));
    }

    public LoopAnswer note(String apiKey, long returnId, String body) {
        return gate(apiKey, "note", new Target(returnId, body), () -> actions.note(returnId, body));
    }

    /** Remove Line Items; {@code lineItemIds} is the {@code line_item_id} query parameter as sent. */
    public LoopAnswer remove(String apiKey, long returnId, String lineItemIds) {
        return gate(apiKey, "remove", new Target(returnId, "line_item_id=" + lineItemIds),
                fault -> actions.remove(returnId, lineItemIds,
                        fault.filter(f -> f.kind() == SandboxFaults.Kind.PROCESSING_FAILED)));
    }

    public LoopAnswer notes(String apiKey, long returnId) {
        return gate(apiKey, "notes", null, () -> queries.notes(returnId));
    }

    public LoopAnswer close(String apiKey, long returnId) {
        return gate(apiKey, "close", new Target(returnId, null), () -> actions.close(returnId));
    }

    public LoopAnswer cancel(String apiKey, long returnId) {
        return gate(apiKey, "cancel", new Target(returnId, null), () -> actions.cancel(returnId));
    }

    public LoopAnswer grade(String apiKey, String body) {
        return gate(apiKey, "grade", null, () -> loop.dispositioning().grade(apiKey, body));
    }

    public LoopAnswer assess(String apiKey, String body) {
        return gate(apiKey, "assess", null, () -> loop.dispositioning().assess(apiKey, body));
    }

    public LoopAnswer listWebhooks(String apiKey) {
        return gate(apiKey, "webhooks", null, webhooks::list);
    }

    public LoopAnswer createWebhook(String apiKey, String body) {
        return gate(apiKey, "webhooks", null, () -> webhooks.create(apiKey, body));
    }

    public LoopAnswer updateWebhook(String apiKey, long id, String body) {
        return gate(apiKey, "webhooks", null, () -> webhooks.update(id, body));
    }

    public LoopAnswer deleteWebhook(String apiKey, long id) {
        return gate(apiKey, "webhooks", null, () -> webhooks.delete(id));
    }

    /** The return a Return Action is aimed at, so the call can be recorded. */
    private record Target(long returnId, String body) {
    }

    private LoopAnswer gate(String apiKey, String operation, Target target, Supplier<LoopAnswer> endpoint) {
        return gate(apiKey, operation, target, fault -> endpoint.get());
    }

    /** {@code endpoint} gets the fault applied to this call, for the faults the endpoint itself plays. */
    private LoopAnswer gate(String apiKey, String operation, Target target,
                            java.util.function.Function<Optional<SandboxFaults.Fault>, LoopAnswer> endpoint) {
        StatsCounter stats = loop.statsCounter();
        stats.request(operation);
        if (!loop.isApiKey(apiKey)) {
            stats.unauthorized();
            return LoopAnswer.UNAUTHORIZED;
        }
        if (!loop.admit(apiKey)) {
            stats.tooManyRequests();
            return LoopAnswer.TOO_MANY_REQUESTS;
        }
        Optional<SandboxFaults.Fault> fault = loop.faults().next(operation);
        fault.ifPresent(f -> stats.fault(operation));
        LoopAnswer produced = null;
        LoopAnswer sent;
        SandboxFaults.Kind kind = fault.map(SandboxFaults.Fault::kind).orElse(null);
        if (kind == SandboxFaults.Kind.SERVER_ERROR) {
            sent = LoopAnswer.SERVER_ERROR;
        } else if (kind == SandboxFaults.Kind.TOO_MANY_REQUESTS || kind == SandboxFaults.Kind.THROTTLED) {
            stats.tooManyRequests();
            sent = LoopAnswer.TOO_MANY_REQUESTS;
        } else if (kind == SandboxFaults.Kind.REFUSE) {
            String message = Optional.ofNullable(fault.get().message()).orElse("Return cannot be processed.");
            // Remove Line Items refuses with a 422 (loop.md §7.6); the other actions with a 200 and an error body.
            sent = operation.equals("remove")
                    ? ReturnActions.unprocessable(Optional.ofNullable(fault.get().message())
                            .orElse("Not all line items qualify for removal"))
                    : LoopAnswer.refusal(message, ReturnActions.UNPROCESSABLE_RETURN);
        } else {
            if (kind == SandboxFaults.Kind.SLOW) {
                sleep(fault.get().delay());
            }
            produced = endpoint.apply(fault);
            if (kind == SandboxFaults.Kind.SLOW_AFTER_EXECUTE) {
                sleep(fault.get().delay());
            }
            if (kind == SandboxFaults.Kind.CONNECTION_RESET) {
                if (target != null) {
                    loop.record(new ActionCall(target.returnId(), operation, target.body(), 0, "(connection reset)",
                            produced.isTrue() && !produced.isRepeat(), loop.now()));
                }
                throw new SandboxFaults.ConnectionReset(operation);
            }
            // FAIL_AFTER_EXECUTE: the work is done, but the caller cannot tell.
            sent = kind == SandboxFaults.Kind.FAIL_AFTER_EXECUTE ? LoopAnswer.SERVER_ERROR : produced;
        }
        if (target != null) {
            loop.record(new ActionCall(target.returnId(), operation, target.body(), sent.status(), sent.body(),
                    produced != null && produced.isTrue() && !produced.isRepeat(), loop.now()));
        }
        return sent;
    }

    private static void sleep(Duration delay) {
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
