package com.returnbridge.grading;

import static com.returnbridge.bridge.TimelineKind.GRADING_REFUSED;
import static com.returnbridge.bridge.TimelineKind.GRADING_SENT;

import com.returnbridge.bridge.LineReceipt;
import com.returnbridge.bridge.ReturnLink;
import com.returnbridge.bridge.ReturnLinks;
import com.returnbridge.bridge.Timeline;
import com.returnbridge.connection.Connection;
import com.returnbridge.connection.Connections;
import com.returnbridge.jobs.JobMetrics;
import com.returnbridge.jobs.JobResult;
import com.returnbridge.jobs.JobTask;
import com.returnbridge.vendor.VendorException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/**
 * The grade-return job: sends what the warehouse recorded for a return's lines to Loop, a grade per received line
 * whose condition maps to a category and a disposition per line, in batches within Loop's item limits. Each line is
 * sent at most once per step ({@code grading_sent}), however many decisions announce it and across crashes. What Loop
 * refuses, or may not have received, is shown on the return's timeline and never touches the refund or the link.
 * Instance id: {@code connection|loopReturnId}.
 */
@Component
class GradeReturnJob implements JobTask {

    static final String NAME = "grade-return";
    static final String GRADE = "grade";
    static final String ASSESS = "assess";
    private static final Duration PAUSED_WAIT = Duration.ofSeconds(30);
    private static final Duration UNREACHABLE_WAIT = Duration.ofSeconds(30);
    /** Loop unreachable (no answer at all) for this long after the warehouse's counts: grading is given up. */
    private static final Duration GIVE_UP = Duration.ofHours(6);

    private final Connections connections;
    private final Gradings gradings;
    private final GradingStore store;
    private final LoopGradingApi loop;
    private final ReturnLinks links;
    private final Timeline timeline;
    private final Clock clock;

    GradeReturnJob(Connections connections, Gradings gradings, GradingStore store, LoopGradingApi loop,
                   ReturnLinks links, Timeline timeline, Clock clock) {
        this.connections = connections;
        this.gradings = gradings;
        this.store = store;
        this.loop = loop;
        this.links = links;
        this.timeline = timeline;
        this.clock = clock;
    }

