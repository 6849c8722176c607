package com.returnbridge.jobs;

import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * A kind of one-time job a feature contributes as a bean; the scheduler runs every one it finds. An execution is
 * (name, instance id), and the id is the idempotency key: one execution of each kind per subject at a time.
 */
public interface JobTask {

    /** The db-scheduler task name. Stored with every queued execution, so it is never renamed. */
    String name();

    /** One run for an instance; an exception is an unexpected failure, retried with backoff. */
    JobResult run(String instanceId);

    /**
     * For {@link JobResult.DoneUnlessHinted}: the subject's hint now, read under its row lock (the caller holds a
     * transaction), or empty when the subject is gone. Only a job that answers DoneUnlessHinted needs it.
     */
    default Optional<Long> lockedHint(long subject) {
        throw new UnsupportedOperationException(name() + " does not answer DoneUnlessHinted");
    }

    /** What a run's log lines carry in the MDC (e.g. {@link JobMetrics#MDC_CONNECTION}); looked up at its start. */
    default Map<String, String> logContext(String instanceId) {
        return Map.of();
    }

    /** Which instance ids belong to a connection: they run at once when the connection resumes. */
    default Predicate<String> instancesOf(String connectionId) {
        return id -> false;
    }
}
