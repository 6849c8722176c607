package com.returnbridge.bridge;

/** A webhook body we cannot use: the reason is one line a vendor's support or an operator can act on. */
public class InvalidPayloadException extends RuntimeException {

    public InvalidPayloadException(String reason) {
        super(reason);
    }
}
