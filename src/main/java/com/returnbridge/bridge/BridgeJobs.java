package com.returnbridge.bridge;

import com.returnbridge.jobs.JobMetrics;
import com.returnbridge.jobs.JobQueue;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The bridge's jobs by name, queued through the generic {@link JobQueue}. The names are stored with every queued
 * execution, so they never change. A link's jobs have the link id as instance id; resolve-RMA has
 * "connection|rmaId", as it runs before any link is known.
 */
@Component
public class BridgeJobs {

    public static final String CREATE_RMA = "create-rma";
    public static final String APPLY_STATUS = "apply-status";
    public static final String RESOLVE_RMA = "resolve-rma";
    /** After Loop accepted Process: re-reads Return Details when Loop's "closed" webhook did not come in time. */
    public static final String CONFIRM_PROCESSING = "confirm-processing";

    private final JobQueue queue;
    private final JdbcClient jdbc;

    public BridgeJobs(JobQueue queue, JdbcClient jdbc) {
        this.queue = queue;
        this.jdbc = jdbc;
    }

    public boolean createRma(long linkId) {
        return queue.enqueue(CREATE_RMA, String.valueOf(linkId));
    }

    public boolean applyStatus(long linkId) {
        return queue.enqueue(APPLY_STATUS, String.valueOf(linkId));
    }

    public boolean resolveRma(String connectionId, String rmaId) {
        return queue.enqueue(RESOLVE_RMA, connectionId + "|" + rmaId);
    }

    public boolean confirmProcessing(long linkId, Instant at) {
        return queue.enqueueAt(CONFIRM_PROCESSING, String.valueOf(linkId), at);
    }

    /** The re-read at once: scheduled now, or a waiting one moved to now (one already running is left alone). */
    public void confirmProcessingNow(long linkId) {
        queue.runNowUnlessRunning(CONFIRM_PROCESSING, String.valueOf(linkId));
    }

    /** The return is closed (or needs a person): its waiting re-read has nothing left to confirm. */
    public void cancelConfirmProcessing(long linkId) {
        queue.cancelIfWaiting(CONFIRM_PROCESSING, String.valueOf(linkId));
    }

    /** Inside the running job's last transaction, when it then answers done: see {@link JobQueue#finishInThisTransaction}. */
    void finishInThisTransaction() {
        queue.finishInThisTransaction();
    }

    /** A link's job (create-RMA, apply-status, confirm-processing) runs now, queued or moved to now. */
    void runNow(String task, long linkId) {
        if (task.equals(CONFIRM_PROCESSING)) {
            confirmProcessingNow(linkId);
            return;
        }
        queue.runNow(task, String.valueOf(linkId));
    }

    // ---------------------------------------------------------------- what the JobTasks say about an instance

    /** The connection and Loop return of a link job, for its log lines (without reading the stored return). */
    Map<String, String> linkLogContext(String linkId) {
        return jdbc.sql("SELECT connection_id, loop_return_id FROM return_link WHERE id = ?")
                .param(Long.parseLong(linkId))
                .query((rs, n) -> Map.of(JobMetrics.MDC_CONNECTION, rs.getString(1),
                        JobMetrics.MDC_RETURN, rs.getString(2)))
                .optional().orElse(Map.of());
    }

    /** The link ids of a connection, for waking its link jobs when it resumes. */
    Predicate<String> linksOf(String connectionId) {
        Set<String> ids = new HashSet<>(jdbc.sql(
                        "SELECT CAST(id AS VARCHAR(30)) FROM return_link WHERE connection_id = ?")
                .param(connectionId).query(String.class).list());
        return ids::contains;
    }
}
