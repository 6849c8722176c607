package com.returnbridge.bridge;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** SQL for {@code return_link}. State changes are conditional updates so racing writers cannot undo each other. */
@Repository
public class ReturnLinks {

    // Aliased to the record's component names: the row mapper then finds each column on its first try. (A miss
    // costs an SQLException per column per row, which H2 also writes, with its stack trace, to its .trace.db file.)
    /**
     * The link's columns named as {@link ReturnLink}'s components: the row mapper finds each by its first name (on
     * H2 every miss is an exception written to the database's trace file).
     */
    public static final String COLUMNS = """
            id, connection_id AS connectionId, loop_return_id AS loopReturnId, state, loop_state AS loopState,
            loop_return AS loopReturnJson, order_name AS orderName, shiphero_order_id AS shipheroOrderId,
            shiphero_return_id AS shipheroReturnId, shiphero_legacy_id AS shipheroLegacyId, last_status AS lastStatus,
            last_decision AS lastDecision, attention_reason AS attentionReason, attempts, hint_seq AS hintSeq,
            created_at AS createdAt, updated_at AS updatedAt""";

    private final JdbcClient jdbc;
    private final Clock clock;

    public ReturnLinks(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    private OffsetDateTime now() {
        return OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
    }

    public Optional<ReturnLink> find(long id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM return_link WHERE id = ?").param(id)
                .query(ReturnLink.class).optional();
    }

    public Optional<ReturnLink> findByLoopId(String connectionId, String loopReturnId) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM return_link WHERE connection_id = ? AND loop_return_id = ?")
                .params(connectionId, loopReturnId).query(ReturnLink.class).optional();
    }

