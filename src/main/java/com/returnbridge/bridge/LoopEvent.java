package com.returnbridge.bridge;

/**
 * A Loop webhook, read: a return event carries the whole return; a label event only the label; a processing event
 * ({@code return.processing.failed}) Loop's word on a Process it had accepted.
 */
public record LoopEvent(Topic topic, String trigger, String returnId, String state, String editedAt,
                        LoopReturn loopReturn, LoopReturn.Label label, Processing processing) {

    /** RESTOCK: Loop restocks (or asks to restock) the return's items, {@code restock.requested}. */
    public enum Topic { RETURN, LABEL, PROCESSING, RESTOCK, OTHER }

    /** What {@code return.processing.failed} says: Loop's message (may be null or generic) and the source. */
    public record Processing(String message, String source) {
    }

    public LoopEvent(Topic topic, String trigger, String returnId, String state, String editedAt,
                     LoopReturn loopReturn, LoopReturn.Label label) {
        this(topic, trigger, returnId, state, editedAt, loopReturn, label, null);
    }
}
