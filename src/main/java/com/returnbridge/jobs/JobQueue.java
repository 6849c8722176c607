package com.returnbridge.jobs;

import com.github.kagkarlsson.scheduler.ScheduledExecution;
import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import com.github.kagkarlsson.scheduler.task.TaskInstanceId;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Durable work, one db-scheduler execution per (task, instance id): the instance id is the idempotency key, so
 * however many deliveries ask, one job of each kind exists per subject at a time. The features name their tasks
 * ({@link JobTask#name()}); this only queues, moves and cancels executions.
 */
@Component
public class JobQueue {

    private final ObjectProvider<Scheduler> scheduler;
    private final ObjectProvider<JobTask> tasks;
    private final Clock clock;
    private final JdbcClient jdbc;

    public JobQueue(ObjectProvider<Scheduler> scheduler, ObjectProvider<JobTask> tasks, Clock clock, JdbcClient jdbc) {
        this.scheduler = scheduler;
        this.tasks = tasks;
        this.clock = clock;
        this.jdbc = jdbc;
    }

    /**
     * Called inside a job's last transaction when the job will answer {@link JobResult#done()}: its execution is
     * removed in that same transaction, so the job's last write and its completion are one commit (per job, the
     * commit is most of what a job costs the database). Commits or rolls back with the job's write; outside a
     * running job or a transaction it does nothing and the scheduler removes the execution as usual.
     */
    public void finishInThisTransaction() {
        RunningJob running = RunningJob.current();
        if (running == null || running.removedWithJob
                || !TransactionSynchronizationManager.isActualTransactionActive()) {
            return;
        }
        var e = running.execution;
        int removed = jdbc.sql("DELETE FROM scheduled_tasks WHERE task_name = ? AND task_instance = ? AND version = ?")
                .params(e.taskInstance.getTaskName(), e.taskInstance.getId(), e.version).update();
        if (removed == 1) {
            running.removedWithJob = true;
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCompletion(int status) {
                    if (status != STATUS_COMMITTED) {
                        running.removedWithJob = false; // rolled back: the row is there again, the scheduler ends it
                    }
                }
            });
        }
    }

    /** Queued to run now (once the surrounding transaction commits); false when one was already queued. */
    public boolean enqueue(String task, String instanceId) {
        Scheduler s = scheduler.getObject();
        boolean scheduled = s.scheduleIfNotExists(new TaskInstance<>(task, instanceId), clock.instant());
        wakeAfterCommit(s);
        return scheduled;
    }

    /** Queued to run at {@code at}; false when one was already queued (it keeps its own time). */
    public boolean enqueueAt(String task, String instanceId, Instant at) {
        Scheduler s = scheduler.getObject();
        boolean scheduled = s.scheduleIfNotExists(new TaskInstance<>(task, instanceId), at);
        if (!at.isAfter(clock.instant())) {
            wakeAfterCommit(s);
        }
        return scheduled;
    }

    /** Queued now, or the one already queued moved to now (whatever its state). */
    public void runNow(String task, String instanceId) {
        if (!enqueue(task, instanceId)) {
            Scheduler s = scheduler.getObject();
            s.reschedule(TaskInstanceId.of(task, instanceId), clock.instant());
            s.triggerCheckForDueExecutions();
        }
    }

    /** Queued now, or a waiting one moved to now; one already running is left alone. */
    public void runNowUnlessRunning(String task, String instanceId) {
        if (!enqueueAt(task, instanceId, clock.instant())) {
            Scheduler s = scheduler.getObject();
            TaskInstanceId id = TaskInstanceId.of(task, instanceId);
            if (s.getScheduledExecution(id).map(e -> !e.isPicked()).orElse(false) && s.reschedule(id, clock.instant())) {
                wakeAfterCommit(s);
            }
        }
    }

    /** A waiting execution is cancelled; one running (or gone) is left to find it has nothing to do. */
    public void cancelIfWaiting(String task, String instanceId) {
        Scheduler s = scheduler.getObject();
        TaskInstanceId id = TaskInstanceId.of(task, instanceId);
        try {
            if (s.getScheduledExecution(id).map(e -> !e.isPicked()).orElse(false)) {
                s.cancel(id);
            }
        } catch (RuntimeException e) {
            // it started meanwhile (or is gone): it finds its subject has nothing left for it and ends
        }
    }

    /**
     * Every waiting execution of a connection ({@link JobTask#instancesOf}) runs now; how many were moved. A few
     * statements for the whole backlog (moved in chunks, each woken as soon as it is committed) rather than a
     * look-up and an update per execution, which held a resumed backlog of thousands back for many seconds.
     * The version moves as db-scheduler's own reschedule moves it, and a picked (running) one is left alone.
     */
    public int wakeConnection(String connectionId) {
        Map<String, Predicate<String>> ours = new HashMap<>();
        tasks.orderedStream().forEach(task -> ours.put(task.name(), task.instancesOf(connectionId)));
        Scheduler s = scheduler.getObject();
        Map<String, List<String>> waiting = new HashMap<>();
        for (ScheduledExecution<Object> e : s.getScheduledExecutions()) {
            TaskInstanceId instance = e.getTaskInstance();
            Predicate<String> of = ours.get(instance.getTaskName());
            if (of != null && !e.isPicked() && of.test(instance.getId())) {
                waiting.computeIfAbsent(instance.getTaskName(), k -> new ArrayList<>()).add(instance.getId());
            }
        }
        int woken = 0;
        for (Map.Entry<String, List<String>> task : waiting.entrySet()) {
            List<String> ids = task.getValue();
            for (int from = 0; from < ids.size(); from += WAKE_CHUNK) {
                woken += jdbc.sql("""
                                UPDATE scheduled_tasks SET execution_time = :now, version = version + 1
                                 WHERE task_name = :task AND task_instance IN (:ids) AND picked = FALSE""")
                        .param("now", java.time.OffsetDateTime.ofInstant(clock.instant(), java.time.ZoneOffset.UTC))
                        .param("task", task.getKey())
                        .param("ids", ids.subList(from, Math.min(ids.size(), from + WAKE_CHUNK))).update();
                s.triggerCheckForDueExecutions();
            }
        }
        s.triggerCheckForDueExecutions();
        return woken;
    }

    private static final int WAKE_CHUNK = 500;

    /** The executions that exist for an instance id, of any task, with when they run next and how often they failed. */
    public List<ScheduledExecution<Object>> executionsFor(String instanceId) {
        return scheduler.getObject().getScheduledExecutions().stream()
                .filter(e -> e.getTaskInstance().getId().equals(instanceId)).toList();
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
