package com.returnbridge.monitor;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * SQL for {@code webhook_check}: per connection and vendor, the URL Connect registered and the latest check that the
 * vendor still holds it. Upserts are UPDATE then INSERT, each attempt in its own short transaction.
 */
@Repository
public class WebhookChecks {

    public static final String SHIPHERO = "SHIPHERO";
    private static final int MAX_DETAIL = 500;

    public record Check(String connectionId, String vendor, String registeredUrl, OffsetDateTime registeredAt,
                        OffsetDateTime checkedAt, String verdict, String detail, OffsetDateTime changedAt) {
    }

    /** {@code changed}: this save moved the verdict (decided by the UPDATE itself, so two instances never both win). */
    public record Saved(boolean changed, String previous) {
    }

    private final JdbcClient jdbc;
    private final Clock clock;
    private final TransactionTemplate own;

    public WebhookChecks(JdbcClient jdbc, Clock clock, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.own = new TransactionTemplate(transactions);
        this.own.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    public Optional<Check> find(String connectionId, String vendor) {
        return jdbc.sql("""
                SELECT connection_id, vendor, registered_url, registered_at, checked_at, verdict, detail, changed_at
                  FROM webhook_check WHERE connection_id = ? AND vendor = ?""")
                .params(connectionId, vendor).query(Check.class).optional();
    }

    /** Connect registered (or found) our webhook at this URL: the URL later checks look for. */
    public void registered(String connectionId, String vendor, String url) {
        OffsetDateTime now = now();
        upsert(() -> jdbc.sql("""
                        UPDATE webhook_check SET registered_url = ?, registered_at = ?
                         WHERE connection_id = ? AND vendor = ?""")
                        .params(url, now, connectionId, vendor).update(),
                () -> jdbc.sql("""
                        INSERT INTO webhook_check (connection_id, vendor, registered_url, registered_at)
                        VALUES (?, ?, ?, ?)""").params(connectionId, vendor, url, now).update());
    }

    /** Stores a check's verdict and detail; says whether the verdict changed, and from what. */
    public Saved save(String connectionId, String vendor, String verdict, String detail) {
        OffsetDateTime now = now();
        String line = detail == null ? null : detail.length() <= MAX_DETAIL ? detail
                : detail.substring(0, MAX_DETAIL - 1) + "…";
        String previous = find(connectionId, vendor).map(Check::verdict).orElse(null);
        for (int attempt = 1; ; attempt++) {
            try {
                Boolean changed = own.execute(s -> {
                    int moved = jdbc.sql("""
                            UPDATE webhook_check SET verdict = ?, detail = ?, checked_at = ?, changed_at = ?
                             WHERE connection_id = ? AND vendor = ? AND (verdict IS NULL OR verdict <> ?)""")
                            .params(verdict, line, now, now, connectionId, vendor, verdict).update();
                    if (moved > 0) {
                        return true;
                    }
                    int same = jdbc.sql("""
                            UPDATE webhook_check SET detail = ?, checked_at = ?
                             WHERE connection_id = ? AND vendor = ?""")
                            .params(line, now, connectionId, vendor).update();
                    if (same > 0) {
                        return false;
                    }
                    jdbc.sql("""
                            INSERT INTO webhook_check (connection_id, vendor, checked_at, verdict, detail, changed_at)
                            VALUES (?, ?, ?, ?, ?, ?)""").params(connectionId, vendor, now, verdict, line, now).update();
                    return true;
                });
                return new Saved(Boolean.TRUE.equals(changed), previous);
            } catch (DuplicateKeyException e) {
                if (attempt >= 3) {
                    throw e;
                }
            }
        }
    }

    private void upsert(java.util.function.IntSupplier update, Runnable insert) {
        for (int attempt = 1; ; attempt++) {
            try {
                own.executeWithoutResult(s -> {
                    if (update.getAsInt() == 0) {
                        insert.run();
                    }
                });
                return;
            } catch (DuplicateKeyException e) {
                if (attempt >= 3) {
                    throw e;
                }
            }
        }
    }

    private OffsetDateTime now() {
        return OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
    }
}
