package com.returnbridge.backfill;

import static com.returnbridge.bridge.TimelineKind.BACKFILL;

import com.returnbridge.bridge.ReturnLinks;
import com.returnbridge.bridge.Timeline;
import com.returnbridge.connection.Connection;
import com.returnbridge.connection.Connections;
import com.returnbridge.intake.IntakeService;
import com.returnbridge.jobs.Backoff;
import com.returnbridge.jobs.JobProperties;
import com.returnbridge.jobs.JobResult;
import com.returnbridge.loop.LoopAdminClient;
import com.returnbridge.vendor.VendorException;
import com.returnbridge.loop.LoopReturnMapper;
import com.returnbridge.loop.LoopStateWords;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The step job of a backfill run: one page of the Detailed Returns List, or a few Return Details, then the cursor and
 * the counts committed, so a crash or restart resumes where it stopped. Every return goes through intake as a
 * delivery read back from Loop (idempotent): reading a page again after a crash makes duplicates, never a second RMA.
 */
@Component
class BackfillStep {

    private static final Logger log = LoggerFactory.getLogger(BackfillStep.class);

    private final BackfillRuns runs;
    private final Connections connections;
    private final LoopAdminClient loop;
    private final IntakeService intake;
    private final ReturnLinks links;
    private final Timeline timeline;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final BackfillProperties properties;
    private final Backoff backoff;

    BackfillStep(BackfillRuns runs, Connections connections, LoopAdminClient loop, IntakeService intake,
                 ReturnLinks links, Timeline timeline, TransactionTemplate tx, Clock clock,
                 BackfillProperties properties, JobProperties bridge) {
        this.runs = runs;
        this.connections = connections;
        this.loop = loop;
        this.intake = intake;
        this.links = links;
        this.timeline = timeline;
        this.tx = tx;
        this.clock = clock;
        this.properties = properties;
        this.backoff = new Backoff(bridge.firstRetry(), bridge.maxRetry());
    }

    /** One step of a run (the db-scheduler task). */
    JobResult step(long runId) {
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
    static final List<String> STATE_PASSES = Arrays.asList(null, LoopStateWords.REVIEW,
            LoopStateWords.CANCELLED);

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
        for (LoopReturnMapper.Mapped loopReturn : page.returns()) {
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
            Optional<LoopReturnMapper.Mapped> found = loop.findReturn(connection, id);
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

    private void feed(Connection connection, LoopReturnMapper.Mapped read, Tally tally) {
        tally.found++;
        String id = read.id();
        if (read.problem() != null) {
            tally.failed++;
            tally.errors.add("return " + id + ": " + read.problem());
            log.warn("backfill of Loop return {} for {} failed: {}", id, connection.id(), read.problem());
            return;
        }
        try {
            boolean known = links.findByLoopId(connection.id(), id).isPresent();
            switch (intake.acceptReadBack(connection, read.loopReturn())) {
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
                timeline.record(null, run.connectionId(), null, BACKFILL, "backfill #" + run.id() + " started by "
                        + run.requestedBy() + " " + state + ": " + now.counts() + (reason == null ? "" : "; " + reason));
            }
        });
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
