package com.returnbridge.backfill;

import com.returnbridge.jobs.JobResult;
import com.returnbridge.jobs.JobTask;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Predicate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The backfill task: one execution per run (instance id = run id); it reschedules itself after each step. */
@Component
class BackfillJob implements JobTask {

    /** Stored with every queued execution: never renamed. */
    static final String NAME = "backfill";

    private final Backfills backfills;
    private final JdbcClient jdbc;

    BackfillJob(Backfills backfills, JdbcClient jdbc) {
        this.backfills = backfills;
        this.jdbc = jdbc;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public JobResult run(String runId) {
        return backfills.step(Long.parseLong(runId));
    }

    /** The connection's runs still to do: they run at once when it resumes. */
    @Override
    public Predicate<String> instancesOf(String connectionId) {
        Set<String> ids = new HashSet<>(jdbc.sql("""
                        SELECT CAST(id AS VARCHAR(30)) FROM backfill_run
                        WHERE connection_id = ? AND state IN ('QUEUED', 'RUNNING')""")
                .param(connectionId).query(String.class).list());
        return ids::contains;
    }
}
