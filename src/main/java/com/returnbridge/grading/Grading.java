package com.returnbridge.grading;

import com.returnbridge.bridge.AfterDecision;
import com.returnbridge.bridge.LineReceipt;
import com.returnbridge.connection.Connection;
import com.returnbridge.jobs.JobQueue;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * After each decision on a completed RMA: the warehouse's counts per line are kept (the restock guard compares
 * them with Loop's restock.requested), and with grading on for the connection, the grade-return job is queued to send
 * them to Loop. Nothing here calls a vendor, so the decision's own work is never held up by grading.
 */
@Component
public class Grading implements AfterDecision {

    private final GradingStore store;
    private final Gradings gradings;
    private final RestockGuard restock;
    private final JobQueue jobs;

    Grading(GradingStore store, Gradings gradings, RestockGuard restock, JobQueue jobs) {
        this.store = store;
        this.gradings = gradings;
        this.restock = restock;
        this.jobs = jobs;
    }

    @Override
    public void decided(Connection connection, String loopReturnId, List<LineReceipt> lines) {
        if (lines == null || lines.isEmpty()) {
            return;
        }
        store.recordReceipts(connection.id(), loopReturnId, lines);
        restock.warehouseRecorded(connection.id(), loopReturnId);
        if (gradings.settings(connection.id()).enabled()) {
            jobs.enqueue(GradeReturnJob.NAME, GradeReturnJob.instanceId(connection.id(), loopReturnId));
        }
    }
}
