package com.returnbridge.vendor;

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
    private final boolean answered;

    public VendorException(Kind kind, String message, Duration retryAfter, Throwable cause) {
        this(kind, message, retryAfter, cause, false, false);
    }

    private VendorException(Kind kind, String message, Duration retryAfter, Throwable cause, boolean uncertain,
                            boolean answered) {
        super(message, cause);
        this.kind = kind;
        this.retryAfter = retryAfter;
        this.uncertain = uncertain;
        this.answered = answered;
    }

    /**
     * A write that got no answer (timeout, connection lost after the request went out) may still be happening on
     * the vendor's side: the retry must wait long enough to see its effect before deciding to write again.
     */
    public static VendorException uncertain(String message, Throwable cause) {
        return new VendorException(Kind.TRANSIENT, message, null, cause, true, false);
    }

    /**
     * A write the vendor answered with a 5xx may have happened too, but the vendor has finished with it: its effect
     * is visible within seconds, so the retry looks after a short settle instead of the long one.
     */
    public static VendorException answeredWithServerError(String message) {
        return new VendorException(Kind.TRANSIENT, message, null, null, true, true);
    }

    public boolean isUncertain() {
        return uncertain;
    }

    /** For an uncertain write: the vendor did answer (a 5xx), as opposed to no answer at all. */
    public boolean isAnswered() {
        return answered;
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
