package com.returnbridge.bridge;

/** What was asked cannot be done in the state things are in (e.g. cancelling a finished backfill, creating a connection that exists): 409 in the API. */
public class Conflict extends RuntimeException {
    public Conflict(String message) {
        super(message);
    }
}
