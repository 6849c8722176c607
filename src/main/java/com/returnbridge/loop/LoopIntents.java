package com.returnbridge.loop;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * SQL for {@code loop_intent}: a Loop action is written down, and committed on its own, before it is asked for, and
 * marked done once Loop accepted it. An intent without {@code done_at} means "we may have asked and crashed".
 */
@Repository
public class LoopIntents {

    public record Intent(long id, String action, String intentKey, OffsetDateTime createdAt, OffsetDateTime doneAt,
                         String outcome) {
        public boolean done() {
            return doneAt != null;
        }
    }

    private final JdbcClient jdbc;
    private final Clock clock;
    private final TransactionTemplate own;

    public LoopIntents(JdbcClient jdbc, Clock clock, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.own = new TransactionTemplate(transactions);
        this.own.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    private OffsetDateTime now() {
        return OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
    }

    public Optional<Intent> find(String connectionId, String loopReturnId, String action, String intentKey) {
        return jdbc.sql("""
                SELECT id, action, intent_key, created_at, done_at, outcome FROM loop_intent
                WHERE connection_id = ? AND loop_return_id = ? AND action = ? AND intent_key = ?""")
                .params(connectionId, loopReturnId, action, intentKey).query(Intent.class).optional();
    }

    /** Writes the intent and commits it before the call is made, whatever transaction the caller is in. */
    public void intend(String connectionId, String loopReturnId, String action, String intentKey) {
        own.executeWithoutResult(s -> jdbc.sql("""
                INSERT INTO loop_intent (connection_id, loop_return_id, action, intent_key, created_at)
                SELECT ?, ?, ?, ?, ? FROM (VALUES (1)) AS one(x)
                WHERE NOT EXISTS (SELECT 1 FROM loop_intent
                                  WHERE connection_id = ? AND loop_return_id = ? AND action = ? AND intent_key = ?)""")
                .params(connectionId, loopReturnId, action, intentKey, now(), connectionId, loopReturnId, action,
                        intentKey)
                .update());
    }

    public void done(String connectionId, String loopReturnId, String action, String intentKey, String outcome) {
        String text = outcome == null ? null : outcome.length() <= 300 ? outcome : outcome.substring(0, 300);
        own.executeWithoutResult(s -> jdbc.sql("""
                UPDATE loop_intent SET done_at = ?, outcome = ?
                WHERE connection_id = ? AND loop_return_id = ? AND action = ? AND intent_key = ? AND done_at IS NULL""")
                .params(now(), text, connectionId, loopReturnId, action, intentKey).update());
    }

    /** The call was not made (or certainly had no effect): a retry need not look for it. */
    public void forget(String connectionId, String loopReturnId, String action, String intentKey) {
        own.executeWithoutResult(s -> jdbc.sql("""
                DELETE FROM loop_intent
                WHERE connection_id = ? AND loop_return_id = ? AND action = ? AND intent_key = ? AND done_at IS NULL""")
                .params(connectionId, loopReturnId, action, intentKey).update());
    }

    public long countUnfinished() {
        return jdbc.sql("SELECT COUNT(*) FROM loop_intent WHERE done_at IS NULL").query(Long.class).single();
    }

    /**
     * Loop accepted the action but then reported that it failed (return.processing.failed): the intent, done or not,
     * must not stop the action from being asked again.
     */
    public void discard(String connectionId, String loopReturnId, String action, String intentKey) {
        own.executeWithoutResult(s -> jdbc.sql("""
                DELETE FROM loop_intent WHERE connection_id = ? AND loop_return_id = ? AND action = ? AND intent_key = ?""")
                .params(connectionId, loopReturnId, action, intentKey).update());
    }
}
