package com.returnbridge.bridge;

/**
 * Reads Loop's word for a return's state, as Loop sent it or as a link keeps it, into the bridge's {@link LoopStage}.
 * The words are Loop's client's knowledge; the bridge asks here rather than comparing texts.
 */
public interface LoopStates {

    LoopStage stage(String loopState);
}
