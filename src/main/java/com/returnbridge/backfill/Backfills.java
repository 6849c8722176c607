package com.returnbridge.backfill;

import com.returnbridge.bridge.Conflict;
import com.returnbridge.bridge.NotFound;
import com.returnbridge.bridge.ReturnLinks;
import com.returnbridge.bridge.Timeline;
import com.returnbridge.vendor.VendorException;
import com.returnbridge.connection.Connection;
import com.returnbridge.connection.Connections;
import com.returnbridge.intake.IntakeService;
import com.returnbridge.jobs.Backoff;
import com.returnbridge.jobs.JobProperties;
import com.returnbridge.jobs.JobQueue;
import com.returnbridge.jobs.JobResult;
import com.returnbridge.loop.LoopAdminClient;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Backfill from Loop as a durable background job. A request is checked, stored as a {@code backfill_run} and queued
 * as a db-scheduler task (instance id = run id) in one transaction; the task then does one step at a time — one page
 * of the Detailed Returns List, or a few Return Details — and commits the cursor with the counts after each, so a
 * crash or restart resumes where it stopped. Every return goes through the normal intake path (idempotent): reading a
 * page again after a crash makes duplicates, never a second RMA.
 */
@Service
public class Backfills {

    private static final Logger log = LoggerFactory.getLogger(Backfills.class);
    private static final Pattern RETURN_ID = Pattern.compile("\\d{1,20}");

    /** A run, and whether this request created it (false: an identical one was already queued or running). */
    public record Started(BackfillRun run, boolean created) {
    }

    private final BackfillRuns runs;
    private final Connections connections;
    private final LoopAdminClient loop;
    private final IntakeService intake;
    private final ReturnLinks links;
    private final Timeline timeline;
    private final JobQueue jobs;
    private final TransactionTemplate tx;
    private final JsonMapper json;
    private final Clock clock;
    private final BackfillProperties properties;
    private final Backoff backoff;

    public Backfills(BackfillRuns runs, Connections connections, LoopAdminClient loop, IntakeService intake,
                     ReturnLinks links, Timeline timeline, JobQueue jobs, TransactionTemplate tx, JsonMapper json,
                     Clock clock, BackfillProperties properties, JobProperties bridge) {
        this.runs = runs;
        this.connections = connections;
        this.loop = loop;
        this.intake = intake;
        this.links = links;
        this.timeline = timeline;
        this.jobs = jobs;
        this.tx = tx;
        this.json = json;
        this.clock = clock;
        this.properties = properties;
        this.backoff = new Backoff(bridge.firstRetry(), bridge.maxRetry());
    }

    // ---------------------------------------------------------------- operator side

    /**
     * Checks the request and queues a run, or answers with the identical run already queued or running. Creation
     * dates are UTC days, inclusive; one of {@code from}/{@code to} alone means that single day.
     *
     * @throws NotFound                 unknown connection
     * @throws IllegalArgumentException bad request: nothing is queued
     */
    public Started start(String connectionId, LocalDate from, LocalDate to, List<String> returnIds, String by) {
        if (connections.find(connectionId).isEmpty()) {
            throw new NotFound("no connection " + connectionId);
        }
        LocalDate start = from != null ? from : to;
        LocalDate end = to != null ? to : from;
        if (start != null) {
            if (end.isBefore(start)) {
                throw new IllegalArgumentException("the end date " + end + " is before the start date " + start);
            }
            long days = ChronoUnit.DAYS.between(start, end) + 1;
            if (days > properties.maxRangeDays()) {
                throw new IllegalArgumentException("the date range is " + days + " days; at most "
                        + properties.maxRangeDays() + " per backfill (split it into several)");
            }
            if (start.isAfter(LocalDate.now(clock.withZone(ZoneOffset.UTC)).plusDays(1))) {
                throw new IllegalArgumentException("the start date " + start + " is in the future");
            }
        }
        List<String> ids = normaliseIds(returnIds);
        if (start == null && ids.isEmpty()) {
            throw new IllegalArgumentException("give a creation date range (from, to) and/or Loop return ids");
        }
        String idsText = ids.isEmpty() ? null : String.join(",", ids);
        String activeKey = connectionId + ":" + sha256(start + "|" + end + "|" + (idsText == null ? "" : idsText));
        OffsetDateTime windowFrom = start == null ? null : start.atStartOfDay().atOffset(ZoneOffset.UTC);
        for (int attempt = 1; ; attempt++) {
            try {
                return tx.execute(s -> {
                    Optional<BackfillRun> running = runs.findActive(activeKey);
                    if (running.isPresent()) {
                        return new Started(running.get(), false);
                    }
                    long id = runs.insert(connectionId, by, start, end, idsText, activeKey, windowFrom);
                    jobs.enqueue(BackfillJob.NAME, String.valueOf(id));
                    timeline.record(null, connectionId, null, "BACKFILL", "backfill #" + id + " started by " + by
                            + ": " + describe(start, end, ids));
                    return new Started(runs.find(id).orElseThrow(), true);
                });
            } catch (DuplicateKeyException e) {
                // An identical request committed first: answer with its run.
                Optional<BackfillRun> running = runs.findActive(activeKey);
                if (running.isPresent()) {
                    return new Started(running.get(), false);
                }
                if (attempt >= 3) {
                    throw e;
                }
            }
        }
    }

