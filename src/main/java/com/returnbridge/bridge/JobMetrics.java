package com.returnbridge.bridge;

import com.github.kagkarlsson.scheduler.CurrentlyExecuting;
import com.github.kagkarlsson.scheduler.event.AbstractSchedulerListener;
import com.github.kagkarlsson.scheduler.task.Execution;
import com.github.kagkarlsson.scheduler.task.ExecutionComplete;
import com.returnbridge.vendor.VendorCallContext;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;
import org.slf4j.MDC;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Listens to db-scheduler: {@code returnbridge.jobs{type,outcome}} (a timer: count and duration per job kind and
 * result), and the connection and Loop return id in the logging MDC while a job runs, so every log line of the
 * job (and structured JSON logs) carries them.
 */
@Component
public class JobMetrics extends AbstractSchedulerListener {

    public static final String MDC_CONNECTION = VendorCallContext.CONNECTION;
    public static final String MDC_RETURN = VendorCallContext.RETURN;

    private final MeterRegistry meters;
    private final JdbcClient jdbc;

    public JobMetrics(MeterRegistry meters, JdbcClient jdbc) {
        this.meters = meters;
        this.jdbc = jdbc;
    }

    @Override
    public void onExecutionStart(CurrentlyExecuting executing) {
        String task = executing.getTaskInstance().getTaskName();
        String id = executing.getTaskInstance().getId();
        MDC.put("job", task);
        try {
            if (task.equals(JobQueue.RESOLVE_RMA.getTaskName())) {
                String[] parts = id.split("\\|", 2);
                MDC.put(MDC_CONNECTION, parts[0]);
                // the RMA's link often exists by now (the webhook overtook our own commit): its calls belong there
                jdbc.sql("SELECT loop_return_id FROM return_link WHERE connection_id = ? AND shiphero_return_id = ?")
                        .params(parts[0], parts.length > 1 ? parts[1] : "").query(String.class).optional()
                        .ifPresent(loopReturnId -> MDC.put(MDC_RETURN, loopReturnId));
            } else {
                jdbc.sql("SELECT connection_id, loop_return_id FROM return_link WHERE id = ?")
                        .param(Long.parseLong(id))
                        .query((rs, n) -> {
                            MDC.put(MDC_CONNECTION, rs.getString(1));
                            MDC.put(MDC_RETURN, rs.getString(2));
                            return null;
                        }).list();
            }
        } catch (RuntimeException e) {
            // logging context only: never let it stop a job
        }
    }

    @Override
    public void onExecutionComplete(ExecutionComplete complete) {
        Execution execution = complete.getExecution();
        meters.timer("returnbridge.jobs", "type", execution.taskInstance.getTaskName(), "outcome",
                complete.getResult().name().toLowerCase(Locale.ROOT)).record(complete.getDuration());
        MDC.remove("job");
        MDC.remove(MDC_CONNECTION);
        MDC.remove(MDC_RETURN);
    }

    @Override
    public void onExecutionDead(Execution execution) {
        meters.counter("returnbridge.jobs.dead", "type", execution.taskInstance.getTaskName()).increment();
    }
}
