package com.returnbridge.bridge;

import com.returnbridge.connection.Connection;
import java.util.List;

/** What happens after the decision on a completed RMA, beside the decision itself (grading, for example). */
public interface AfterDecision {

    void decided(Connection connection, String loopReturnId, List<LineReceipt> lines);
}