    public List<BackfillRun> list(String connectionId, int limit) {
        if (connections.find(connectionId).isEmpty()) {
            throw new NotFound("no connection " + connectionId);
        }
        return runs.forConnection(connectionId, limit);
    }

    public BackfillRun get(String connectionId, long runId) {
        return runs.find(runId).filter(r -> r.connectionId().equals(connectionId))
                .orElseThrow(() -> new NotFound("no backfill " + runId + " for connection " + connectionId));
    }

    /**
     * Stops a queued or running run; a step in flight finishes its page (its returns are imported) and stops there.
     * Cancelling a cancelled run changes nothing; a run that already ended cannot be cancelled.
     */
    public BackfillRun cancel(String connectionId, long runId, String by) {
        BackfillRun run = get(connectionId, runId);
        boolean cancelled = tx.execute(s -> {
            if (!runs.finish(runId, BackfillRun.State.CANCELLED, "cancelled by " + by, by)) {
                return false;
            }
            BackfillRun now = runs.find(runId).orElseThrow();
            timeline.record(null, connectionId, null, "BACKFILL", "backfill #" + runId + " (started by "
                    + run.requestedBy() + ") cancelled by " + by + " after " + counts(now));
            return true;
        });
        BackfillRun now = runs.find(runId).orElseThrow();
        if (!cancelled && now.stateEnum() != BackfillRun.State.CANCELLED) {
            throw new Conflict("backfill #" + runId + " has already ended: " + now.state());
        }
        return now;
    }

    // ---------------------------------------------------------------- the job

    /** One step of a run (the db-scheduler task). */
    public JobResult step(long runId) {
        BackfillRun run = runs.find(runId).orElse(null);
        if (run == null || run.finished()) {
            return JobResult.done();
        }
        Connection connection = connections.find(run.connectionId()).orElse(null);
        if (connection == null) {
            end(run, BackfillRun.State.FAILED, "connection " + run.connectionId() + " is not configured any more");
            return JobResult.done();
        }
        if (connections.isPaused(connection.id())) {
            runs.note(runId, "waiting: the connection is paused");
            return JobResult.runAgainAt(clock.instant().plus(properties.pausedWait()));
        }
        runs.start(runId);
        try {
            boolean more;
            if (windowsLeft(run)) {
                readPage(connection, run);
                more = true;
            } else if (run.idsDone() < run.ids().size()) {
                readIds(connection, run);
                more = true;
            } else {
                more = false;
            }
            if (!more) {
                end(run, BackfillRun.State.DONE, null);
                return JobResult.done();
            }
            return JobResult.runAgainAt(clock.instant());
        } catch (VendorException e) {
            return onVendorFailure(run, e);
        }
    }

