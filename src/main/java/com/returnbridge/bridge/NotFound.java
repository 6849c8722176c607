package com.returnbridge.bridge;

/** What an operator or a script named does not exist (a connection, a return, a delivery, a backfill run): 404 in the API, the not-found page in the console. */
public class NotFound extends RuntimeException {
    public NotFound(String message) {
        super(message);
    }
}
