package com.returnbridge.backfill;

import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** SQL for {@code backfill_run}. State changes are conditional, so a cancel and a step never overwrite each other. */
@Repository
public class BackfillRuns {

    static final int ERRORS_MAX = 4000;
    private static final String COLUMNS = """
            id, connection_id, requested_by, from_date, to_date, return_ids, state, window_from, page_url, state_pass, ids_done,
            pages, found, created, updated, duplicates, ignored, failed, retries, attempts, note, errors, reason,
            cancelled_by, created_at, started_at, updated_at, finished_at""";

    /** What one step adds to the counts. */
    record Counts(int pages, int found, int created, int updated, int duplicates, int ignored, int failed) {
    }

    private final JdbcClient jdbc;
    private final Clock clock;

    public BackfillRuns(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    OffsetDateTime now() {
        return OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
    }

    long insert(String connectionId, String by, LocalDate from, LocalDate to, String ids, String activeKey,
                OffsetDateTime windowFrom) {
        OffsetDateTime now = now();
        var keys = new org.springframework.jdbc.support.GeneratedKeyHolder();
        jdbc.sql("""
                INSERT INTO backfill_run (connection_id, requested_by, from_date, to_date, return_ids, active_key, state,
                                          window_from, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, 'QUEUED', ?, ?, ?)""")
                .params(connectionId, by, from, to, ids, activeKey, windowFrom, now, now)
                .update(keys, "id");
        return keys.getKey().longValue();
    }

    public Optional<BackfillRun> find(long id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM backfill_run WHERE id = ?").param(id).query(BackfillRun.class)
                .optional();
    }

    Optional<BackfillRun> findActive(String activeKey) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM backfill_run WHERE active_key = ?").param(activeKey)
                .query(BackfillRun.class).optional();
    }

    public List<BackfillRun> forConnection(String connectionId, int limit) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM backfill_run WHERE connection_id = ? ORDER BY id DESC "
                        + "FETCH FIRST " + Math.max(1, limit) + " ROWS ONLY")
                .param(connectionId).query(BackfillRun.class).list();
    }

    /** QUEUED → RUNNING. */
    boolean start(long id) {
        OffsetDateTime now = now();
        return jdbc.sql("UPDATE backfill_run SET state = 'RUNNING', started_at = ?, updated_at = ? "
                + "WHERE id = ? AND state = 'QUEUED'").params(now, now, id).update() == 1;
    }

    /** A step's work: the new cursor and the counts, committed together (the state is left alone). */
    void advance(long id, OffsetDateTime windowFrom, String pageUrl, int idsDone, Counts add, String note) {
        jdbc.sql("""
                UPDATE backfill_run SET window_from = ?, page_url = ?, ids_done = ?, pages = pages + ?,
                       found = found + ?, created = created + ?, updated = updated + ?, duplicates = duplicates + ?,
                       ignored = ignored + ?, failed = failed + ?, attempts = 0, note = ?, updated_at = ?
                WHERE id = ?""")
                .params(windowFrom, pageUrl, idsDone, add.pages(), add.found(), add.created(), add.updated(),
                        add.duplicates(), add.ignored(), add.failed(), abbreviate(note, 500), now(), id)
                .update();
    }

    /** The range was read for one state query: read it again, from its start, for the next. */
    void nextStatePass(long id, int statePass, OffsetDateTime windowFrom) {
        jdbc.sql("UPDATE backfill_run SET state_pass = ?, window_from = ?, page_url = NULL, updated_at = ? WHERE id = ?")
                .params(statePass, windowFrom, now(), id).update();
    }

    /** Appends errors of single returns, keeping the column bounded (the first ones are kept, then "…"). */
    void appendErrors(long id, List<String> errors) {
        if (errors.isEmpty()) {
            return;
        }
        String current = jdbc.sql("SELECT errors FROM backfill_run WHERE id = ?").param(id).query(String.class)
                .optional().orElse(null);
        StringBuilder out = new StringBuilder(current == null ? "" : current);
        for (String e : errors) {
            if (out.length() >= ERRORS_MAX - 1) {
                break;
            }
            out.append(out.length() == 0 ? "" : "\n").append(e);
        }
        String text = out.length() > ERRORS_MAX ? out.substring(0, ERRORS_MAX - 1) + "…" : out.toString();
        jdbc.sql("UPDATE backfill_run SET errors = ? WHERE id = ?").params(text, id).update();
    }

    /** A transient failure: one more attempt in a row (and one more retry in all). @return the attempts in a row */
    int failedAttempt(long id, String note) {
        jdbc.sql("UPDATE backfill_run SET attempts = attempts + 1, retries = retries + 1, note = ?, updated_at = ? "
                + "WHERE id = ?").params(abbreviate(note, 500), now(), id).update();
        return jdbc.sql("SELECT attempts FROM backfill_run WHERE id = ?").param(id).query(Integer.class).single();
    }

    void note(long id, String note) {
        jdbc.sql("UPDATE backfill_run SET note = ?, updated_at = ? WHERE id = ?")
                .params(abbreviate(note, 500), now(), id).update();
    }

    /** QUEUED or RUNNING → DONE / FAILED / CANCELLED; the request may be asked for again. */
    boolean finish(long id, BackfillRun.State state, String reason, String cancelledBy) {
        OffsetDateTime now = now();
        return jdbc.sql("""
                UPDATE backfill_run SET state = ?, reason = ?, cancelled_by = ?, active_key = NULL, note = NULL,
                       finished_at = ?, updated_at = ?
                WHERE id = ? AND state IN ('QUEUED', 'RUNNING')""")
                .params(state.name(), abbreviate(reason, 1000), cancelledBy, now, now, id).update() == 1;
    }

    static String abbreviate(String value, int max) {
        if (value == null) {
            return null;
        }
        return value.length() <= max ? value : value.substring(0, max - 1) + "…";
    }
}