    private JobResult onVendorFailure(BackfillRun run, VendorException e) {
        switch (e.kind()) {
            case THROTTLED -> {
                Duration wait = e.retryAfter() != null ? e.retryAfter() : Duration.ofSeconds(5);
                runs.note(run.id(), "throttled: " + e.getMessage() + "; waiting " + wait.toSeconds() + " s");
                return JobResult.runAgainAt(clock.instant().plus(wait));
            }
            case TRANSIENT -> {
                int attempts = runs.failedAttempt(run.id(), "retrying: " + e.getMessage());
                if (attempts >= properties.maxAttempts()) {
                    end(run, BackfillRun.State.FAILED, "gave up after " + attempts + " failed attempts in a row: "
                            + e.getMessage());
                    return JobResult.done();
                }
                Duration wait = e.retryAfter() != null ? e.retryAfter() : backoff.after(attempts);
                runs.note(run.id(), "retrying in " + Math.max(1, wait.toMillis() / 1000) + " s (attempt " + attempts
                        + "): " + e.getMessage());
                return JobResult.runAgainAt(clock.instant().plus(wait));
            }
            default -> {
                end(run, BackfillRun.State.FAILED, e.getMessage());
                return JobResult.done();
            }
        }
    }

    private boolean windowsLeft(BackfillRun run) {
        return run.hasRange() && run.windowFrom() != null && !run.windowFrom().toInstant().isAfter(last(run));
    }

