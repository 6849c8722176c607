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

    public VendorException(Kind kind, String message, Duration retryAfter, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.retryAfter = retryAfter;
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
