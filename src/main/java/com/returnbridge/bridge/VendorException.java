package com.returnbridge.bridge;

import java.time.Duration;

/**
 * A vendor call that did not succeed, classified for the job that made it: retry soon (transient), wait the
 * time the vendor named (throttled, not a failure), or stop and ask a person (permanent).
 */
public class VendorException extends RuntimeException {

    public enum Kind { TRANSIENT, THROTTLED, PERMANENT }

    private final Kind kind;
    private final Duration retryAfter;
    private final boolean uncertain;

    public VendorException(Kind kind, String message, Duration retryAfter, Throwable cause) {
        this(kind, message, retryAfter, cause, false);
    }

    private VendorException(Kind kind, String message, Duration retryAfter, Throwable cause, boolean uncertain) {
        super(message, cause);
        this.kind = kind;
        this.retryAfter = retryAfter;
        this.uncertain = uncertain;
    }

    /**
     * A write that timed out or failed on the vendor's side may still have happened (or be happening): the retry
     * must wait long enough to see its effect before deciding to write again.
     */
    public static VendorException uncertain(String message, Throwable cause) {
        return new VendorException(Kind.TRANSIENT, message, null, cause, true);
    }

    public boolean isUncertain() {
        return uncertain;
    }

    public static VendorException transientFailure(String message, Throwable cause) {
        return new VendorException(Kind.TRANSIENT, message, null, cause);
    }

    public static VendorException throttled(String message, Duration retryAfter) {
        return new VendorException(Kind.THROTTLED, message, retryAfter, null);
    }

    public static VendorException permanent(String message) {
        return new VendorException(Kind.PERMANENT, message, null, null);
    }

    public Kind kind() {
        return kind;
    }

    /** The wait the vendor asked for, or null. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
