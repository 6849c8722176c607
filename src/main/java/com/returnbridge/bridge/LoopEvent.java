package com.returnbridge.bridge;

/**
 * A Loop webhook, read: a return event carries the whole return; a label event only the label.
 */
public record LoopEvent(Topic topic, String trigger, String returnId, String state, String editedAt,
                        LoopReturn loopReturn, LoopReturn.Label label) {

    public enum Topic { RETURN, LABEL, OTHER }
}
