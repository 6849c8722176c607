package com.returnbridge.jobs;

import java.time.Instant;

/** What a job wants next: nothing, to run again at a time, or nothing unless a newer delivery came meanwhile. */
public sealed interface JobResult {

    record Done() implements JobResult {
    }

    /**
     * Done, unless the link's hint moved past {@code hint} — a delivery arrived while the job ran. That delivery found
     * this job still queued, so it scheduled nothing: the scheduler removes the job, then reads the hint under the
     * link's row lock (so a delivery still committing is waited for) and schedules the job again if it moved.
     */
    record DoneUnlessHinted(long linkId, long hint) implements JobResult {
    }

    record RunAgainAt(Instant when) implements JobResult {
    }

    static JobResult done() {
        return new Done();
    }

    static JobResult doneUnlessHinted(long linkId, long hint) {
        return new DoneUnlessHinted(linkId, hint);
    }

    static JobResult runAgainAt(Instant when) {
        return new RunAgainAt(when);
    }
}
