package com.returnbridge.vendor;

import org.slf4j.MDC;

/**
 * Whom a vendor call is made for, as the logging context (MDC) of the thread that makes it: the job runner puts the
 * job, connection and Loop return there while a job runs, and the vendor call log reads them back. The keys live
 * here, at the bottom, so that the log need not know who runs jobs; every log line of the job carries them too.
 */
public final class VendorCallContext {

    public static final String JOB = "job";
    public static final String CONNECTION = "connection";
    public static final String RETURN = "returnId";
    /** The job's execution (task and instance id) and this run of it: a run is one wake-up of the job. */
    public static final String EXECUTION = "execution";
    public static final String RUN = "run";

    private VendorCallContext() {
    }

    static String job() {
        return MDC.get(JOB);
    }

    static String connectionId() {
        return MDC.get(CONNECTION);
    }

    static String returnId() {
        return MDC.get(RETURN);
    }

    /** The job execution this thread runs for, or null outside a job (a console read, a sweep). */
    public static String execution() {
        return MDC.get(EXECUTION);
    }

    /** This run of the job (unique within the process), or null outside a job. */
    public static String run() {
        return MDC.get(RUN);
    }
}
