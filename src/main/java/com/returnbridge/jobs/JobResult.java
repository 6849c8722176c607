package com.returnbridge.jobs;

import java.time.Instant;

/** What a job wants next: nothing, to run again at a time, or nothing unless new work for its subject came meanwhile. */
public sealed interface JobResult {

    record Done() implements JobResult {
    }

    /**
     * Done, unless the subject's hint moved past {@code hint} — new work for it arrived while the job ran (for the
     * bridge: a delivery for the return link). That arrival found this job still queued, so it scheduled nothing: the
     * scheduler removes the job, then reads the hint under the subject's row lock ({@link JobTask#lockedHint}, so an
     * arrival still committing is waited for) and schedules the job again if it moved.
     */
    record DoneUnlessHinted(long subject, long hint) implements JobResult {
    }

    record RunAgainAt(Instant when) implements JobResult {
    }

    static JobResult done() {
        return new Done();
    }

    static JobResult doneUnlessHinted(long subject, long hint) {
        return new DoneUnlessHinted(subject, hint);
    }

    static JobResult runAgainAt(Instant when) {
        return new RunAgainAt(when);
    }
}
