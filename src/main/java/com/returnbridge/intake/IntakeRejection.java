package com.returnbridge.intake;

import org.springframework.http.HttpStatus;

/** A delivery refused before anything was stored: answered with its status and a one-line reason. */
public class IntakeRejection extends RuntimeException {

    private final HttpStatus status;
    private final String outcome;

    public IntakeRejection(HttpStatus status, String outcome, String reason) {
        super(reason);
        this.status = status;
        this.outcome = outcome;
    }

    public HttpStatus status() {
        return status;
    }

    /**
     * The metric tag: bad_signature, unknown_connection, too_large; malformed only for a return read back by backfill
     * (a signed vendor delivery is never refused for its content: it is stored as UNREADABLE).
     */
    public String outcome() {
        return outcome;
    }
}
