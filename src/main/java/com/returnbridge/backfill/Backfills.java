package com.returnbridge.backfill;

import static com.returnbridge.bridge.TimelineKind.BACKFILL;

import com.returnbridge.bridge.Conflict;
import com.returnbridge.bridge.NotFound;
import com.returnbridge.bridge.Timeline;
import com.returnbridge.connection.Connections;
import com.returnbridge.jobs.JobQueue;
import com.returnbridge.jobs.JobResult;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Backfill from Loop as a durable background job, for the operator: a request is checked ({@link BackfillRequest}),
 * stored as a {@code backfill_run} and queued as a db-scheduler task (instance id = run id) in one transaction; the
 * task runs {@link BackfillStep} until the run ends. Runs are listed, read and cancelled here.
 */
@Service
public class Backfills {

    /** A run, and whether this request created it (false: an identical one was already queued or running). */
    public record Started(BackfillRun run, boolean created) {
    }

    private final BackfillRuns runs;
    private final Connections connections;
    private final BackfillStep step;
    private final Timeline timeline;
    private final JobQueue jobs;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final BackfillProperties properties;

    Backfills(BackfillRuns runs, Connections connections, BackfillStep step, Timeline timeline, JobQueue jobs,
              TransactionTemplate tx, Clock clock, BackfillProperties properties) {
        this.runs = runs;
        this.connections = connections;
        this.step = step;
        this.timeline = timeline;
        this.jobs = jobs;
        this.tx = tx;
        this.clock = clock;
        this.properties = properties;
    }

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
        BackfillRequest request = BackfillRequest.check(from, to, returnIds, properties, clock);
        String activeKey = request.activeKey(connectionId);
        for (int attempt = 1; ; attempt++) {
            try {
                return tx.execute(s -> {
                    Optional<BackfillRun> running = runs.findActive(activeKey);
                    if (running.isPresent()) {
                        return new Started(running.get(), false);
                    }
                    long id = runs.insert(connectionId, by, request.start(), request.end(), request.idsText(),
                            activeKey, request.windowFrom());
                    jobs.enqueue(BackfillJob.NAME, String.valueOf(id));
                    timeline.record(null, connectionId, null, BACKFILL, "backfill #" + id + " started by " + by
                            + ": " + request.describe());
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
            timeline.record(null, connectionId, null, BACKFILL, "backfill #" + runId + " (started by "
                    + run.requestedBy() + ") cancelled by " + by + " after " + now.counts());
            return true;
        });
        BackfillRun now = runs.find(runId).orElseThrow();
        if (!cancelled && now.stateEnum() != BackfillRun.State.CANCELLED) {
            throw new Conflict("backfill #" + runId + " has already ended: " + now.state());
        }
        return now;
    }

    /** One step of a run (the db-scheduler task). */
    public JobResult step(long runId) {
        return step.step(runId);
    }
}