    static String instanceId(String connectionId, String loopReturnId) {
        return connectionId + "|" + loopReturnId;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, String> logContext(String instanceId) {
        int bar = instanceId.lastIndexOf('|');
        return Map.of(JobMetrics.MDC_CONNECTION, instanceId.substring(0, bar), JobMetrics.MDC_RETURN,
                instanceId.substring(bar + 1));
    }

    @Override
    public Predicate<String> instancesOf(String connectionId) {
        return id -> id.startsWith(connectionId + "|") && id.indexOf('|', connectionId.length() + 1) < 0;
    }

    @Override
    public JobResult run(String instanceId) {
        int bar = instanceId.lastIndexOf('|');
        String connectionId = instanceId.substring(0, bar);
        String loopReturnId = instanceId.substring(bar + 1);
        Optional<Connection> connection = connections.find(connectionId);
        if (connection.isEmpty()) {
            return JobResult.done();
        }
        if (connections.isPaused(connectionId)) {
            return JobResult.runAgainAt(clock.instant().plus(PAUSED_WAIT));
        }
        GradingSettings settings = gradings.settings(connectionId);
        if (!settings.enabled()) {
            return JobResult.done();
        }
        Story story = new Story(links.findByLoopId(connectionId, loopReturnId).map(ReturnLink::id).orElse(null),
                connectionId, loopReturnId);
        Map<String, String> unfinished = store.unfinishedToUncertain(connectionId, loopReturnId);
        if (!unfinished.isEmpty()) {
            story.record(false, unfinished.size() + " grading item(s) were being sent to Loop when the bridge stopped ("
                    + String.join(", ", unfinished.keySet()) + "): Loop may have them, so they are not sent again and no"
                    + " line is graded twice; check them in Loop. The refund is not affected");
        }
        List<LineReceipt> lines = store.receipts(connectionId, loopReturnId);
        Map<String, List<String>> done = store.sent(connectionId, loopReturnId).stream().collect(Collectors.groupingBy(
                GradingStore.Sent::step, Collectors.mapping(GradingStore.Sent::lineItemId, Collectors.toList())));
        List<LoopGradingApi.Grade> grades = new ArrayList<>();
        List<LoopGradingApi.Assessment> assessments = new ArrayList<>();
        for (LineReceipt line : lines) {
            if (line.received() > 0 && !done.getOrDefault(GRADE, List.of()).contains(line.loopLineItemId())) {
                settings.category(line.condition()).ifPresent(category -> grades.add(new LoopGradingApi.Grade(
                        line.loopLineItemId(), category, description(line))));
            }
            if (!done.getOrDefault(ASSESS, List.of()).contains(line.loopLineItemId())) {
                assessments.add(new LoopGradingApi.Assessment(line.loopLineItemId(), settings.disposition(line),
                        note(line)));
            }
        }
        Optional<JobResult> later = send(connection.get(), story, GRADE, grades, loop.gradeLimit(),
                LoopGradingApi.Grade::lineItemId, g -> g.category().word(), loop::grade, lines);
        if (later.isPresent()) {
            return later.get();
        }
        return send(connection.get(), story, ASSESS, assessments, loop.assessLimit(),
                LoopGradingApi.Assessment::lineItemId, a -> a.disposition().word(), loop::assess, lines)
                .orElse(JobResult.done());
    }

    /** The step's items in batches; a batch Loop certainly did not get (throttled, unreachable) is tried again later. */
    private <T> Optional<JobResult> send(Connection connection, Story story, String step, List<T> items, int limit,
                                         Function<T, String> lineOf, Function<T, String> valueOf,
                                         java.util.function.BiFunction<Connection, List<T>, LoopGradingApi.Answer> call,
                                         List<LineReceipt> lines) {
        String what = step.equals(GRADE) ? "grades" : "dispositions";
        for (int from = 0; from < items.size(); from += Math.max(1, limit)) {
            List<T> batch = items.subList(from, Math.min(items.size(), from + Math.max(1, limit)));
            Map<String, String> values = new LinkedHashMap<>();
            batch.forEach(item -> values.put(lineOf.apply(item), valueOf.apply(item)));
            String listed = values.entrySet().stream().map(e -> skuOf(lines, e.getKey()) + " " + e.getValue())
                    .collect(Collectors.joining(", "));
            store.sending(connection.id(), story.loopReturnId, step, values);
            LoopGradingApi.Answer answer;
            try {
                answer = call.apply(connection, batch);
            } catch (VendorException e) {
                if (e.kind() == VendorException.Kind.THROTTLED || (e.kind() == VendorException.Kind.TRANSIENT
                        && !e.isUncertain())) {
                    store.forget(connection.id(), story.loopReturnId, step, values.keySet());
                    if (e.kind() == VendorException.Kind.TRANSIENT && givenUp(connection, story)) {
                        story.record(false, "Loop could not be reached for " + GIVE_UP.toHours() + " h: " + what
                                + " not sent (" + listed + "): " + e.getMessage());
                        return Optional.of(JobResult.done());
                    }
                    Duration wait = e.retryAfter() != null ? e.retryAfter() : UNREACHABLE_WAIT;
                    return Optional.of(JobResult.runAgainAt(clock.instant().plus(wait)));
                }
                String state = e.kind() == VendorException.Kind.PERMANENT ? GradingStore.REFUSED : GradingStore.UNCERTAIN;
                store.finish(connection.id(), story.loopReturnId, step, values.keySet(), state, e.getMessage());
                story.record(false, state.equals(GradingStore.REFUSED)
                        ? "Loop refused the " + what + " (" + listed + "): " + e.getMessage()
                        + "; the refund is not affected"
                        : "the " + what + " (" + listed + ") may or may not have reached Loop (" + e.getMessage()
                        + "): not sent again, so no line is graded twice; check them in Loop. The refund is not affected");
                continue;
            }
            if (answer.accepted()) {
                store.finish(connection.id(), story.loopReturnId, step, values.keySet(), GradingStore.SENT,
                        answer.message());
                story.record(true, "Loop took the " + what + " of " + batch.size() + " line item(s): " + listed);
            } else {
                store.finish(connection.id(), story.loopReturnId, step, values.keySet(), GradingStore.REFUSED,
                        answer.message());
                story.record(false, "Loop refused the " + what + " (" + listed + "): " + answer.message()
                        + "; the refund is not affected");
            }
        }
        return Optional.empty();
    }

    private boolean givenUp(Connection connection, Story story) {
        // the receipts' time is when the decision announced them; a job retried past the window stops
        return store.receipts(connection.id(), story.loopReturnId).isEmpty() || clock.instant().isAfter(
                store.receiptsRecordedAt(connection.id(), story.loopReturnId).plus(GIVE_UP));
    }

    private static String skuOf(List<LineReceipt> lines, String lineItemId) {
        return lines.stream().filter(l -> l.loopLineItemId().equals(lineItemId)).findFirst()
                .map(l -> (l.sku() == null ? "?" : l.sku()) + " (" + lineItemId + ")").orElse(lineItemId);
    }

    /** Loop requires a description of at most 255 characters. */
    static String description(LineReceipt line) {
        String text = "Warehouse condition: " + line.condition() + "; " + line.received() + " of " + line.expected()
                + " received, " + line.restocked() + " restocked (ShipHero, via Returnbridge)";
        return text.length() <= 255 ? text : text.substring(0, 254) + "…";
    }

    static String note(LineReceipt line) {
        return line.received() + " of " + line.expected() + " received, " + line.restocked()
                + " restocked in ShipHero (Returnbridge)";
    }

    /** The return's timeline (its link's when there is one). */
    private final class Story {
        private final Long linkId;
        private final String connectionId;
        private final String loopReturnId;

        Story(Long linkId, String connectionId, String loopReturnId) {
            this.linkId = linkId;
            this.connectionId = connectionId;
            this.loopReturnId = loopReturnId;
        }

        void record(boolean ok, String message) {
            timeline.record(linkId, connectionId, loopReturnId, ok ? GRADING_SENT : GRADING_REFUSED, message);
        }
    }
}
