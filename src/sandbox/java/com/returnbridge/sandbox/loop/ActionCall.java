package com.returnbridge.sandbox.loop;

import java.time.Instant;

/**
 * One Return Action request that reached the simulated Loop (past auth and rate limit).
 *
 * @param action    process, flag, note, close or cancel
 * @param body      request body as received, or null
 * @param status    HTTP status answered
 * @param answer    response body answered
 * @param performed whether the action took effect (true even when a FAIL_AFTER_EXECUTE fault hid it)
 */
public record ActionCall(long returnId, String action, String body, int status, String answer, boolean performed,
        Instant at) {
}