    public Optional<ReturnLink> findByRmaId(String connectionId, String rmaId) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM return_link WHERE connection_id = ? AND shiphero_return_id = ?")
                .params(connectionId, rmaId).query(ReturnLink.class).optional();
    }

    public List<ReturnLink> findByState(String connectionId, LinkState state) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM return_link WHERE connection_id = ? AND state = ? ORDER BY id")
                .params(connectionId, state.name()).query(ReturnLink.class).list();
    }

    /** Newest first; either filter may be null. */
    public List<ReturnLink> search(String connectionId, LinkState state, int limit) {
        return jdbc.sql("SELECT " + COLUMNS + """
                 FROM return_link
                WHERE (CAST(:connection AS VARCHAR(100)) IS NULL OR connection_id = :connection)
                  AND (CAST(:state AS VARCHAR(30)) IS NULL OR state = :state)
                ORDER BY updated_at DESC, id DESC
                FETCH FIRST :limit ROWS ONLY""")
                .param("connection", connectionId).param("state", state == null ? null : state.name())
                .param("limit", limit)
                .query(ReturnLink.class).list();
    }

    /** Inserts a new link in RECEIVED; the caller has checked it does not exist (a race ends in a unique-key error). */
    public long insert(String connectionId, String loopReturnId, String loopState, String loopReturnJson,
                       String orderName) {
        OffsetDateTime now = now();
        var keys = new org.springframework.jdbc.support.GeneratedKeyHolder();
        jdbc.sql("""
                INSERT INTO return_link (connection_id, loop_return_id, state, loop_state, loop_return, order_name,
                                         created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(connectionId, loopReturnId, LinkState.RECEIVED.name(), loopState, loopReturnJson, orderName,
                        now, now)
                .update(keys, "id");
        return keys.getKey().longValue();
    }

    public void updateLoopReturn(long id, String loopState, String loopReturnJson, String orderName) {
        jdbc.sql("""
                UPDATE return_link SET loop_state = ?, loop_return = COALESCE(?, loop_return),
                       order_name = COALESCE(?, order_name), updated_at = ? WHERE id = ?""")
                .params(loopState, loopReturnJson, orderName, now(), id).update();
    }

    /** Locks the row for the rest of the transaction, so deliveries for one return are taken one at a time. */
    public long bumpHint(long id) {
        jdbc.sql("UPDATE return_link SET hint_seq = hint_seq + 1, updated_at = ? WHERE id = ?")
                .params(now(), id).update();
        return jdbc.sql("SELECT hint_seq FROM return_link WHERE id = ?").param(id).query(Long.class).single();
    }

    public long hintSeq(long id) {
        return jdbc.sql("SELECT hint_seq FROM return_link WHERE id = ?").param(id).query(Long.class).single();
    }

    /** The hint under the row lock a delivery's transaction holds until it commits; empty when the link is gone. */
    public Optional<Long> hintForUpdate(long id) {
        return jdbc.sql("SELECT hint_seq FROM return_link WHERE id = ? FOR UPDATE").param(id)
                .query(Long.class).optional();
    }

    /** Moves the link from one state to another; false when someone else moved it first. */
    public boolean transition(long id, LinkState from, LinkState to) {
        return jdbc.sql("""
                UPDATE return_link SET state = ?, attempts = 0, failing_since = NULL, updated_at = ?
                WHERE id = ? AND state = ?""")
                .params(to.name(), now(), id, from.name()).update() == 1;
    }

    public boolean rmaCreated(long id, WarehouseApi.RmaRef rma, String orderId) {
        return jdbc.sql("""
                UPDATE return_link SET state = ?, shiphero_return_id = ?, shiphero_legacy_id = ?, shiphero_order_id = ?,
                       last_status = ?, attempts = 0, failing_since = NULL, attention_reason = NULL, updated_at = ?
                WHERE id = ? AND state = ?""")
                .params(LinkState.RMA_CREATED.name(), rma.id(), rma.legacyId(), orderId, rma.status(), now(), id,
                        LinkState.RECEIVED.name())
                .update() == 1;
    }

    /** Records the RMA without touching the state (the return moved on, e.g. cancelled, while it was created). */
    public void attachRma(long id, WarehouseApi.RmaRef rma, String orderId) {
        jdbc.sql("""
                UPDATE return_link SET shiphero_return_id = ?, shiphero_legacy_id = ?,
                       shiphero_order_id = COALESCE(?, shiphero_order_id), updated_at = ?
                WHERE id = ? AND shiphero_return_id IS NULL""")
                .params(rma.id(), rma.legacyId(), orderId, now(), id).update();
    }

    /**
     * A decision taken on the link as the job read it, in state {@code read}: the state becomes {@code to} only if
     * nothing moved it meanwhile (Loop cancelling the return while the job asked the warehouse, say), so a newer
     * state is never written back over; the status and the decision are kept either way. Answers whether the state
     * was the one read.
     */
    public boolean decided(long id, LinkState read, LinkState to, String status, String decisionKey) {
        int moved = jdbc.sql("""
                UPDATE return_link SET state = ?, last_status = ?, last_decision = ?, attempts = 0, failing_since = NULL,
                       attention_reason = NULL, updated_at = ? WHERE id = ? AND state = ?""")
                .params(to.name(), status, decisionKey, now(), id, read.name()).update();
        if (moved == 0) {
            jdbc.sql("UPDATE return_link SET last_status = ?, last_decision = ?, updated_at = ? WHERE id = ?")
                    .params(status, decisionKey, now(), id).update();
        }
        return moved == 1;
    }

    public void statusSeen(long id, String status) {
        jdbc.sql("UPDATE return_link SET last_status = ?, updated_at = ? WHERE id = ?")
                .params(status, now(), id).update();
    }

    public void needsAttention(long id, String reason) {
        jdbc.sql("UPDATE return_link SET state = ?, attention_reason = ?, updated_at = ? WHERE id = ?")
                .params(LinkState.NEEDS_ATTENTION.name(), reason, now(), id).update();
    }

    public int incrementAttempts(long id) {
        OffsetDateTime now = now();
        jdbc.sql("""
                UPDATE return_link SET attempts = attempts + 1, failing_since = COALESCE(failing_since, ?),
                       updated_at = ? WHERE id = ?""")
                .params(now, now, id).update();
        return jdbc.sql("SELECT attempts FROM return_link WHERE id = ?").param(id).query(Integer.class).single();
    }

    /** Since when the link's current run of failed attempts has lasted; null when its last attempt succeeded. */
    public OffsetDateTime failingSince(long id) {
        return jdbc.sql("SELECT failing_since FROM return_link WHERE id = ?").param(id)
                .query(OffsetDateTime.class).optional().orElse(null);
    }

    public long countByState(String connectionId, LinkState state) {
        return jdbc.sql("SELECT COUNT(*) FROM return_link WHERE connection_id = ? AND state = ?")
                .params(connectionId, state.name()).query(Long.class).single();
    }

    // ---------------------------------------------------------------- Loop processing (Process only queues)

    /** Loop accepted Process now: from here the link waits for Loop to report the return closed. */
    public void processedAt(long id) {
        jdbc.sql("UPDATE return_link SET processed_at = ?, updated_at = ? WHERE id = ?")
                .params(now(), now(), id).update();
    }

    /** When Loop last accepted Process for this link; null when it never did (or before this was recorded). */
    public OffsetDateTime processedSince(long id) {
        return jdbc.sql("SELECT processed_at FROM return_link WHERE id = ?").param(id)
                .query(OffsetDateTime.class).optional().orElse(null);
    }

    /** Loop's return.processing.failed, kept until the link's job turns it into NEEDS_ATTENTION. */
    public void processingFailed(long id, String reason) {
        String text = reason.length() <= 2000 ? reason : reason.substring(0, 2000);
        jdbc.sql("UPDATE return_link SET loop_processing_failure = ?, updated_at = ? WHERE id = ?")
                .params(text, now(), id).update();
    }

    public String processingFailure(long id) {
        return jdbc.sql("SELECT loop_processing_failure FROM return_link WHERE id = ?").param(id)
                .query(String.class).optional().orElse(null);
    }

    /** Before Process is asked again: a failure reported after this is about the new attempt. */
    public void clearProcessingFailure(long id) {
        jdbc.sql("UPDATE return_link SET loop_processing_failure = NULL WHERE id = ? AND loop_processing_failure IS NOT NULL")
                .param(id).update();
    }
}
