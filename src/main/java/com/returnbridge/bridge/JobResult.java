package com.returnbridge.bridge;

import java.time.Instant;

/** What a job wants next: nothing, or to run again at a time. */
public sealed interface JobResult {

    record Done() implements JobResult {
    }

    record RunAgainAt(Instant when) implements JobResult {
    }

    static JobResult done() {
        return new Done();
    }

    static JobResult runAgainAt(Instant when) {
        return new RunAgainAt(when);
    }
}
