package com.returnbridge.bridge;

import com.returnbridge.connection.Connection;
import java.util.List;

/**
 * What happens after the warehouse's decision on a return was taken (processed, removed or flagged): it is called in
 * the transaction that records the decision, with what the warehouse recorded for each Loop line item, whatever the
 * connection's receipt rule. Grading and disposition back to Loop hang here; without such a bean nothing more
 * happens ({@link #NOTHING}).
 */
public interface AfterDecision {

    AfterDecision NOTHING = (connection, loopReturnId, lines) -> {
    };

    void decided(Connection connection, String loopReturnId, List<LineReceipt> lines);
}
