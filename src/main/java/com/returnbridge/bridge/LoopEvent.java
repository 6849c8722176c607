package com.returnbridge.bridge;

/**
 * A Loop webhook, read: a return event carries the whole return; a label event only the label; a processing event
 * ({@code return.processing.failed}) Loop's word on a Process it had accepted. {@code carrier}: the label says the
 * carrier delivered the parcel (an SLA clock), else null.
 */
public record LoopEvent(Topic topic, String trigger, String returnId, String state, String editedAt,
                        LoopReturn loopReturn, LoopReturn.Label label, Processing processing, Delivered carrier) {

    /** RESTOCK: Loop restocks (or asks to restock) the return's items, {@code restock.requested}. */
    public enum Topic { RETURN, LABEL, PROCESSING, RESTOCK, OTHER }

    /** What {@code return.processing.failed} says: Loop's message (may be null or generic) and the source. */
    public record Processing(String message, String source) {
    }

    /** The carrier delivered the parcel to the warehouse; {@code at} as Loop says, null when it does not say. */
    public record Delivered(java.time.Instant at) {
    }

    public LoopEvent(Topic topic, String trigger, String returnId, String state, String editedAt,
                     LoopReturn loopReturn, LoopReturn.Label label) {
        this(topic, trigger, returnId, state, editedAt, loopReturn, label, null, null);
    }

    public LoopEvent(Topic topic, String trigger, String returnId, String state, String editedAt,
                     LoopReturn loopReturn, LoopReturn.Label label, Processing processing) {
        this(topic, trigger, returnId, state, editedAt, loopReturn, label, processing, null);
    }

    public LoopEvent withCarrier(Delivered delivered) {
        return new LoopEvent(topic, trigger, returnId, state, editedAt, loopReturn, label, processing, delivered);
    }
}
