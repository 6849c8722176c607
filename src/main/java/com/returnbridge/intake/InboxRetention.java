package com.returnbridge.intake;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Routed deliveries are removed once they are older than {@code returnbridge.intake.inbox-retention} and their
 * return has not changed within it either: a return's page shows its deliveries (bodies included) for as long as the
 * return is still moving, and one retention past its last change. Never removed: rows not yet routed, and
 * UNREADABLE ones (kept until an operator replays them, since nothing else holds what they said).
 */
@Component
class InboxRetention {

    private static final Logger log = LoggerFactory.getLogger(InboxRetention.class);

    private final JdbcClient jdbc;
    private final Clock clock;
    private final Duration retention;
    private volatile Instant lastPrune = Instant.EPOCH;

    InboxRetention(JdbcClient jdbc, Clock clock, InboxProperties properties) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.retention = properties.inboxRetention();
    }

    void pruneHourly() {
        if (Duration.between(lastPrune, clock.instant()).compareTo(Duration.ofHours(1)) >= 0) {
            prune();
        }
    }

    /** The number of deliveries removed. */
    int prune() {
        Instant now = clock.instant();
        lastPrune = now;
        OffsetDateTime cutoff = OffsetDateTime.ofInstant(now.minus(retention), ZoneOffset.UTC);
        int removed = jdbc.sql("""
                DELETE FROM delivery
                 WHERE routed_at < :cutoff AND received_at < :cutoff AND outcome <> 'UNREADABLE'
                   AND NOT EXISTS (SELECT 1 FROM return_link l
                                    WHERE l.connection_id = delivery.connection_id AND l.updated_at >= :cutoff
                                      AND ((delivery.source = 'LOOP' AND l.loop_return_id = delivery.subject_id)
                                        OR (delivery.source = 'SHIPHERO'
                                            AND l.shiphero_return_id = delivery.subject_id)))""")
                .param("cutoff", cutoff).update();
        if (removed > 0) {
            log.info("inbox: removed {} routed deliveries older than {}", removed, retention);
        }
        return removed;
    }
}
