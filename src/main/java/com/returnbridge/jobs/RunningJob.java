package com.returnbridge.jobs;

import com.github.kagkarlsson.scheduler.task.Execution;

/**
 * The execution a scheduler thread is running, so the job's last transaction can also remove it
 * ({@link JobQueue#finishInThisTransaction}): one commit for the job's last write and its completion instead of two.
 */
final class RunningJob {

    private static final ThreadLocal<RunningJob> CURRENT = new ThreadLocal<>();

    final Execution execution;
    /** Removed by the job's own transaction: the completion has nothing left to remove. Set before that commit. */
    boolean removedWithJob;

    private RunningJob(Execution execution) {
        this.execution = execution;
    }

    static RunningJob start(Execution execution) {
        RunningJob running = new RunningJob(execution);
        CURRENT.set(running);
        return running;
    }

    static RunningJob current() {
        return CURRENT.get();
    }

    static void end() {
        CURRENT.remove();
    }
}
