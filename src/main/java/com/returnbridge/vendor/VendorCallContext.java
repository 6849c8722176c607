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
}
