package com.returnbridge.jobs;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.task.TaskDescriptor;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Durable work, one db-scheduler execution per (job, return): the instance id is the idempotency key, so
 * however many deliveries ask, one job of each kind exists per return at a time.
 */
@Component
public class JobQueue {

    public static final TaskDescriptor<Void> CREATE_RMA = TaskDescriptor.of("create-rma");
    public static final TaskDescriptor<Void> APPLY_STATUS = TaskDescriptor.of("apply-status");
    public static final TaskDescriptor<Void> RESOLVE_RMA = TaskDescriptor.of("resolve-rma");
    /** After Loop accepted Process: re-reads Return Details when Loop's "closed" webhook did not come in time. */
    public static final TaskDescriptor<Void> CONFIRM_PROCESSING = TaskDescriptor.of("confirm-processing");
    /** One execution per backfill run (instance id = run id); it reschedules itself after each step. */
    public static final TaskDescriptor<Void> BACKFILL = TaskDescriptor.of("backfill");

    private final ObjectProvider<Scheduler> scheduler;
    private final Clock clock;

    public JobQueue(ObjectProvider<Scheduler> scheduler, Clock clock) {
        this.scheduler = scheduler;
        this.clock = clock;
    }

    public boolean createRma(long linkId) {
        return enqueue(CREATE_RMA, String.valueOf(linkId));
    }

    public boolean applyStatus(long linkId) {
        return enqueue(APPLY_STATUS, String.valueOf(linkId));
    }

    public boolean resolveRma(String connectionId, String rmaId) {
        return enqueue(RESOLVE_RMA, connectionId + "|" + rmaId);
    }

    public boolean confirmProcessing(long linkId, java.time.Instant at) {
        Scheduler s = scheduler.getObject();
        boolean scheduled = s.scheduleIfNotExists(new TaskInstance<>(CONFIRM_PROCESSING.getTaskName(),
                String.valueOf(linkId)), at);
        if (!at.isAfter(clock.instant())) {
            wakeAfterCommit(s);
        }
        return scheduled;
    }

    /** The re-read at once: scheduled now, or a waiting one moved to now (one already running is left alone). */
    public void confirmProcessingNow(long linkId) {
        if (!confirmProcessing(linkId, clock.instant())) {
            Scheduler s = scheduler.getObject();
            com.github.kagkarlsson.scheduler.task.TaskInstanceId id = com.github.kagkarlsson.scheduler.task.TaskInstanceId
                    .of(CONFIRM_PROCESSING.getTaskName(), String.valueOf(linkId));
            if (s.getScheduledExecution(id).map(e -> !e.isPicked()).orElse(false) && s.reschedule(id, clock.instant())) {
                wakeAfterCommit(s);
            }
        }
    }

    /** The return is closed (or needs a person): its waiting re-read has nothing left to confirm. */
    public void cancelConfirmProcessing(long linkId) {
        Scheduler s = scheduler.getObject();
        com.github.kagkarlsson.scheduler.task.TaskInstanceId id = com.github.kagkarlsson.scheduler.task.TaskInstanceId
                .of(CONFIRM_PROCESSING.getTaskName(), String.valueOf(linkId));
        try {
            if (s.getScheduledExecution(id).map(e -> !e.isPicked()).orElse(false)) {
                s.cancel(id);
            }
        } catch (RuntimeException e) {
            // it started meanwhile (or is gone): it finds the link no longer PROCESSED and ends
        }
    }

    public boolean backfill(long runId) {
        return enqueue(BACKFILL, String.valueOf(runId));
    }

    private boolean enqueue(TaskDescriptor<Void> task, String instanceId) {
        Scheduler s = scheduler.getObject();
        boolean scheduled = s.scheduleIfNotExists(new TaskInstance<>(task.getTaskName(), instanceId), clock.instant());
        wakeAfterCommit(s);
        return scheduled;
    }

    /** Immediate execution: the scheduler looks for due work once the row is visible, not at its next poll. */
    private static void wakeAfterCommit(Scheduler s) {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    s.triggerCheckForDueExecutions();
                }
            });
        } else {
            s.triggerCheckForDueExecutions();
        }
    }
}