    private static Instant last(BackfillRun run) {
        return run.toDate().plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC).minusSeconds(1);
    }

    /**
     * The state queries a range is read with, in order: Loop's list leaves cancelled and review returns out unless
     * asked for by name (null = Loop's default: open, closed, expired). A review return may still need its RMA; a
     * cancelled one whose webhook was lost must stop its link before an RMA is made for it.
     */
    static final List<String> STATE_PASSES = Arrays.asList(null, "review", "cancelled");

    /** One page of the current window; then the next page, the next window, or the range again for the next state. */
    private void readPage(Connection connection, BackfillRun run) {
        Instant windowFrom = run.windowFrom().toInstant();
        Instant windowEnd = windowFrom.plus(properties.window()).minusSeconds(1);
        if (windowEnd.isAfter(last(run))) {
            windowEnd = last(run);
        }
        LoopAdminClient.Page page = run.pageUrl() != null ? loop.returnsPage(connection, run.pageUrl())
                : loop.returnsPage(connection, windowFrom, windowEnd, "created_at",
                        STATE_PASSES.get(Math.min(run.statePass(), STATE_PASSES.size() - 1)), properties.pageSize());
        Tally tally = new Tally();
        for (JsonNode loopReturn : page.returns()) {
            feed(connection, loopReturn, tally);
        }
        OffsetDateTime nextWindow = page.nextPageUrl() != null ? run.windowFrom()
                : windowEnd.plusSeconds(1).atOffset(ZoneOffset.UTC);
        boolean passDone = page.nextPageUrl() == null && !windowEnd.isBefore(last(run));
        boolean anotherPass = passDone && run.statePass() + 1 < STATE_PASSES.size();
        String state = STATE_PASSES.get(Math.min(run.statePass(), STATE_PASSES.size() - 1));
        String note = "read " + LocalDate.ofInstant(windowFrom, ZoneOffset.UTC) + " … "
                + LocalDate.ofInstant(windowEnd, ZoneOffset.UTC) + (state == null ? "" : " (" + state + ")")
                + (page.nextPageUrl() != null ? ", more pages" : "");
        tx.executeWithoutResult(s -> {
            runs.advance(run.id(), nextWindow, page.nextPageUrl(), run.idsDone(), tally.counts(1), note);
            if (anotherPass) {
                runs.nextStatePass(run.id(), run.statePass() + 1,
                        run.fromDate().atStartOfDay().atOffset(ZoneOffset.UTC));
            }
            runs.appendErrors(run.id(), tally.errors);
        });
    }

    /** A few ids, the cursor committed after each. */
    private void readIds(Connection connection, BackfillRun run) {
        List<String> ids = run.ids();
        int done = run.idsDone();
        for (int n = 0; n < properties.idsPerStep() && done < ids.size(); n++) {
            if (n > 0 && runs.find(run.id()).map(BackfillRun::finished).orElse(true)) {
                return; // cancelled meanwhile
            }
            String id = ids.get(done);
            Tally tally = new Tally();
            Optional<JsonNode> found = loop.findReturn(connection, id);
            if (found.isPresent()) {
                feed(connection, found.get(), tally);
            } else {
                tally.failed++;
                tally.errors.add("return " + id + ": not found in Loop");
            }
            int idsDone = ++done;
            tx.executeWithoutResult(s -> {
                runs.advance(run.id(), run.windowFrom(), run.pageUrl(), idsDone, tally.counts(0),
                        "read " + idsDone + " of " + ids.size() + " return id(s)");
                runs.appendErrors(run.id(), tally.errors);
            });
        }
    }

    private void feed(Connection connection, JsonNode loopReturn, Tally tally) {
        tally.found++;
        String id = loopReturn.path("id").asString("?");
        try {
            boolean known = links.findByLoopId(connection.id(), id).isPresent();
            switch (intake.acceptBackfill(connection, webhookShape(loopReturn))) {
                case ACCEPTED -> {
                    if (known) {
                        tally.updated++;
                    } else {
                        tally.created++;
                    }
                }
                case DUPLICATE -> tally.duplicates++;
                case IGNORED -> tally.ignored++;
            }
        } catch (RuntimeException e) {
            tally.failed++;
            tally.errors.add("return " + id + ": " + e.getMessage());
            log.warn("backfill of Loop return {} for {} failed: {}", id, connection.id(), e.toString());
        }
    }

    private void end(BackfillRun run, BackfillRun.State state, String reason) {
        tx.executeWithoutResult(s -> {
            if (runs.finish(run.id(), state, reason, null)) {
                BackfillRun now = runs.find(run.id()).orElseThrow();
                timeline.record(null, run.connectionId(), null, "BACKFILL", "backfill #" + run.id() + " started by "
                        + run.requestedBy() + " " + state + ": " + counts(now) + (reason == null ? "" : "; " + reason));
            }
        });
    }

    /** A return from the list or details endpoint, in the return webhook's shape (the fields the reader needs). */
    byte[] webhookShape(JsonNode loopReturn) {
        ObjectNode body = ((ObjectNode) loopReturn.deepCopy());
        String state = loopReturn.path("state").asString("open");
        body.put("topic", "return");
        body.put("trigger", Objects.equals(state, "open") ? "return.created" : "return.updated");
        body.put("id", loopReturn.path("id").asString());
        return json.writeValueAsBytes(body);
    }

    // ---------------------------------------------------------------- helpers

    private List<String> normaliseIds(List<String> given) {
        Set<String> out = new LinkedHashSet<>();
        for (String entry : given == null ? List.<String>of() : given) {
            if (entry == null) {
                continue;
            }
            for (String one : entry.split("[,\\s]+")) {
                if (one.isBlank()) {
                    continue;
                }
                String id = one.trim();
                if (!RETURN_ID.matcher(id).matches()) {
                    throw new IllegalArgumentException("'" + BackfillRuns.abbreviate(id, 30)
                            + "' is not a Loop return id (digits only)");
                }
                out.add(id);
            }
        }
        if (out.size() > properties.maxIds()) {
            throw new IllegalArgumentException(out.size() + " return ids; at most " + properties.maxIds()
                    + " per backfill");
        }
        return new ArrayList<>(out);
    }

    private static String describe(LocalDate start, LocalDate end, List<String> ids) {
        String range = start == null ? "" : "returns created " + start + " … " + end + " (UTC)";
        String list = ids.isEmpty() ? "" : ids.size() + " return id(s)";
        return range + (range.isEmpty() || list.isEmpty() ? "" : " and ") + list;
    }

    static String counts(BackfillRun r) {
        return "found " + r.found() + ", new " + r.created() + ", updated " + r.updated() + ", duplicate "
                + r.duplicates() + ", ignored " + r.ignored() + ", failed " + r.failed() + " (" + r.pages()
                + " page(s), " + r.retries() + " retry/retries)";
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final class Tally {
        int found;
        int created;
        int updated;
        int duplicates;
        int ignored;
        int failed;
        final List<String> errors = new ArrayList<>();

        BackfillRuns.Counts counts(int pages) {
            return new BackfillRuns.Counts(pages, found, created, updated, duplicates, ignored, failed);
        }
    }
}
