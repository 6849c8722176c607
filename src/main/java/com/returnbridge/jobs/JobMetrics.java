package com.returnbridge.jobs;

import com.github.kagkarlsson.scheduler.CurrentlyExecuting;
import com.github.kagkarlsson.scheduler.event.AbstractSchedulerListener;
import com.github.kagkarlsson.scheduler.task.Execution;
import com.github.kagkarlsson.scheduler.task.ExecutionComplete;
import com.returnbridge.vendor.VendorCallContext;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.slf4j.MDC;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Listens to db-scheduler: {@code returnbridge.jobs{type,outcome}} (a timer: count and duration per job kind and
 * result), and what the job is about (its {@link JobTask#logContext}: the connection and Loop return id) in the
 * logging MDC while it runs, so every log line of the job (and structured JSON logs) carries them.
 */
@Component
public class JobMetrics extends AbstractSchedulerListener {

    public static final String MDC_CONNECTION = VendorCallContext.CONNECTION;
    public static final String MDC_RETURN = VendorCallContext.RETURN;

    private final MeterRegistry meters;
    private final ObjectProvider<JobTask> tasks;
    private volatile Map<String, JobTask> byName;
    private final java.util.concurrent.atomic.AtomicLong runs = new java.util.concurrent.atomic.AtomicLong();

    public JobMetrics(MeterRegistry meters, ObjectProvider<JobTask> tasks) {
        this.meters = meters;
        this.tasks = tasks;
    }

    @Override
    public void onExecutionStart(CurrentlyExecuting executing) {
        String task = executing.getTaskInstance().getTaskName();
        String id = executing.getTaskInstance().getId();
        MDC.put("job", task);
        MDC.put(VendorCallContext.EXECUTION, task + "/" + id);
        MDC.put(VendorCallContext.RUN, Long.toString(runs.incrementAndGet()));
        try {
            JobTask job = byName().get(task);
            if (job != null) {
                job.logContext(id).forEach(MDC::put);
            }
        } catch (RuntimeException e) {
            // logging context only: never let it stop a job
        }
    }

    private Map<String, JobTask> byName() {
        Map<String, JobTask> known = byName;
        if (known == null) {
            known = new HashMap<>();
            for (JobTask job : tasks.orderedStream().toList()) {
                known.put(job.name(), job);
            }
            byName = known;
        }
        return known;
    }

    @Override
    public void onExecutionComplete(ExecutionComplete complete) {
        Execution execution = complete.getExecution();
        meters.timer("returnbridge.jobs", "type", execution.taskInstance.getTaskName(), "outcome",
                complete.getResult().name().toLowerCase(Locale.ROOT)).record(complete.getDuration());
        MDC.remove("job");
        MDC.remove(VendorCallContext.EXECUTION);
        MDC.remove(VendorCallContext.RUN);
        MDC.remove(MDC_CONNECTION);
        MDC.remove(MDC_RETURN);
    }

    @Override
    public void onExecutionDead(Execution execution) {
        meters.counter("returnbridge.jobs.dead", "type", execution.taskInstance.getTaskName()).increment();
    }
}
