package com.returnbridge.loop;

import com.returnbridge.bridge.LoopStage;
import com.returnbridge.bridge.LoopStates;
import org.springframework.stereotype.Component;

/**
 * Loop's words for a return's state (as {@link LoopReturnMapper} leaves them: "needs review" already read as
 * {@code review}) and what each means to the bridge. The list API filters by the same words.
 */
@Component
public class LoopStateWords implements LoopStates {

    public static final String OPEN = "open";
    public static final String REVIEW = "review";
    public static final String CLOSED = "closed";
    public static final String CANCELLED = "cancelled";
    public static final String EXPIRED = "expired";

    @Override
    public LoopStage stage(String loopState) {
        return of(loopState);
    }

    /** Exact words, as Loop sends them; anything else (or none) is {@link LoopStage#OTHER}. */
    public static LoopStage of(String loopState) {
        if (loopState == null) {
            return LoopStage.OTHER;
        }
        return switch (loopState) {
            case OPEN -> LoopStage.OPEN;
            case REVIEW -> LoopStage.REVIEW;
            case CLOSED -> LoopStage.CLOSED;
            case CANCELLED -> LoopStage.CANCELLED;
            case EXPIRED -> LoopStage.EXPIRED;
            default -> LoopStage.OTHER;
        };
    }
}
