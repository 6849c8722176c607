package com.returnbridge.bridge;

import com.returnbridge.connection.Connection;

/** What the bridge asks of Loop: the warehouse's verdict on a return. */
public interface LoopApi {

    /** Loop refuses a return note of this many characters or more, so the bridge writes shorter ones. */
    int NOTE_LIMIT = 255;

    LoopAnswer process(Connection connection, String returnId, ProcessDetails details);

    LoopAnswer flag(Connection connection, String returnId);

    LoopAnswer note(Connection connection, String returnId, String content);

    /**
     * Loop's Remove Line Items: the line items go, and Loop processes what is left and closes the return in its own
     * time, as after Process. Only refund and store-credit items qualify; Loop refuses otherwise.
     */
    LoopAnswer removeLineItems(Connection connection, String returnId, java.util.List<String> lineItemIds);

    /**
     * Loop reported that a Process it had accepted failed: the next Process must be asked for again, not skipped
     * as already done. Only an implementation that remembers the actions it took has anything to forget.
     */
    default void processFailed(String connectionId, String returnId) {
    }

    /** What Process tells Loop about the RMA that was received. */
    record ProcessDetails(String rmaId, Long rmaNumber, String warehouseId, int received, int expected) {
    }

    /** Loop's verdict. Only the body {@code "true"} is acceptance; a "closed" refusal means already done. */
    record LoopAnswer(Outcome outcome, String message) {
        public enum Outcome { ACCEPTED, ALREADY_CLOSED, REFUSED }

        public boolean accepted() {
            return outcome == Outcome.ACCEPTED;
        }
    }
}
