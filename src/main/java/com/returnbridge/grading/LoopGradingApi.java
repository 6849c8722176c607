package com.returnbridge.grading;

import com.returnbridge.connection.Connection;
import java.util.List;

/** What grading asks of Loop: grade items and record their disposition (vendor notes §14), in the bridge's terms. */
public interface LoopGradingApi {

    /** The most items one grade call may carry. */
    int gradeLimit();

    /** The most items one disposition call may carry. */
    int assessLimit();

    Answer grade(Connection connection, List<Grade> items);

    Answer assess(Connection connection, List<Assessment> items);

    /** {@code description}: what the warehouse saw, for Loop's staff. */
    record Grade(String lineItemId, ConditionCategory category, String description) {
    }

    record Assessment(String lineItemId, Disposition disposition, String note) {
    }

    /** Loop took the items, or refused them with its message. Failures to get an answer are VendorExceptions. */
    record Answer(boolean accepted, String message) {
    }
}
